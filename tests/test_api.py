"""API v1 through HTTP: authentication, workspaces, plugins, pagination and error codes."""

from __future__ import annotations

import pytest

from ent_core.audit import AuditEvent
from ent_core.db import db
from ent_core.workspaces.models import Membership, Workspace

ME = "/api/v1/me"


def error_of(resp, status):
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.is_json
    return resp.json["error"]


def audit_events(action):
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


def add_member(workspace, user, role="member"):
    db.session.add(Membership(workspace_id=workspace.id, user_id=user.id, role=role))
    db.session.commit()


# -- authentication ------------------------------------------------------------------------


def test_me_describes_the_token_owner(api_client, user):
    resp = api_client.get(ME)
    assert resp.status_code == 200
    assert resp.json["email"] == "owner@example.ma"
    assert resp.json["name"] == "Amina Owner"
    assert resp.json["email_verified"] is True
    assert resp.json["is_admin"] is False
    assert resp.json["id"] == user.id
    assert resp.json["created_at"].startswith(str(user.created_at.year))


def test_no_token_is_unauthorized(client):
    resp = client.get(ME)
    assert error_of(resp, 401)["code"] == "unauthorized"
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer ent_not-a-real-token", "Bearer nonsense", "Basic dXNlcjpwYXNz"]
)
def test_bad_credentials_are_unauthorized(client, header):
    resp = client.get(ME, headers={"Authorization": header})
    assert error_of(resp, 401)["code"] == "unauthorized"


def test_revoked_token_is_unauthorized(app_ctx, make_api_client, user):
    from ent_core.identity.models import ApiToken
    from ent_core.identity.tokens import revoke_api_token

    api = make_api_client(user)
    assert api.get(ME).status_code == 200
    revoke_api_token(db.session.scalar(db.select(ApiToken)))
    assert error_of(api.get(ME), 401)["code"] == "unauthorized"


def test_session_cookie_never_authenticates_the_api(signed_in_client, workspace):
    assert error_of(signed_in_client.get(ME), 401)["code"] == "unauthorized"
    assert error_of(signed_in_client.get("/api/v1/workspaces/acme"), 401)["code"] == (
        "unauthorized"
    )


def test_token_in_a_cookie_never_authenticates(client, api_client):
    for name in ("Authorization", "token", "session"):
        client.set_cookie(name, api_client.token)
    assert error_of(client.get(ME), 401)["code"] == "unauthorized"


def test_bearer_token_does_not_open_pages(client, api_client):
    resp = client.get("/account/", headers={"Authorization": f"Bearer {api_client.token}"})
    assert resp.status_code == 302
    assert "/auth/sign-in" in resp.headers["Location"]


def test_bearer_token_does_not_open_members_pages(client, api_client, workspace):
    resp = client.get("/w/acme/", headers={"Authorization": f"Bearer {api_client.token}"})
    assert resp.status_code == 302


