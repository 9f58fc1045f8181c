"""Sessions end when they should (docs/identity.md, "Sessions"), through HTTP.

A session cookie and a remember-me cookie captured before signing out, changing the password,
disabling the account or "sign out everywhere" are replayed on a fresh browser afterwards:
neither may sign in again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ent_core import config
from ent_core.audit import AuditEvent
from ent_core.db import db
from ent_core.testing import DEFAULT_PASSWORD

NEW_PASSWORD = "a brand new passphrase"
COOKIES = ("session", "remember_token")


def sign_in_form(client, email, password=DEFAULT_PASSWORD):
    data = {"email": email, "password": password, "remember": "y"}
    return client.post("/auth/sign-in", data=data)


def captured_cookies(client):
    """What someone copying the browser's cookies would take away."""
    return {name: client.get_cookie(name).value for name in COOKIES}


def signs_in_with(app, name, value):
    """A fresh browser holding only this one cookie reaches the account page."""
    fresh = app.test_client()
    fresh.set_cookie(name, value)
    return fresh.get("/account/").status_code == 200


@pytest.fixture
def browser(app, user):
    client = app.test_client()
    assert sign_in_form(client, user.email).status_code == 302
    stolen = captured_cookies(client)
    for name, value in stolen.items():  # the replay works before: the test can tell
        assert signs_in_with(app, name, value), name
    return client, stolen


def assert_worthless(app, stolen):
    for name, value in stolen.items():
        assert not signs_in_with(app, name, value), f"{name} still signs in"


def audit(action):
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_signing_out_ends_captured_cookies(app, browser):
    client, stolen = browser
    assert client.post("/auth/sign-out").status_code == 302
    assert_worthless(app, stolen)


def test_changing_the_password_ends_captured_cookies(app, browser):
    client, stolen = browser
    data = {"current_password": DEFAULT_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post("/account/password", data=data).status_code == 302
    assert_worthless(app, stolen)
    assert client.get("/account/").status_code == 200  # this browser is signed in again


def test_disabling_the_account_ends_captured_cookies_and_tokens(app, browser, user, api_client):
    _, stolen = browser
    cli = app.test_cli_runner()
    result = cli.invoke(args=["user", "disable", user.email, "--reason", "stolen laptop"])
    assert result.exit_code == 0, result.output
    assert_worthless(app, stolen)
    resp = api_client.get("/api/v1/me")
    assert resp.status_code == 401
    assert resp.json["error"]["code"] == "account_suspended"
    fresh = app.test_client()
    page = sign_in_form(fresh, user.email).get_data(as_text=True)
    assert fresh.get("/account/").status_code == 302
    assert "disabled" in page or "désactivé" in page
    [event] = audit("user.disabled")
    assert (event.subject, event.details["reason"]) == (user.email, "stolen laptop")


def test_enabling_again_keeps_old_cookies_dead(app, browser, user, api_client):
    _, stolen = browser
    cli = app.test_cli_runner()
    cli.invoke(args=["user", "disable", user.email, "--reason", "audit"])
    result = cli.invoke(args=["user", "enable", user.email, "--reason", "cleared"])
    assert result.exit_code == 0, result.output
    assert_worthless(app, stolen)
    assert api_client.get("/api/v1/me").status_code == 200
    assert sign_in_form(app.test_client(), user.email).status_code == 302
    assert [e.details["reason"] for e in audit("user.enabled")] == ["cleared"]


def test_suspended_tokens_are_not_counted_as_guesses(app, user, api_client):
    app.test_cli_runner().invoke(args=["user", "disable", user.email, "--reason", "x"])
    for _ in range(25):
        assert api_client.get("/api/v1/me").json["error"]["code"] == "account_suspended"


@pytest.mark.parametrize(
    "args",
    [["user", "disable", "nobody@example.ma", "--reason", "x"], ["user", "disable", "a@b.ma"]],
    ids=["unknown-account", "no-reason"],
)
def test_disable_refuses_without_an_account_or_a_reason(app, user, args):
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0


def test_sign_out_everywhere_from_another_session(app, browser, user):
    _, stolen = browser
    other = app.test_client()
    sign_in_form(other, user.email)
    page = other.get("/account/").get_data(as_text=True)
    assert 'action="/account/sign-out-everywhere"' in page
    resp = other.post("/account/sign-out-everywhere")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/auth/sign-in")
    assert_worthless(app, stolen)
    assert other.get("/account/").status_code == 302
    assert [e.subject for e in audit("auth.sign_out_everywhere")] == [user.email]


def test_sign_out_everywhere_needs_a_csrf_token(app, browser):
    client, stolen = browser
    assert client.post("/account/sign-out-everywhere", csrf=False).status_code == 400
    assert signs_in_with(app, "session", stolen["session"])


def test_cookies_are_http_only_same_site_and_short_lived(client, user):
    resp = sign_in_form(client, user.email)
    cookies = {c.split("=", 1)[0]: c for c in resp.headers.getlist("Set-Cookie")}
    for name in COOKIES:
        assert "HttpOnly" in cookies[name], name
        assert "SameSite=Lax" in cookies[name], name
    lifetime = client.get_cookie("remember_token").expires - datetime.now(UTC)
    assert timedelta(days=29) < lifetime <= timedelta(days=30)


def test_production_sets_secure_cookies():
    settings = config.load(
        {
            "ENT_ENV": "production",
            "SECRET_KEY": "s" * 32,
            "SMTP_URL": "smtp://mail.example.ma",
            "ENT_BASE_URL": "https://ent.example.ma",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    for prefix in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
        assert settings[f"{prefix}_SECURE"] is True
        assert settings[f"{prefix}_HTTPONLY"] is True
        assert settings[f"{prefix}_SAMESITE"] == "Lax"
    assert settings["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)


def test_remember_me_lifetime_is_configurable():
    assert config.load({"ENT_REMEMBER_DAYS": "7"})["REMEMBER_COOKIE_DURATION"] == timedelta(days=7)
    with pytest.raises(config.ConfigurationError):
        config.load({"ENT_REMEMBER_DAYS": "forever"})
