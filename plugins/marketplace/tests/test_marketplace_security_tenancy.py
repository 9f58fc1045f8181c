"""Cross-tenant probes of the marketplace: every route of a seller's pages and API, walked by
a member of another seller with the first one's slug and ids, answers 404 and changes
nothing; a workspace with the marketplace off has no marketplace at all.

Written against ``app.url_map``: the routes every part adds are walked as they merge.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from ent_plugins.marketplace.tests.operations_kit import (
    ARGUMENT,
    marketplace_rules,
    open_shop,
    tenant_rows,
)

from ent_core import sdk
from ent_core.testing import sign_in

PAGES, API = "/w/<workspace>/marketplace", "/api/v1/workspaces/<workspace>/marketplace"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.fixture
def shop(seller: Any, user: Any, newsroom: Any) -> Any:
    return open_shop(seller, user)


@pytest.fixture
def intruder(make_user: Any, make_workspace: Any) -> Any:
    """Owner of ``studio-atlas``, another seller."""
    person = make_user("studio@atlas.ma")
    make_workspace("studio-atlas", owner=person, plugins=("marketplace",))
    sdk.db.session.commit()
    return person


def _urls(rule: Any, slug: str, ids: list[int]) -> list[str]:
    arguments = ARGUMENT.findall(rule.rule)
    numbers = ids if any(conv == "int" for conv, _ in arguments) else [0]
    urls = []
    for number in numbers:
        path = rule.rule
        for conv, name in arguments:
            value = slug if name == "workspace" else number if conv == "int" else "fact-checking"
            path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
        urls.append(path)
    return urls


def _probe(
    client: Any, app: Any, prefix: str, slug: str, ids: list[int], ids_only: bool = False, **kw: Any
) -> list[str]:
    """Every method of every rule under ``prefix``; ``ids_only``: the rules with an id."""
    leaks = []
    for rule in marketplace_rules(app, prefix):
        if ids_only and "<int:" not in rule.rule:
            continue
        for url in _urls(rule, slug, ids):
            for method in (m for m in METHODS if m in rule.methods):
                body = {"json": {}} if url.startswith("/api/") else {}
                answer = client.open(url, method=method, **body, **kw)
                if answer.status_code != 404 and not _no_oracle(
                    client, rule, slug, method, answer.status_code, body, kw
                ):
                    leaks.append(f"{method} {url} -> {answer.status_code}")
    return leaks


def _no_oracle(
    client: Any, rule: Any, slug: str, method: str, status: int, body: dict, kw: dict
) -> bool:
    """A refusal before any lookup (an empty body's 422) is no leak when a row that exists
    nowhere gets the very same answer: the status says nothing about the other's rows."""
    if status not in (400, 422):
        return False
    nowhere = next(iter(_urls(rule, slug, [987654])))
    return bool(client.open(nowhere, method=method, **body, **kw).status_code == status)


def test_another_sellers_pages_answer_404(
    app_ctx: Any, shop: Any, seller: Any, intruder: Any
) -> None:
    client = sign_in(app_ctx.test_client(), intruder)
    with sdk.all_workspaces():
        before = tenant_rows(seller.id)
    leaks = _probe(client, app_ctx, PAGES, "factcheck-lab", shop.every_id)
    assert not leaks, leaks
    with sdk.all_workspaces():
        assert tenant_rows(seller.id) == before


def test_another_sellers_ids_in_my_own_pages_answer_404(
    app_ctx: Any, shop: Any, seller: Any, intruder: Any, make_api_client: Any
) -> None:
    client = sign_in(app_ctx.test_client(), intruder)
    with sdk.all_workspaces():
        before = tenant_rows(seller.id)
    api = make_api_client(intruder)
    auth = {"Authorization": f"Bearer {api.token}"}
    leaks = _probe(client, app_ctx, PAGES, "studio-atlas", shop.every_id, ids_only=True)
    leaks += _probe(
        api.client, app_ctx, API, "studio-atlas", shop.every_id, ids_only=True, headers=auth
    )
    assert not leaks, leaks
    with sdk.all_workspaces():
        assert tenant_rows(seller.id) == before


def test_another_sellers_api_answers_404(
    app_ctx: Any, shop: Any, seller: Any, intruder: Any, make_api_client: Any
) -> None:
    api = make_api_client(intruder)
    with sdk.all_workspaces():
        before = tenant_rows(seller.id)
    auth = {"Authorization": f"Bearer {api.token}"}
    leaks = _probe(api.client, app_ctx, API, "factcheck-lab", shop.every_id, headers=auth)
    assert not leaks, leaks
    with sdk.all_workspaces():
        assert tenant_rows(seller.id) == before


def test_the_probe_can_fail(app_ctx: Any, shop: Any, seller_owner: Any) -> None:
    """The seller's owner reaches its own marketplace: the walk would see a leak."""
    client = sign_in(app_ctx.test_client(), seller_owner)
    assert _probe(client, app_ctx, PAGES, "factcheck-lab", shop.every_id)


def test_with_the_marketplace_off_its_routes_answer_404_and_its_hooks_are_silent(
    app_ctx: Any, signed_in_client: Any, newsroom: Any, user: Any, make_api_client: Any
) -> None:
    leaks = _probe(signed_in_client, app_ctx, PAGES, "matin-tech", [1])
    api = make_api_client(user)
    auth = {"Authorization": f"Bearer {api.token}"}
    leaks += _probe(api.client, app_ctx, API, "matin-tech", [1], headers=auth)
    assert not leaks, leaks
    dashboard = signed_in_client.get("/w/matin-tech/").get_data(as_text=True)
    assert "/w/matin-tech/marketplace" not in dashboard