def test_repeated_invalid_tokens_are_rate_limited(client, api_client):
    bad = {"Authorization": "Bearer ent_guess"}
    for _ in range(20):
        assert client.get(ME, headers=bad).status_code == 401
    resp = client.get(ME, headers=bad)
    error = error_of(resp, 429)
    assert error["code"] == "rate_limited"
    assert 0 < int(resp.headers["Retry-After"]) <= 600
    assert error["details"]["retry_after"] == int(resp.headers["Retry-After"])
    # A valid token still works from that address; another address is not affected.
    assert api_client.get(ME).status_code == 200
    other = client.get(ME, headers=bad, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 401
    rejected = audit_events("auth.token_rejected")
    assert {e.subject for e in rejected} == {"127.0.0.1", "10.0.0.9"}
    assert len(rejected) == 21


def test_rate_limit_follows_configuration(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ENT_API_TOKEN_MAX_FAILURES", 2)
    bad = {"Authorization": "Bearer ent_guess"}
    assert [client.get(ME, headers=bad).status_code for _ in range(3)] == [401, 401, 429]


def test_unknown_api_path_and_method_answer_json(api_client):
    assert error_of(api_client.get("/api/v1/nothing-here"), 404)["code"] == "not_found"
    assert error_of(api_client.delete(ME), 405)["code"] == "method_not_allowed"


# -- workspaces ----------------------------------------------------------------------------


def test_list_shows_only_the_callers_workspaces(api_client, workspace, make_user, make_workspace):
    make_workspace("other", owner=make_user("someone@example.ma"))
    resp = api_client.get("/api/v1/workspaces")
    assert resp.status_code == 200
    assert resp.json["next_cursor"] is None
    assert resp.json["items"] == [
        {
            "slug": "acme",
            "name": "Acme",
            "kind": "media",
            "sectors": ["it"],
            "status": "approved",
            "plugins": [],
            "timezone": "Africa/Casablanca",
            "created_at": resp.json["items"][0]["created_at"],
            "url": "http://localhost/w/acme/",
        }
    ]


def test_listing_every_workspace_is_for_admins(api_client, workspace):
    error = error_of(api_client.get("/api/v1/workspaces?all=1"), 403)
    assert error["code"] == "forbidden"
    assert audit_events("admin.workspace_read") == []


def test_admin_pages_through_every_workspace(app_ctx, make_user, make_api_client):
    admin = make_user("admin@example.ma", admin=True)
    db.session.add_all(
        Workspace(slug=f"ws-{n:03d}", name=f"W {n}", kind="media", status="approved")
        for n in range(120)
    )
    db.session.commit()
    api = make_api_client(admin)
    assert api.get("/api/v1/workspaces").json["items"] == []  # a member of none

    slugs, cursor, sizes = [], None, []
    while True:
        url = "/api/v1/workspaces?all=1" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(url)
        assert page.status_code == 200
        sizes.append(len(page.json["items"]))
        slugs += [w["slug"] for w in page.json["items"]]
        cursor = page.json["next_cursor"]
        if cursor is None:
            break
    assert sizes == [50, 50, 20]
    assert slugs == [f"ws-{n:03d}" for n in range(120)]
    assert len(audit_events("admin.workspace_read")) == 3

    big = api.get("/api/v1/workspaces?all=1&limit=100").json
    assert len(big["items"]) == 100
    rest = api.get(f"/api/v1/workspaces?all=true&limit=100&cursor={big['next_cursor']}").json
    assert [w["slug"] for w in rest["items"]] == [f"ws-{n:03d}" for n in range(100, 120)]
    assert rest["next_cursor"] is None


@pytest.mark.parametrize("limit", ["0", "101", "many"])
def test_limit_out_of_range_is_a_validation_error(api_client, limit):
    error = error_of(api_client.get(f"/api/v1/workspaces?limit={limit}"), 422)
    assert error["code"] == "validation_error"
    assert list(error["details"]["fields"]) == ["limit"]


def test_forged_cursor_is_refused(api_client):
    error = error_of(api_client.get("/api/v1/workspaces?cursor=MTA.forged"), 400)
    assert error["code"] == "invalid_cursor"


def test_create_workspace(api_client, user):
    body = {"slug": "nouvelle-voix", "name": "Nouvelle Voix", "kind": "association"}
    resp = api_client.post("/api/v1/workspaces", json=body | {"sectors": ["green", "it"]})
    assert resp.status_code == 201, resp.json
    assert resp.json["slug"] == "nouvelle-voix"
    assert resp.json["sectors"] == ["it", "green"]
    assert resp.json["url"] == "http://localhost/w/nouvelle-voix/"
    assert [w["slug"] for w in api_client.get("/api/v1/workspaces").json["items"]] == [
        "nouvelle-voix"
    ]
    assert api_client.get("/api/v1/workspaces/nouvelle-voix").json["name"] == "Nouvelle Voix"
    assert [e.subject for e in audit_events("workspace.created")] == ["nouvelle-voix"]


def test_create_workspace_reports_every_invalid_field(api_client):
    error = error_of(api_client.post("/api/v1/workspaces", json={"kind": "bakery", "x": 1}), 422)
    assert error["code"] == "validation_error"
    fields = error["details"]["fields"]
    assert set(fields) == {"slug", "name", "kind", "x"}
    assert all(isinstance(m, str) and m for messages in fields.values() for m in messages)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slug": "acme", "name": "Again", "kind": "media"}, "slug"),
        ({"slug": "Bad Slug!", "name": "Bad", "kind": "media"}, "slug"),
        ({"slug": "fine-slug", "name": "  ", "kind": "media"}, "name"),
        ({"slug": "fine-slug", "name": "Fine", "kind": "media", "sectors": ["moon"]}, "sectors"),
    ],
)
def test_create_workspace_service_refusals_name_the_field(api_client, workspace, body, field):
    error = error_of(api_client.post("/api/v1/workspaces", json=body), 422)
    assert error["code"] == "validation_error"
    assert list(error["details"]["fields"]) == [field]


