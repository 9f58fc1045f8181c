"""OpenID Connect sign-in against a real provider (oidc-provider-mock) served on loopback.

The browser is the Flask test client on our side and ``requests`` on the provider's side: it
follows our redirect to the provider's authorization form, submits it, and brings the code back
to our callback, which exchanges it over real HTTP (discovery, token endpoint, JWKS).
"""

from __future__ import annotations

import socket
import threading
import warnings
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
import werkzeug.serving

from ent_core.audit import AuditEvent
from ent_core.config import OIDCProvider
from ent_core.db import db
from ent_core.identity.models import OIDCIdentity, User

# The provider (not our client) still calls authlib's older server APIs.
pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")


@pytest.fixture(scope="module")
def provider_url():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the provider's own imports
        import oidc_provider_mock

    server = werkzeug.serving.make_server(
        "127.0.0.1", 0, oidc_provider_mock.app(require_nonce=True), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    server.server_close()


@pytest.fixture
def mock_provider(app, provider_url, monkeypatch):
    config = OIDCProvider("mock", provider_url, "ent-client", "ent-client-secret", "Mock ID")
    monkeypatch.setitem(app.config, "ENT_OIDC_PROVIDERS", {"mock": config})
    return config


@pytest.fixture
def browser(client, mock_provider):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def provider_user(provider_url, sub, **claims):
    resp = requests.put(f"{provider_url}/users/{sub}", json=claims, timeout=5)
    assert resp.status_code == 204


def go_to_provider(browser, provider_url, query=""):
    resp = browser.get("/auth/oidc/mock/login" + query)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    authorize_url = resp.headers["Location"]
    assert authorize_url.startswith(f"{provider_url}/oauth2/authorize?")
    return authorize_url


def consent(authorize_url, sub):
    """Play the person at the provider: open its form, authorize, get sent back."""
    form = requests.get(authorize_url, timeout=5)
    assert form.status_code == 200
    assert 'name="sub"' in form.text
    back = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    callback = urlsplit(back.headers["Location"])
    assert (callback.scheme, callback.netloc) == ("http", "localhost")
    return f"{callback.path}?{callback.query}"


def oidc_sign_in(browser, provider_url, sub, query=""):
    callback = consent(go_to_provider(browser, provider_url, query), sub)
    return browser.get(callback)


def signed_in_email(browser):
    resp = browser.get("/account/")
    # A new account meets the charter gate first: being sent there also proves the session.
    if resp.status_code != 200 and "/charter/" not in resp.headers.get("Location", ""):
        return None
    return db.session.scalar(db.select(User.email).where(User.last_sign_in_at.is_not(None)))


def test_authorization_request_uses_pkce_state_and_nonce(browser, provider_url):
    params = parse_qs(urlsplit(go_to_provider(browser, provider_url)).query)
    assert params["response_type"] == ["code"]
    assert params["client_id"] == ["ent-client"]
    assert params["redirect_uri"] == ["http://localhost/auth/oidc/mock/callback"]
    assert set(params["scope"][0].split()) == {"openid", "email", "profile"}
    assert params["code_challenge_method"] == ["S256"]
    assert params["state"][0] and params["nonce"][0] and params["code_challenge"][0]


def test_new_account_from_a_verified_email(browser, provider_url):
    provider_user(
        provider_url, "sub-new", email="Youssef@Example.MA", email_verified=True, name="Youssef"
    )
    resp = oidc_sign_in(browser, provider_url, "sub-new")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert resp.headers["Location"] == "/workspaces"
    user = db.session.scalar(db.select(User))
    assert (user.email, user.name, user.password_hash) == ("youssef@example.ma", "Youssef", None)
    assert user.email_verified
    identity = db.session.scalar(db.select(OIDCIdentity))
    assert (identity.provider, identity.subject, identity.user_id) == ("mock", "sub-new", user.id)
    assert signed_in_email(browser) == "youssef@example.ma"
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "auth.sign_in"))
    assert event.details == {"method": "oidc", "provider": "mock"}


def test_new_account_from_an_unverified_email_stays_unverified(browser, provider_url):
    provider_user(provider_url, "sub-unv", email="karim@example.ma", email_verified=False)
    assert oidc_sign_in(browser, provider_url, "sub-unv").status_code == 302
    user = db.session.scalar(db.select(User))
    assert user.email == "karim@example.ma"
    assert not user.email_verified


def test_links_an_existing_account_by_verified_email(browser, provider_url, user):
    provider_user(provider_url, "sub-link", email=user.email.upper(), email_verified=True)
    resp = oidc_sign_in(browser, provider_url, "sub-link", "?next=/account/tokens")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/account/tokens"
    identity = db.session.scalar(db.select(OIDCIdentity))
    assert identity.user_id == user.id
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
    assert signed_in_email(browser) == user.email


def test_refuses_to_link_on_an_unverified_email(browser, provider_url, user):
    provider_user(provider_url, "sub-evil", email=user.email, email_verified=False)
    resp = oidc_sign_in(browser, provider_url, "sub-evil")
    assert resp.status_code == 409
    page = resp.get_data(as_text=True)
    assert "has not verified that this address is yours" in page
    assert db.session.scalar(db.select(OIDCIdentity)) is None
    assert browser.get("/account/").status_code == 302


def test_known_identity_signs_in_its_account(browser, provider_url, user):
    provider_user(provider_url, "sub-known", email=user.email, email_verified=True)
    oidc_sign_in(browser, provider_url, "sub-known")
    browser.post("/auth/sign-out")
    # The provider's email changed since: the subject, not the email, finds the account.
    provider_user(provider_url, "sub-known", email="renamed@example.ma", email_verified=False)
    assert oidc_sign_in(browser, provider_url, "sub-known").status_code == 302
    assert signed_in_email(browser) == user.email
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_unknown_provider_is_404(browser):
    assert browser.get("/auth/oidc/nope/login").status_code == 404
    assert browser.get("/auth/oidc/nope/callback?code=x&state=y").status_code == 404


def test_state_mismatch_is_refused(browser, provider_url):
    provider_user(provider_url, "sub-state", email="state@example.ma", email_verified=True)
    callback = consent(go_to_provider(browser, provider_url), "sub-state")
    path, _, query = callback.partition("?")
    params = {k: v[0] for k, v in parse_qs(query).items()}
    params["state"] = "forged-" + params["state"]
    resp = browser.get(f"{path}?{urlencode(params)}")
    assert resp.status_code == 400
    assert "could not be completed" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(User)) is None
    assert browser.get("/account/").status_code == 302


def test_callback_from_another_browser_is_refused(app, browser, provider_url):
    provider_user(provider_url, "sub-csrf", email="csrf@example.ma", email_verified=True)
    callback = consent(go_to_provider(browser, provider_url), "sub-csrf")
    victim = app.test_client()
    assert victim.get(callback).status_code == 400
    assert db.session.scalar(db.select(User)) is None


def test_sign_in_page_offers_the_providers(browser, mock_provider):
    page = browser.get("/auth/sign-in?next=/account/").get_data(as_text=True)
    assert "Sign in with Mock ID" in page
    assert 'href="/auth/oidc/mock/login?next=/account/"' in page


def test_unreachable_provider_is_a_clear_error(app, browser, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    config = OIDCProvider("down", f"http://127.0.0.1:{closed}", "id", "secret", "Down ID")
    monkeypatch.setitem(app.config, "ENT_OIDC_PROVIDERS", {"down": config})
    resp = browser.get("/auth/oidc/down/login")
    assert resp.status_code == 502
    assert "Down ID cannot be reached right now" in resp.get_data(as_text=True)
