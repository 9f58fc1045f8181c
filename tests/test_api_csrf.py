"""CSRF and cookies by authentication method, through HTTP (docs/api.md, "Authentication").

A bearer request without our cookies is never CSRF-checked and never gets a cookie; a state
change that carries our cookies always is, API included; every error under ``/api/`` is JSON.
"""

from __future__ import annotations

import re

import pytest

from ent_core.testing import enable_all, sign_in
from tests.test_csrf import fill_rule

STATE_CHANGES = {"POST", "PUT", "PATCH", "DELETE"}


def api_state_changes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            for method in sorted(STATE_CHANGES & set(rule.methods)):
                yield method, fill_rule(rule.rule)


def new_token(app, email):
    """What an operator hands an API client: ``ent token create EMAIL``."""
    result = app.test_cli_runner().invoke(args=["token", "create", email])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("keeps_cookies", [False, True], ids=["no-cookie-jar", "cookie-jar"])
def test_api_client_goes_from_a_new_token_to_a_signed_charter_and_a_workspace(
    app, make_user, keeps_cookies
):
    """The issue's "Done when": nothing but a token, JSON and the public API. A client that
    keeps cookies (as ``requests.Session`` does) has none to keep: no answer sets one."""
    make_user("newcomer@example.ma", sign_charter=False)
    token = new_token(app, "newcomer@example.ma")
    client = app.test_client(use_cookies=keeps_cookies)
    answers = []

    def call(method, path, **kwargs):
        resp = client.open(path, method=method, headers=bearer(token), **kwargs)
        answers.append(resp)
        return resp

    assert call("GET", "/api/v1/me").json["email"] == "newcomer@example.ma"
    body = {"slug": "newsroom", "name": "Newsroom", "kind": "media"}
    refused = call("POST", "/api/v1/workspaces", json=body)
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "charter_required"
    assert refused.json["error"]["details"]["charter_url"].endswith("/charter/")
    charter = call("GET", "/api/v1/charter").json
    signed = call(
        "POST",
        "/api/v1/charter/signatures",
        json={"version": charter["version"], "sha256": charter["sha256"]},
    )
    assert signed.status_code == 201, signed.get_data(as_text=True)
    assert call("GET", "/api/v1/charter").json["signed"] is True
    created = call("POST", "/api/v1/workspaces", json=body)
    assert created.status_code == 201, created.get_data(as_text=True)
    assert call("GET", "/api/v1/workspaces/newsroom").json["slug"] == "newsroom"
    assert [r for r in answers if "Set-Cookie" in r.headers] == []
    if keeps_cookies:
        assert client.get_cookie("session") is None


def test_a_kept_cookie_never_turns_a_valid_token_away(app, client, api_client):
    """Before: a session cookie without Flask-Login's identifier (here from a page) made
    every bearer request anonymous: 401, then 429 for the whole address."""
    client.get("/auth/sign-in")  # the page's form starts a session
    assert client.get_cookie("session") is not None
    for _ in range(25):
        resp = client.get("/api/v1/me", headers=bearer(api_client.token))
        assert resp.status_code == 200, resp.get_data(as_text=True)


def test_bearer_requests_are_never_csrf_checked_and_get_no_cookie(app, workspace, api_client):
    enable_all(workspace)
    client = app.test_client(use_cookies=False)
    checked = 0
    for method, path in api_state_changes(app):
        checked += 1
        resp = client.open(path, method=method, json={}, headers=bearer(api_client.token))
        assert resp.is_json, f"{method} {path} -> {resp.status_code} {resp.content_type}"
        if resp.status_code >= 400:
            assert resp.json["error"]["code"] != "csrf_failed", f"{method} {path}"
        assert "Set-Cookie" not in resp.headers, f"{method} {path}"
    assert checked >= 10


def test_cookie_state_changes_under_api_are_csrf_checked(app, client, workspace, user, api_client):
    """Fail closed: a state change that carries the session cookie and no CSRF token is
    refused with JSON 400 ``csrf_failed`` on every API route, bearer token or not (without
    one, routes that check the caller first may answer 401: the API never reads cookies)."""
    enable_all(workspace)
    sign_in(client, user)
    wrong = []
    for method, path in api_state_changes(app):
        both = client.open(
            path, method=method, json={}, headers=bearer(api_client.token), csrf=False
        )
        cookie_only = client.open(path, method=method, json={}, csrf=False)
        if (both.status_code, error_code(both)) != (400, "csrf_failed"):
            wrong.append(f"bearer+cookie {method} {path} -> {both.status_code}")
        if (cookie_only.status_code, error_code(cookie_only)) not in CSRF_OR_ANONYMOUS:
            wrong.append(f"cookie {method} {path} -> {cookie_only.status_code}")
    assert not wrong, wrong


CSRF_OR_ANONYMOUS = {(400, "csrf_failed"), (401, "unauthorized")}


def error_code(resp):
    return resp.json["error"]["code"] if resp.is_json and "error" in resp.json else None


def test_bearer_with_our_cookie_needs_the_csrf_header(client, user, api_client, workspace):
    """Both credentials: the bearer token says who calls, the cookie makes it CSRF-checked."""
    sign_in(client, user)
    path = "/api/v1/workspaces/acme/plugins/alpha"
    refused = client.put(path, headers=bearer(api_client.token), csrf=False)
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "csrf_failed"
    headers = {**bearer(api_client.token), "X-CSRFToken": client.csrf_token()}
    assert client.put(path, headers=headers).status_code == 200
    assert "Set-Cookie" not in client.put(path, headers=headers).headers


def test_pages_answer_bearer_requests_without_a_cookie(app, api_client):
    client = app.test_client(use_cookies=False)
    for path in ("/account/", "/auth/sign-in", "/?lang=ar", "/api/v1/me?lang=ar"):
        resp = client.get(path, headers=bearer(api_client.token))
        assert "Set-Cookie" not in resp.headers, path


def test_the_api_never_sets_a_cookie_even_to_a_browser(signed_in_client):
    resp = signed_in_client.get("/api/v1/me?lang=ar")
    assert resp.status_code == 401
    assert "Set-Cookie" not in resp.headers


def test_scripts_send_the_pages_meta_token_as_a_header(signed_in_client, workspace):
    page = signed_in_client.get("/account/").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    refused = signed_in_client.post("/auth/sign-out", csrf=False)
    assert refused.status_code == 400
    resp = signed_in_client.post("/auth/sign-out", headers={"X-CSRFToken": token})
    assert resp.status_code == 302
    assert signed_in_client.get("/account/").status_code == 302


def test_anonymous_pages_carry_no_meta_token(client):
    assert 'name="csrf-token"' not in client.get("/").get_data(as_text=True)


def test_csrf_token_changes_at_sign_in(client, user):
    before = client.csrf_token()
    resp = client.post(
        "/auth/sign-in",
        data={"email": user.email, "password": "correct horse battery staple"},
    )
    assert resp.status_code == 302
    after = client.csrf_token()
    assert before != after
    stale = client.post("/auth/sign-out", data={"csrf_token": before})
    assert stale.status_code == 400
    assert client.post("/auth/sign-out").status_code == 302


def test_the_test_kit_sends_the_token_like_a_browser(client, user):
    """Form posts carry ``csrf_token``; ``csrf=False`` proves a refusal (docs/testing.md)."""
    sign_in(client, user)
    assert client.post("/account/", data={"name": "Amina", "locale": ""}).status_code == 302
    refused = client.post("/account/", data={"name": "Nope", "locale": ""}, csrf=False)
    assert refused.status_code == 400
