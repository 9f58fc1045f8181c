"""Cross-tenant probes: walk every registered route with another workspace's slug and ids.

A member of workspace ``other`` must get 404 everywhere in ``acme`` (pages and API), and must
get 404 when putting ``acme``'s row ids into the URLs of their own workspace.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import inspect as sa_inspect

from ent_core.db import db
from ent_core.testing import enable_all, sign_in
from tests.fixture_plugins.alpha.models import AlphaItem

ARG = re.compile(r"<(?:(\w+):)?(\w+)>")
PROBED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _workspace_rules(app: Any) -> list[Any]:
    rules = []
    for rule in app.url_map.iter_rules():
        if "workspace" not in rule.arguments or rule.rule.startswith("/s/"):
            continue  # public site pages are public by design
        rules.append(rule)
    assert len(rules) >= 5, "the probe found suspiciously few workspace routes"
    return rules


def _tenant_ids(workspace_id: int) -> list[int]:
    """Ids of every row that belongs to the workspace, in any table with a workspace_id."""
    ids: set[int] = set()
    for table in db.metadata.sorted_tables:
        if "workspace_id" in table.c and "id" in table.c:
            rows = db.session.execute(
                db.select(table.c.id).where(table.c.workspace_id == workspace_id)
            ).scalars()
            ids.update(rows)
    return sorted(ids)


def _urls(rule: Any, slug: str, int_values: list[int]) -> list[str]:
    converters = {name: conv for conv, name in ARG.findall(rule.rule)}
    int_args = [n for n, c in converters.items() if c == "int"]
    values = int_values if int_args else [0]
    urls = []
    for value in values:
        url = rule.rule
        for name, conv in converters.items():
            if name == "workspace":
                filler = slug
            elif conv == "int":
                filler = str(value)
            else:
                filler = "alpha"
            url = re.sub(rf"<(?:\w+:)?{name}>", filler, url)
        urls.append(url)
    return urls


@pytest.fixture
def two_tenants(workspace, user, make_user, make_workspace):
    enable_all(workspace)
    item = AlphaItem(workspace_id=workspace.id, title="acme secret")
    db.session.add(item)
    colleague = make_user("colleague@example.ma")
    from ent_core.workspaces.models import Membership

    db.session.add(Membership(workspace_id=workspace.id, user_id=colleague.id, role="editor"))
    db.session.commit()
    intruder = make_user("intruder@example.ma")
    enable_all(make_workspace("other", owner=intruder))
    return workspace, intruder


def _probe(client, app, slug, ids, headers=None, api_only=False):
    leaks = []
    for rule in _workspace_rules(app):
        is_api = rule.rule.startswith("/api/")
        if api_only != is_api:
            continue
        for url in _urls(rule, slug, ids):
            for method in PROBED_METHODS:
                if method not in rule.methods:
                    continue
                resp = client.open(
                    url, method=method, headers=headers or {}, json={} if is_api else None
                )
                if resp.status_code != 404:
                    leaks.append(f"{method} {url} -> {resp.status_code}")
    return leaks


def test_pages_of_another_workspace_answer_404(client, app, two_tenants):
    acme, intruder = two_tenants
    sign_in(client, intruder)
    leaks = _probe(client, app, "acme", _tenant_ids(acme.id))
    assert not leaks, leaks


def test_another_workspaces_ids_in_my_workspace_answer_404(client, app, two_tenants):
    acme, intruder = two_tenants
    sign_in(client, intruder)
    ids = [i for i in _tenant_ids(acme.id) if i not in _own_ids()]
    leaks = []
    for rule in _workspace_rules(app):
        if rule.rule.startswith("/api/") or "int:" not in rule.rule:
            continue
        for url in _urls(rule, "other", ids):
            for method in [m for m in PROBED_METHODS if m in rule.methods]:
                resp = client.open(url, method=method)
                if resp.status_code != 404:
                    leaks.append(f"{method} {url} -> {resp.status_code}")
    assert not leaks, leaks


def _own_ids() -> set[int]:
    from ent_core.workspaces.models import Workspace

    other = db.session.scalar(db.select(Workspace).where(Workspace.slug == "other"))
    return set(_tenant_ids(other.id))


def test_api_of_another_workspace_answers_404(app, two_tenants, make_api_client):
    acme, intruder = two_tenants
    api = make_api_client(intruder)
    leaks = _probe(
        api.client,
        app,
        "acme",
        _tenant_ids(acme.id),
        headers={"Authorization": f"Bearer {api.token}"},
        api_only=True,
    )
    assert not leaks, leaks


def test_probe_detects_a_leak(client, app, two_tenants):
    """The probe itself must be able to fail: the owner of acme reaches acme's pages."""
    acme, _ = two_tenants
    from ent_core.identity.models import User

    owner = db.session.scalar(db.select(User).where(User.email == "owner@example.ma"))
    sign_in(client, owner)
    assert _probe(client, app, "acme", _tenant_ids(acme.id))