def test_create_workspace_needs_json(api_client):
    form = api_client.post(
        "/api/v1/workspaces",
        data="slug=x&name=y",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert error_of(form, 415)["code"] == "unsupported_media_type"
    broken = api_client.post(
        "/api/v1/workspaces", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert error_of(broken, 400)["code"] == "invalid_json"
    empty = error_of(api_client.post("/api/v1/workspaces"), 422)
    assert list(empty["details"]["fields"]) == ["body"]
    not_object = error_of(api_client.post("/api/v1/workspaces", json=[1, 2]), 422)
    assert list(not_object["details"]["fields"]) == ["body"]


def test_create_workspace_needs_a_verified_email(make_user, make_api_client):
    api = make_api_client(make_user("new@example.ma", verified=False))
    body = {"slug": "unverified", "name": "U", "kind": "media"}
    assert error_of(api.post("/api/v1/workspaces", json=body), 403)["code"] == (
        "email_not_verified"
    )


def test_read_workspace(api_client, workspace):
    resp = api_client.get("/api/v1/workspaces/acme")
    assert resp.status_code == 200
    assert resp.json["slug"] == "acme"
    assert resp.json["plugins"] == []


def test_strangers_and_unknown_slugs_get_not_found(make_user, make_api_client, workspace):
    stranger = make_api_client(make_user("stranger@example.ma"))
    for path in ("/api/v1/workspaces/acme", "/api/v1/workspaces/nowhere"):
        assert error_of(stranger.get(path), 404)["code"] == "not_found"
    put = stranger.put("/api/v1/workspaces/acme/plugins/alpha")
    assert error_of(put, 404)["code"] == "not_found"


def test_admin_reads_any_workspace_and_is_audited(make_user, make_api_client, workspace):
    admin = make_api_client(make_user("admin@example.ma", admin=True))
    assert admin.get("/api/v1/workspaces/acme").json["slug"] == "acme"
    assert [e.subject for e in audit_events("admin.workspace_read")] == ["/api/v1/workspaces/acme"]


def test_workspace_routes_need_a_token(client, workspace):
    assert error_of(client.get("/api/v1/workspaces/acme"), 401)["code"] == "unauthorized"
    assert error_of(client.get("/api/v1/workspaces"), 401)["code"] == "unauthorized"
    ping = client.get("/api/v1/workspaces/acme/alpha/ping")
    assert error_of(ping, 401)["code"] == "unauthorized"


# -- plugins -------------------------------------------------------------------------------


def test_installed_plugins(api_client):
    resp = api_client.get("/api/v1/plugins")
    assert resp.status_code == 200
    plugins = {p["name"]: p for p in resp.json["items"]}
    assert plugins["alpha"] == {
        "name": "alpha",
        "version": "1.0.0",
        "label": "Alpha",
        "description": "Test plugin alpha",
        "category": "other",
        "requires": [],
        "restricted": False,
        "compatibility": ">=0.1",
        "plan_feature": None,
        "quotas": [],
    }
    assert plugins["beta"]["requires"] == ["alpha"]
    assert plugins["publishing"]["plan_feature"] == "publishing"
    assert plugins["stall"]["quotas"] == [
        {"name": "marketplace_listings_per_month", "label": "Listings a month"}
    ]
    assert resp.json["next_cursor"] is None


def test_installed_plugins_paginate(api_client):
    first = api_client.get("/api/v1/plugins?limit=1").json
    assert len(first["items"]) == 1
    second = api_client.get(f"/api/v1/plugins?limit=1&cursor={first['next_cursor']}").json
    assert second["items"] and second["items"][0]["name"] != first["items"][0]["name"]


def test_workspace_plugins_show_state_and_settings(api_client, workspace):
    items = {p["name"]: p for p in api_client.get("/api/v1/workspaces/acme/plugins").json["items"]}
    assert items["alpha"]["enabled"] is False
    assert items["alpha"]["settings"] == {"greeting": "Salam", "limit": 3, "loud": False}
    assert items["beta"]["settings"] == {}
    assert items["alpha"]["entitled"] is True  # free: no plan feature
    assert items["publishing"]["entitled"] is False  # no subscription yet


def test_plain_members_see_state_but_not_settings(make_user, make_api_client, workspace):
    member = make_user("member@example.ma")
    add_member(workspace, member)
    items = make_api_client(member).get("/api/v1/workspaces/acme/plugins").json["items"]
    alpha = next(p for p in items if p["name"] == "alpha")
    assert alpha["enabled"] is False
    assert alpha["settings"] is None


def test_switch_plugin_on_and_off(api_client, workspace):
    ping = "/api/v1/workspaces/acme/alpha/ping"
    assert error_of(api_client.get(ping), 404)["code"] == "not_found"

    resp = api_client.put("/api/v1/workspaces/acme/plugins/alpha")
    assert resp.status_code == 200, resp.json
    assert resp.json["plugin"] == "alpha"
    assert resp.json["enabled"] is True
    assert resp.json["settings"] == {"greeting": "Salam", "limit": 3, "loud": False}
    assert resp.json["enabled_at"]
    assert api_client.get(ping).json == {"pong": "acme"}
    assert api_client.get("/api/v1/workspaces/acme").json["plugins"] == ["alpha"]

    off = api_client.delete("/api/v1/workspaces/acme/plugins/alpha")
    assert off.status_code == 204
    assert off.data == b""
    assert error_of(api_client.get(ping), 404)["code"] == "not_found"
    assert api_client.get("/api/v1/workspaces/acme").json["plugins"] == []


def test_put_saves_settings(api_client, workspace):
    url = "/api/v1/workspaces/acme/plugins/alpha"
    resp = api_client.put(url, json={"greeting": "Bonjour", "limit": 7, "loud": True})
    assert resp.json["settings"] == {"greeting": "Bonjour", "limit": 7, "loud": True}
    again = api_client.put(url, json={"limit": 2})
    assert again.json["settings"] == {"greeting": "Bonjour", "limit": 2, "loud": True}


@pytest.mark.parametrize(
    ("body", "field"), [({"limit": 50}, "limit"), ({"colour": "red"}, "colour"), ([1], "body")]
)
def test_put_refuses_invalid_settings_per_field(api_client, workspace, body, field):
    error = error_of(api_client.put("/api/v1/workspaces/acme/plugins/alpha", json=body), 422)
    assert error["code"] == "validation_error"
    assert list(error["details"]["fields"]) == [field]
    assert error["details"]["fields"][field]
    assert api_client.get("/api/v1/workspaces/acme").json["plugins"] == []


def test_requirements_are_enforced_both_ways(api_client, workspace):
    base = "/api/v1/workspaces/acme/plugins"
    error = error_of(api_client.put(f"{base}/beta"), 409)
    assert error["code"] == "plugin_requires"
    assert error["details"]["requires"] == ["alpha"]
    assert api_client.put(f"{base}/alpha").status_code == 200
    assert api_client.put(f"{base}/beta").status_code == 200
    error = error_of(api_client.delete(f"{base}/alpha"), 409)
    assert error["code"] == "plugin_required_by"
    assert error["details"]["required_by"] == ["beta"]
    assert api_client.get("/api/v1/workspaces/acme").json["plugins"] == ["alpha", "beta"]


def test_unknown_plugin_is_not_found(api_client, workspace):
    for method in ("put", "delete"):
        resp = getattr(api_client, method)("/api/v1/workspaces/acme/plugins/nothing")
        assert error_of(resp, 404)["code"] == "not_found"


def test_switching_needs_the_permission(make_user, make_api_client, workspace):
    member = make_user("member@example.ma")
    add_member(workspace, member, role="editor")
    api = make_api_client(member)
    for resp in (
        api.put("/api/v1/workspaces/acme/plugins/alpha"),
        api.delete("/api/v1/workspaces/acme/plugins/alpha"),
    ):
        error = error_of(resp, 403)
        assert error["code"] == "forbidden"
        assert error["details"]["permission"] == "workspace.manage_plugins"


def test_unapproved_workspace_cannot_switch_plugins_on(api_client, workspace):
    workspace.status = "pending"
    db.session.commit()
    error = error_of(api_client.put("/api/v1/workspaces/acme/plugins/alpha"), 403)
    assert error["code"] == "workspace_not_approved"


def test_plugin_switches_are_audited(api_client, workspace, user):
    api_client.put("/api/v1/workspaces/acme/plugins/alpha")
    api_client.delete("/api/v1/workspaces/acme/plugins/alpha")
    enabled, disabled = audit_events("plugin.enabled"), audit_events("plugin.disabled")
    assert [(e.subject, e.actor_id) for e in enabled + disabled] == [
        ("plugin:alpha", user.id),
        ("plugin:alpha", user.id),
    ]


def test_api_needs_no_csrf_token(api_client, workspace):
    body = {"slug": "sans-csrf", "name": "Sans CSRF", "kind": "media"}
    assert api_client.post("/api/v1/workspaces", json=body).status_code == 201
    assert api_client.put("/api/v1/workspaces/acme/plugins/alpha").status_code == 200
    assert api_client.delete("/api/v1/workspaces/acme/plugins/alpha").status_code == 204
