"""Personal API tokens through the account pages: shown once, listed, used, revoked."""

from __future__ import annotations

import re

import pytest
from flask_login import current_user

from ent_core.audit import AuditEvent
from ent_core.db import db
from ent_core.identity.models import ApiToken
from ent_core.testing import sign_in


@pytest.fixture
def browser(client, user):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return sign_in(client, user)


def create_token(browser, name="deploy script"):
    resp = browser.post("/account/tokens", data={"name": name})
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    match = re.search(r'id="new-token" type="text" readonly value="(ent_[^"]+)"', page)
    assert match, page
    return match.group(1), resp


def who_is(app, secret):
    """The account the bearer token signs in, as the API's request loader sees it."""
    if "api.me" in app.view_functions:
        resp = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
        return resp.json.get("email") if resp.status_code == 200 else resp.status_code
    with app.test_request_context("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}):
        return current_user.email if current_user.is_authenticated else 401


def test_secret_is_shown_once_and_stored_hashed(browser):
    secret, resp = create_token(browser)
    assert resp.headers["Cache-Control"] == "no-store"
    token = db.session.scalar(db.select(ApiToken))
    assert token.name == "deploy script"
    assert secret.startswith(token.prefix)
    assert secret not in token.token_hash
    listing = browser.get("/account/tokens").get_data(as_text=True)
    assert "deploy script" in listing
    assert token.prefix in listing
    assert secret not in listing
    [event] = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "token.created")
    ).all()
    assert event.subject == f"token:{token.id}"


def test_token_signs_in_the_api_and_records_last_use(app, browser, user):
    secret, _ = create_token(browser)
    assert "Never" in browser.get("/account/tokens").get_data(as_text=True)
    assert who_is(app, secret) == user.email
    token = db.session.scalar(db.select(ApiToken))
    db.session.refresh(token)
    assert token.last_used_at is not None
    assert "Never" not in browser.get("/account/tokens").get_data(as_text=True)


def test_revoked_token_is_refused(app, browser, user):
    secret, _ = create_token(browser)
    token = db.session.scalar(db.select(ApiToken))
    assert browser.get(f"/account/tokens/{token.id}/revoke").status_code == 405
    resp = browser.post(f"/account/tokens/{token.id}/revoke")
    assert resp.status_code == 302
    db.session.refresh(token)
    assert token.revoked_at is not None
    assert who_is(app, secret) == 401
    assert "Revoked on" in browser.get("/account/tokens").get_data(as_text=True)


def test_cannot_revoke_someone_elses_token(app, browser, make_user):
    from ent_core.identity.tokens import create_api_token

    stranger = make_user("stranger@example.ma")
    token, secret = create_api_token(stranger, "theirs")
    assert browser.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None
    assert who_is(app, secret) == "stranger@example.ma"


def test_token_needs_a_name(browser):
    resp = browser.post("/account/tokens", data={"name": ""})
    assert "new-token" not in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(ApiToken)) is None
