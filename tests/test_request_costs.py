"""What one request costs the database, and the per-request shortcuts that must stay exact.

docs/performance.md explains each shortcut; these tests keep the statement budget of a
members' page and check that nothing kept between requests leaks from one workspace, one
user or one request to the next.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from ent_core.db import db
from ent_core.testing import add_member, sign_in


@contextmanager
def statements(app: Any) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        seen.append(" ".join(sql.split()))

    engine = db.engines[None] if hasattr(db, "engines") else db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def fresh_get(client: Any, path: str, **kwargs: Any) -> Any:
    """A request in its own application context, as under a real server (not the test's)."""
    return contextvars.Context().run(client.get, path, **kwargs)


def test_a_members_page_loads_user_charter_workspace_and_roles_in_two_statements(
    app, client, user, make_workspace
):
    make_workspace("acme")
    sign_in(client, user)
    assert fresh_get(client, "/w/acme/").status_code == 200
    with statements(app) as seen:
        assert fresh_get(client, "/w/acme/").status_code == 200
    first, second = seen[0], seen[1]
    # the user loader answers the charter gate in the same statement
    assert first.startswith("SELECT user_account.id") and "charter_signature" in first
    # the tenancy guard loads the membership and its extra roles with the workspace
    assert second.startswith("SELECT workspace.id") and "membership_role" in second
    assert not any(s.startswith("SELECT charter_version.id") for s in seen[2:])
    assert not any(s.startswith("SELECT membership") for s in seen[2:])
    assert len(seen) <= 4, seen  # + the members count and the sectors of the dashboard


def test_links_and_menus_stay_in_their_own_workspace(client, user, make_workspace):
    make_workspace("acme")
    make_workspace("globex", name="Globex")
    sign_in(client, user)
    for get in (fresh_get, lambda c, p: c.get(p)):  # also with one context around both
        first = get(client, "/w/acme/").get_data(as_text=True)
        second = get(client, "/w/globex/").get_data(as_text=True)
        assert "/w/acme/members" in first and "/w/globex/" not in first
        assert "/w/globex/members" in second and "/w/acme/" not in second
        # the language switcher names the page it is on
        assert "/w/globex/?lang=en" in second and "/w/acme/?lang" not in second


def test_a_member_without_rights_never_sees_an_owners_links(
    client, user, make_user, make_workspace
):
    workspace = make_workspace("acme")
    reader = make_user("reader@example.test")
    add_member(workspace, reader, "member")
    sign_in(client, user)
    owner_page = fresh_get(client, "/w/acme/").get_data(as_text=True)
    assert "/w/acme/members" in owner_page
    sign_in(client, reader)
    for get in (fresh_get, lambda c, p: c.get(p)):
        page = get(client, "/w/acme/").get_data(as_text=True)
        assert "/w/acme/members" not in page and "/w/acme/modules" not in page


def test_a_revoked_token_stops_at_once_and_a_new_charter_closes_the_api(make_api_client, user):
    from ent_core.charter.service import publish
    from ent_core.identity.models import ApiToken

    api = make_api_client(user)

    def call(path: str) -> Any:
        return contextvars.Context().run(api.get, path)

    assert call("/api/v1/workspaces").status_code == 200
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.last_used_at is not None
    publish("2099.1", {"fr": "Nouvelle charte."}, summary="", actor=None)
    refused = call("/api/v1/workspaces")
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "charter_required"
    assert call("/api/v1/me").status_code == 200  # /me stays open
    token.revoked_at = token.created_at
    db.session.commit()
    assert call("/api/v1/me").status_code == 401
