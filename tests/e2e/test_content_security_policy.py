"""The page policy (docs/deployment.md, "Security headers") blocks nothing the platform's own
pages need: every page without parameters, opened in Chromium by a signed-in administrator who
owns an approved workspace with its modules on, loads with no "Refused to ..." message and no
``securitypolicyviolation`` event (the ``page`` fixture fails the test on either)."""

from __future__ import annotations

from typing import Any

from ent_core.testing import DEFAULT_PASSWORD, enable_all
from tests.e2e.conftest import LiveServer


def _candidates(live_server: LiveServer, slug: str) -> list[str]:
    """GET addresses of the blueprints whose only parameter, if any, is the workspace."""
    found = set()
    for rule in live_server.app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint.endswith("static"):
            continue
        if rule.rule.startswith("/api/") or set(rule.arguments) - {"workspace"}:
            continue
        found.add(rule.rule.replace("<workspace>", slug))
    return sorted(found)


def _is_page(page: Any, path: str) -> bool:
    """Whether ``path`` answers HTML (asked with the browser's cookies, not opened): files,
    feeds, scripts and JSON (the ads' decisions, answered before Flask) are no pages."""
    answer = page.request.get(path)
    return answer.headers.get("content-type", "").startswith("text/html")


def test_the_main_pages_load_under_the_policy(
    page: Any, live_server: LiveServer, make_user: Any, make_workspace: Any
) -> None:
    admin = make_user("admin.csp@example.ma", admin=True, name="Admin CSP")
    workspace = make_workspace("csp-media", owner=admin)
    enable_all(workspace)

    page.goto("/auth/sign-in")
    page.fill("input[name=email]", admin.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    visited = []
    for path in _candidates(live_server, workspace.slug):
        if "sign-out" in path or not _is_page(page, path):
            continue
        answer = page.goto(path)
        page.wait_for_load_state("load")
        visited.append((path, answer.status if answer else None))
    assert len(visited) > 20, visited
    assert ("/w/csp-media/", 200) in visited