def test_tenant_rows_are_filtered_by_the_orm(app, two_tenants):
    from flask import g

    with app.test_request_context("/"):
        from ent_core.workspaces.models import Workspace

        g.ent_workspace = db.session.scalar(db.select(Workspace).where(Workspace.slug == "other"))
        assert db.session.scalars(db.select(AlphaItem)).all() == []
        assert sa_inspect(AlphaItem).local_table.name == "alpha_item"
        unfiltered = db.session.scalars(
            db.select(AlphaItem).execution_options(ent_all_workspaces=True)
        ).all()
        assert [i.title for i in unfiltered] == ["acme secret"]


def test_a_statement_built_once_is_filtered_per_workspace(app, two_tenants, monkeypatch):
    """Statements built once per process keep a filtered copy per workspace: the same object
    run for one workspace then another (and again, past the per-statement limit) never
    answers with the first workspace's rows."""
    from flask import g

    from ent_core import db as db_module
    from ent_core.workspaces.models import Workspace

    acme, _ = two_tenants
    other = db.session.scalar(db.select(Workspace).where(Workspace.slug == "other"))
    db.session.add(AlphaItem(workspace_id=other.id, title="other note"))
    db.session.commit()
    built_once = db.select(AlphaItem.title).select_from(AlphaItem)
    monkeypatch.setattr(db_module, "_FILTERED_PER_STATEMENT", 1)  # every switch evicts
    for workspace_id, title in [(acme.id, "acme secret"), (other.id, "other note")] * 2:
        with app.test_request_context("/"):
            g.ent_workspace = db.session.get(Workspace, workspace_id)
            assert db.session.scalars(built_once).all() == [title]
            assert [i.title for i in db.session.scalars(db.select(AlphaItem))] == [title]
        db.session.remove()


def test_a_statement_without_tenant_rows_is_left_alone(app, two_tenants):
    from flask import g

    from ent_core.workspaces.models import Workspace

    acme_id = two_tenants[0].id
    slugs = db.select(Workspace.slug).order_by(Workspace.slug)
    for _ in range(2):  # the second run answers from what the first learnt
        with app.test_request_context("/"):
            g.ent_workspace = db.session.get(Workspace, acme_id)
            assert db.session.scalars(slugs).all() == ["acme", "other"]


@pytest.fixture
def namesakes(app, two_tenants):
    """acme and other each hold an item titled "namesake"; returns (acme, other) workspaces."""
    from ent_core.workspaces.models import Workspace

    acme, _ = two_tenants
    other = db.session.scalar(db.select(Workspace).where(Workspace.slug == "other"))
    db.session.add_all(
        [
            AlphaItem(workspace_id=acme.id, title="namesake", note="acme's"),
            AlphaItem(workspace_id=other.id, title="namesake", note="other's"),
        ]
    )
    db.session.commit()
    return acme.id, other.id


def _as_current(workspace_id: int | None) -> None:
    from flask import g

    from ent_core.workspaces.models import Workspace

    g.ent_workspace = None if workspace_id is None else db.session.get(Workspace, workspace_id)


def _acme_namesake() -> AlphaItem:
    return db.session.scalars(db.select(AlphaItem).where(AlphaItem.title == "namesake")).one()


def test_lazy_loads_keep_the_workspace_their_object_was_read_for(app, namesakes):
    """A relationship the database does not confine to one workspace: its lazy load answers
    the rows of the workspace the object was read for, even once another one (or none) is
    current."""
    acme_id, other_id = namesakes
    for later in (acme_id, other_id, None):
        with app.test_request_context("/"):
            _as_current(acme_id)
            item = _acme_namesake()
            _as_current(later)
            assert [n.note for n in item.namesakes] == ["acme's"]
        db.session.remove()
    with app.test_request_context("/"):  # read with no workspace current: nothing to keep
        item = db.session.scalars(db.select(AlphaItem).where(AlphaItem.note == "acme's")).one()
        assert [n.note for n in item.namesakes] == ["acme's", "other's"]


def test_eager_loads_are_filtered_too(app, namesakes):
    from sqlalchemy.orm import joinedload, selectinload

    acme_id, _ = namesakes
    for loader in (selectinload, joinedload):
        with app.test_request_context("/"):
            _as_current(acme_id)
            item = (
                db.session.scalars(
                    db.select(AlphaItem)
                    .where(AlphaItem.title == "namesake")
                    .options(loader(AlphaItem.namesakes))
                )
                .unique()
                .one()
            )
            _as_current(None)
            assert "namesakes" in item.__dict__  # loaded with the item, not lazily later
            assert [n.note for n in item.namesakes] == ["acme's"]
        db.session.remove()


def test_the_tenant_parameter_is_required(app, namesakes):
    """The criterion without its workspace id fails instead of reading every workspace."""
    from sqlalchemy.exc import StatementError

    from ent_core import db as db_module

    with app.test_request_context("/"):
        _as_current(None)
        unscoped = db.select(AlphaItem).options(db_module._CRITERIA)
        with pytest.raises(StatementError, match="ent_tenant_workspace_id"):
            db.session.scalars(unscoped).all()
