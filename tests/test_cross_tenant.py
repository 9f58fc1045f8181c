"""Cross-tenant probes: walk every registered route with another workspace's slug and ids.

A member of workspace ``other`` must get 404 everywhere in ``acme`` (pages and API), and must
get 404 when putting ``acme``'s row ids into the URLs of their own workspace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy import inspect as sa_inspect

from ent_core.db import WorkspaceRequired, db
from ent_core.testing import all_workspaces, enable_all, in_workspace, sign_in
from ent_core.workspaces.models import Workspace
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


def _rows_of(workspace_id: int) -> dict[str, list[Any]]:
    """Every row the workspace owns, column by column: a probe must leave them as they were
    (bulk writes included, which a 404 alone would not show)."""
    rows = {}
    for table in db.metadata.sorted_tables:
        if "workspace_id" in table.c:
            statement = select(table).where(table.c.workspace_id == workspace_id)
            rows[table.name] = [tuple(r) for r in db.session.execute(statement)]
    return rows


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
    before = _rows_of(acme.id)
    leaks = _probe(client, app, "acme", _tenant_ids(acme.id))
    assert not leaks, leaks
    assert _rows_of(acme.id) == before


def test_another_workspaces_ids_in_my_workspace_answer_404(client, app, two_tenants):
    acme, intruder = two_tenants
    sign_in(client, intruder)
    ids = [i for i in _tenant_ids(acme.id) if i not in _own_ids()]
    before = _rows_of(acme.id)
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
    assert _rows_of(acme.id) == before


def _own_ids() -> set[int]:
    from ent_core.workspaces.models import Workspace

    other = db.session.scalar(db.select(Workspace).where(Workspace.slug == "other"))
    return set(_tenant_ids(other.id))


def test_api_of_another_workspace_answers_404(app, two_tenants, make_api_client):
    acme, intruder = two_tenants
    api = make_api_client(intruder)
    before = _rows_of(acme.id)
    leaks = _probe(
        api.client,
        app,
        "acme",
        _tenant_ids(acme.id),
        headers={"Authorization": f"Bearer {api.token}"},
        api_only=True,
    )
    assert not leaks, leaks
    assert _rows_of(acme.id) == before


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
    with app.test_request_context("/"):  # read across workspaces: its loads are too
        with all_workspaces():
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

    with app.test_request_context("/"), all_workspaces():
        unscoped = db.select(AlphaItem).options(db_module._CRITERIA)
        with pytest.raises(StatementError, match="ent_tenant_workspace_id"):
            db.session.scalars(unscoped).all()


# -- writes, and no statement without a workspace (fails closed) -----------------------------

SYNCHRONIZE = ("auto", "evaluate", "fetch", False)


@contextmanager
def _current(workspace_id: int | None) -> Iterator[None]:
    """``workspace_id`` is current inside the block, as the tenancy guard makes it."""
    from flask import g

    _as_current(workspace_id)
    try:
        yield
    finally:
        g.pop("ent_workspace", None)


def _namesake_notes() -> set[tuple[int, str]]:
    """What the database holds, read past the ORM (a Core select on the table)."""
    table = AlphaItem.__table__
    rows = db.session.execute(
        select(table.c.workspace_id, table.c.note).where(table.c.title == "namesake")
    )
    return {tuple(row) for row in rows}


def _id_of(note: str) -> int:
    table = AlphaItem.__table__
    return db.session.execute(select(table.c.id).where(table.c.note == note)).scalar_one()


@pytest.mark.parametrize("synchronize", SYNCHRONIZE)
@pytest.mark.parametrize("write", ["update", "delete"])
def test_bulk_writes_change_only_the_current_workspaces_rows(app, namesakes, write, synchronize):
    acme_id, other_id = namesakes
    namesake = AlphaItem.title == "namesake"
    if write == "update":
        statement = update(AlphaItem).where(namesake).values(note="changed")
    else:
        statement = delete(AlphaItem).where(namesake)
    with _current(acme_id):
        mine = _acme_namesake()
        db.session.execute(statement.execution_options(synchronize_session=synchronize))
        if synchronize is not False:  # the session's object follows the database
            assert mine.note == "changed" if write == "update" else mine not in db.session
        db.session.commit()
    acme_left = {(acme_id, "changed")} if write == "update" else set()
    assert _namesake_notes() == acme_left | {(other_id, "other's")}


def test_legacy_query_updates_and_deletes_are_filtered_too(app, namesakes):
    acme_id, other_id = namesakes
    with _current(acme_id):
        db.session.query(AlphaItem).filter_by(title="namesake").update({"note": "changed"})
        assert _namesake_notes() == {(acme_id, "changed"), (other_id, "other's")}
        db.session.query(AlphaItem).filter_by(title="namesake").delete()
        db.session.commit()
    assert _namesake_notes() == {(other_id, "other's")}


def test_a_bulk_update_by_primary_key_is_refused_inside_a_workspace(app, namesakes):
    """SQLAlchemy applies no loader criteria to an UPDATE given a list of rows by key."""
    acme_id, other_id = namesakes
    with _current(acme_id), pytest.raises(WorkspaceRequired, match="AlphaItem"):
        db.session.execute(update(AlphaItem), [{"id": _id_of("other's"), "note": "stolen"}])
    db.session.rollback()
    assert (other_id, "other's") in _namesake_notes()


@pytest.mark.parametrize(
    "statement",
    [
        lambda: select(AlphaItem),
        lambda: select(func.count(AlphaItem.id)),
        lambda: select(Workspace.slug).join(AlphaItem, AlphaItem.workspace_id == Workspace.id),
        lambda: update(AlphaItem).values(note="everyone's"),
        lambda: delete(AlphaItem),
    ],
    ids=["select", "count", "join", "update", "delete"],
)
def test_a_tenant_statement_with_no_current_workspace_raises(app, namesakes, statement):
    with pytest.raises(WorkspaceRequired, match=r"AlphaItem: .*sdk\.all_workspaces"):
        db.session.execute(statement())
    db.session.rollback()
    assert len(_namesake_notes()) == 2


def test_crossing_workspaces_is_said_explicitly(app, namesakes):
    acme_id, other_id = namesakes
    notes = select(AlphaItem.note).where(AlphaItem.title == "namesake").order_by(AlphaItem.id)
    both = ["acme's", "other's"]
    with all_workspaces():
        assert db.session.scalars(notes).all() == both
    assert db.session.scalars(notes.execution_options(ent_all_workspaces=True)).all() == both
    with _current(acme_id):
        with all_workspaces():
            assert db.session.scalars(notes).all() == both
        with in_workspace(other_id):  # a job or service working for one workspace
            assert db.session.scalars(notes).all() == ["other's"]
    with in_workspace(acme_id):
        assert db.session.scalars(notes).all() == ["acme's"]
        assert AlphaItem(title="new").workspace_id == acme_id  # new rows belong to it
    with all_workspaces():
        db.session.execute(update(AlphaItem).values(note="everyone's"))
    assert _namesake_notes() == {(acme_id, "everyone's"), (other_id, "everyone's")}
    with pytest.raises(WorkspaceRequired):  # the block is over
        db.session.scalars(notes).all()


def test_refreshes_keep_the_workspace_their_object_was_read_for(app, namesakes):
    """Refreshing and reloading expired attributes use the workspace the object was read for,
    not whichever is current (or none) when it happens."""
    from sqlalchemy.exc import InvalidRequestError

    acme_id, other_id = namesakes
    with _current(acme_id):
        item = _acme_namesake()
    for later in (other_id, None):
        with _current(later):
            db.session.refresh(item)
            db.session.expire(item)
            assert item.note == "acme's"
            db.session.expire(item, ["namesakes"])
            assert [n.note for n in item.namesakes] == ["acme's"]
    table = AlphaItem.__table__  # the row moves to the other workspace behind the ORM's back
    db.session.execute(table.update().where(table.c.id == item.id).values(workspace_id=other_id))
    with _current(other_id), pytest.raises(InvalidRequestError):
        db.session.refresh(item)  # still scoped to acme, where the row no longer is


def test_identity_lookups_are_scoped(app, namesakes):
    acme_id, other_id = namesakes
    theirs = _id_of("other's")
    db.session.expunge_all()
    with _current(acme_id):
        assert db.session.get(AlphaItem, theirs) is None
    with pytest.raises(WorkspaceRequired, match="AlphaItem"):
        db.session.get(AlphaItem, theirs)
    with in_workspace(other_id):
        assert db.session.get(AlphaItem, theirs).note == "other's"


def test_the_unit_of_work_writes_only_the_current_workspaces_rows(app, namesakes):
    acme_id, other_id = namesakes
    with all_workspaces():
        theirs = db.session.scalars(select(AlphaItem).where(AlphaItem.note == "other's")).one()
    with _current(acme_id):
        mine = _acme_namesake()
        writes = [
            lambda: db.session.add(AlphaItem(workspace_id=other_id, title="planted")),
            lambda: setattr(theirs, "note", "defaced"),
            lambda: db.session.delete(theirs),
            lambda: setattr(theirs, "workspace_id", acme_id),  # taking their row
            lambda: setattr(mine, "workspace_id", other_id),  # giving ours away
        ]
        for write in writes:
            write()
            with pytest.raises(WorkspaceRequired, match="AlphaItem of workspace"):
                db.session.flush()
            db.session.rollback()
            mine = _acme_namesake()
        db.session.add(AlphaItem(title="mine"))  # its own rows: fine
        mine.note = "acme's, edited"
        db.session.flush()
        with all_workspaces():  # and another's when the code says so
            theirs.note = "other's, fixed by an admin"
            db.session.flush()
        db.session.commit()
    assert _namesake_notes() == {
        (acme_id, "acme's, edited"),
        (other_id, "other's, fixed by an admin"),
    }


def test_a_tenant_model_named_only_in_a_join_is_filtered_too(app, namesakes):
    acme_id, _ = namesakes
    joined = (
        select(Workspace.slug)
        .join(AlphaItem, AlphaItem.workspace_id == Workspace.id)
        .where(AlphaItem.title == "namesake")
    )
    with _current(acme_id):
        assert db.session.scalars(joined).all() == ["acme"]
    with all_workspaces():
        assert sorted(db.session.scalars(joined)) == ["acme", "other"]


def test_an_admin_page_works_across_workspaces_and_leaves_no_scope_behind(
    app, two_tenants, make_user
):
    """Admin pages (a ``CrossWorkspaceBlueprint``) run inside ``all_workspaces()`` for their
    request only: in a thread that serves requests one after another (no test-client context
    of its own here), the next statement is strict again."""
    from flask.testing import FlaskClient

    admin = make_user("admin@example.ma", admin=True)
    db.session.commit()
    client = sign_in(FlaskClient(app), admin)
    assert client.get("/admin/billing/invoices").status_code == 200
    with pytest.raises(WorkspaceRequired):
        db.session.scalars(select(AlphaItem)).all()
