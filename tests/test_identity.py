"""Local accounts through HTTP: sign-up, verification, sign-in/out, reset, account pages."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from ent_core.audit import AuditEvent
from ent_core.db import db
from ent_core.identity.models import User
from ent_core.testing import DEFAULT_PASSWORD

NEW_PASSWORD = "a brand new passphrase"
SIGN_UP_PASSWORD = "long enough secret"


@pytest.fixture
def en(client):
    """A browser that asks for English pages (messages are asserted in English)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def sign_up(client, email="Nadia@Example.MA", password=SIGN_UP_PASSWORD, **extra):
    data = {"name": "Nadia Idrissi", "email": email, "password": password, "confirm": password}
    return client.post("/auth/sign-up", data={**data, **extra})


def sign_in_form(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post("/auth/sign-in", data={"email": email, "password": password, **extra})


def link_in(mail, path):
    match = re.search(rf"http://localhost({re.escape(path)}\S+)", mail["text"])
    assert match, mail["text"]
    return match.group(1)


def audit(action):
    return db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    ).all()


def is_signed_in(client):
    return client.get("/account/").status_code == 200


# -- sign-up and verification -------------------------------------------------------------------


def sign_charter(client):
    from ent_core.charter.service import current_version

    resp = client.post("/charter/sign", data={"accept": "y", "version": current_version().version})
    assert resp.status_code == 302


def test_sign_up_verify_then_sign_in(en, mail_outbox):
    resp = sign_up(en)
    assert resp.status_code == 200
    assert "Check your email" in resp.get_data(as_text=True)
    assert not is_signed_in(en)  # signed in, the page would tell that the account is new
    user = db.session.scalar(db.select(User))
    assert user.email == "nadia@example.ma"
    assert user.password_hash.startswith("$argon2id$")
    assert not user.email_verified

    assert sign_in_form(en, "nadia@example.ma", SIGN_UP_PASSWORD).status_code == 302
    gate = en.get("/account/")
    assert "/charter/" in gate.headers["Location"]  # a new member signs the charter first
    sign_charter(en)
    page = en.get("/account/").get_data(as_text=True)
    assert "Confirm your email address" in page

    [mail] = mail_outbox
    assert mail["to"] == "nadia@example.ma"
    en.post("/auth/sign-out")
    assert not is_signed_in(en)

    resp = en.get(link_in(mail, "/auth/verify/"))
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/auth/sign-in"
    db.session.refresh(user)
    assert user.email_verified
    assert [e.subject for e in audit("auth.email_verified")] == ["nadia@example.ma"]

    resp = sign_in_form(en, "NADIA@example.ma ", "long enough secret")
    assert resp.status_code == 302
    assert "Confirm your email address" not in en.get("/account/").get_data(as_text=True)


def test_verification_link_works_once(en, mail_outbox):
    sign_up(en)
    link = link_in(mail_outbox[0], "/auth/verify/")
    en.get(link)
    resp = en.get(link, follow_redirects=True)
    assert "already confirmed" in resp.get_data(as_text=True)
    assert len(audit("auth.email_verified")) == 1


def test_tampered_verification_link_is_refused(en, mail_outbox):
    sign_up(en)
    link = link_in(mail_outbox[0], "/auth/verify/")
    resp = en.get(link[:-3] + "xyz")
    assert resp.status_code == 400
    assert not db.session.scalar(db.select(User)).email_verified


def age_events(action, by=timedelta(minutes=2)):
    for event in audit(action):
        event.created_at -= by
    db.session.commit()


def test_resend_verification_sends_a_new_link(en, mail_outbox):
    sign_up(en)
    sign_in_form(en, "nadia@example.ma", SIGN_UP_PASSWORD)
    age_events("auth.verification_sent")
    resp = en.post("/auth/verify/resend")
    assert resp.status_code == 302
    assert len(mail_outbox) == 2
    en.get(link_in(mail_outbox[1], "/auth/verify/"))
    assert db.session.scalar(db.select(User)).email_verified


def test_resend_is_limited_so_nobody_floods_an_inbox(en, mail_outbox):
    sign_up(en)
    sign_in_form(en, "nadia@example.ma", SIGN_UP_PASSWORD)
    page = en.post("/auth/verify/resend", follow_redirects=True).get_data(as_text=True)
    assert "We sent a link a moment ago" in page
    assert len(mail_outbox) == 1
    for _ in range(3):
        age_events("auth.verification_sent")
        en.post("/auth/verify/resend")
    assert len(mail_outbox) == 4
    age_events("auth.verification_sent")
    en.post("/auth/verify/resend")  # a fifth mail within a day
    age_events("auth.verification_sent")
    en.post("/auth/verify/resend")
    assert len(mail_outbox) == 5


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", "between 10 and 256 characters"),
        ("long enough secret", "another secret!", "do not match"),
    ],
)
def test_sign_up_checks_the_password(en, password, confirm, message):
    resp = sign_up(en, password=password, confirm=confirm)
    assert message in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(User)) is None


# -- sign-in ------------------------------------------------------------------------------------


def test_wrong_password_is_refused_and_audited(en, user):
    resp = sign_in_form(en, user.email, "not the password")
    assert resp.status_code == 200
    assert "Wrong email address or password." in resp.get_data(as_text=True)
    assert not is_signed_in(en)
    [event] = audit("auth.sign_in_failed")
    assert event.subject == user.email
    assert event.ip_address == "127.0.0.1"


def test_sign_in_audits_and_remembers(en, user):
    resp = sign_in_form(en, user.email, remember="y")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/workspaces"
    assert "remember_token=" in ",".join(resp.headers.getlist("Set-Cookie"))
    [event] = audit("auth.sign_in")
    assert event.actor_id == user.id
    db.session.refresh(user)
    assert user.last_sign_in_at is not None


def test_sign_in_follows_a_local_next(en, user):
    resp = sign_in_form(en, user.email, next="/w/acme/members?tab=1")
    assert resp.headers["Location"] == "/w/acme/members?tab=1"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example/x",
        "/\t/evil.example",
    ],
)
def test_sign_in_refuses_an_open_redirect(en, user, target):
    resp = sign_in_form(en, user.email, next=target)
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/workspaces"


def test_pages_send_anonymous_people_to_sign_in_and_back(en, user):
    resp = en.get("/account/tokens")
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/auth/sign-in?next=")
    page = en.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/account/tokens"' in page
    resp = sign_in_form(en, user.email, next="/account/tokens")
    assert resp.headers["Location"] == "/account/tokens"


def test_sign_out_is_a_post_and_audited(en, user):
    sign_in_form(en, user.email)
    assert en.get("/auth/sign-out").status_code == 405
    resp = en.post("/auth/sign-out")
    assert resp.status_code == 302
    assert not is_signed_in(en)
    assert [e.subject for e in audit("auth.sign_out")] == [user.email]


def test_sign_out_needs_a_csrf_token(en, user):
    sign_in_form(en, user.email)
    assert en.post("/auth/sign-out", csrf=False).status_code == 400
    assert is_signed_in(en)


def test_outdated_hash_parameters_are_upgraded_at_sign_in(en, make_user):
    user = make_user("old@example.ma")
    old_hash = PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1).hash(DEFAULT_PASSWORD)
    user.password_hash = old_hash
    db.session.commit()
    assert sign_in_form(en, user.email).status_code == 302
    db.session.refresh(user)
    assert user.password_hash != old_hash
    assert user.password_hash.startswith("$argon2id$")
    en.post("/auth/sign-out")
    assert sign_in_form(en, user.email).status_code == 302


def test_disabled_account_cannot_sign_in(en, make_user):
    user = make_user("gone@example.ma")
    user.is_active_account = False
    db.session.commit()
    resp = sign_in_form(en, user.email)
    assert "This account is disabled." in resp.get_data(as_text=True)
    assert not is_signed_in(en)


# -- throttling ---------------------------------------------------------------------------------


def test_repeated_failures_answer_429_with_retry_after(app, en, user):
    limit = app.config["ENT_SIGN_IN_MAX_FAILURES"]
    for _ in range(limit):
        assert sign_in_form(en, user.email, "wrong password!").status_code == 200
    resp = sign_in_form(en, user.email)  # even the right password is refused now
    assert resp.status_code == 429
    assert 0 < int(resp.headers["Retry-After"]) <= app.config["ENT_SIGN_IN_WINDOW_SECONDS"]
    page = resp.get_data(as_text=True)
    assert "Too many failed sign-in attempts. Please try again in 15 minutes." in page
    assert '<form method="post"' in page
    assert not is_signed_in(en)
    assert len(audit("auth.sign_in_failed")) == limit


def test_throttling_counts_per_email(app, en, user, make_user):
    other = make_user("other@example.ma")
    for _ in range(app.config["ENT_SIGN_IN_MAX_FAILURES"]):
        sign_in_form(en, user.email, "wrong password!")
    assert sign_in_form(en, other.email).status_code == 302


def test_failures_before_a_successful_sign_in_no_longer_count(app, en, user):
    for _ in range(app.config["ENT_SIGN_IN_MAX_FAILURES"] - 1):
        sign_in_form(en, user.email, "wrong password!")
    assert sign_in_form(en, user.email).status_code == 302
    en.post("/auth/sign-out")
    assert sign_in_form(en, user.email, "wrong password!").status_code == 200


def test_old_failures_leave_the_window(app, en, user):
    for _ in range(app.config["ENT_SIGN_IN_MAX_FAILURES"]):
        sign_in_form(en, user.email, "wrong password!")
    for event in audit("auth.sign_in_failed"):
        event.created_at -= timedelta(seconds=app.config["ENT_SIGN_IN_WINDOW_SECONDS"] + 1)
    db.session.commit()
    assert sign_in_form(en, user.email).status_code == 302


def test_throttling_counts_per_address(app, en, user, monkeypatch):
    monkeypatch.setitem(app.config, "ENT_SIGN_IN_MAX_FAILURES_PER_IP", 3)
    for n in range(3):
        sign_in_form(en, f"guess{n}@example.ma", "wrong password!")
    resp = sign_in_form(en, user.email)
    assert resp.status_code == 429
    assert "Retry-After" in resp.headers
    resp = en.post(
        "/auth/sign-in",
        data={"email": user.email, "password": DEFAULT_PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert resp.status_code == 302


# -- password reset -----------------------------------------------------------------------------


def ask_reset(client, email):
    return client.post("/auth/reset", data={"email": email}, follow_redirects=True)


#: A page's CSRF token is signed with the time: two answers differ by it alone.
CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*"')


def page_text(resp):
    return CSRF_VALUE.sub(r'\1"', resp.get_data(as_text=True))


def test_reset_answers_the_same_whether_or_not_the_account_exists(en, user, mail_outbox):
    known = ask_reset(en, user.email)
    unknown = ask_reset(en, "nobody@example.ma")
    norm = lambda r: page_text(r).replace("nobody@example.ma", user.email)  # noqa: E731
    assert known.status_code == unknown.status_code == 200
    assert norm(known) == norm(unknown)
    assert [m["to"] for m in mail_outbox] == [user.email]


def test_reset_mails_are_limited_but_the_answer_is_the_same(en, user, mail_outbox):
    first = ask_reset(en, user.email)
    second = ask_reset(en, user.email)
    assert page_text(first) == page_text(second)
    assert len(mail_outbox) == 1
    age_events("auth.password_reset_requested")
    ask_reset(en, user.email)
    assert len(mail_outbox) == 2


def test_reset_flow_ends_other_sessions(app, en, user, mail_outbox):
    other_device = app.test_client()
    sign_in_form(other_device, user.email)
    assert is_signed_in(other_device)

    ask_reset(en, user.email)
    link = link_in(mail_outbox[0], "/auth/reset/")
    assert en.get(link).status_code == 200
    resp = en.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/auth/sign-in"

    assert not is_signed_in(other_device)
    assert sign_in_form(en, user.email).status_code == 200
    assert sign_in_form(en, user.email, NEW_PASSWORD).status_code == 302
    assert [e.subject for e in audit("auth.password_reset")] == [user.email]


def test_reset_link_works_once(en, user, mail_outbox):
    ask_reset(en, user.email)
    link = link_in(mail_outbox[0], "/auth/reset/")
    en.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    resp = en.post(
        link, data={"password": "yet another passphrase", "confirm": "yet another passphrase"}
    )
    assert resp.status_code == 400
    assert "already used" in resp.get_data(as_text=True)
    assert en.get(link).status_code == 400
    assert sign_in_form(en, user.email, NEW_PASSWORD).status_code == 302


def test_expired_reset_link_is_refused(en, user, mail_outbox, monkeypatch):
    from itsdangerous.timed import TimestampSigner

    two_hours_ago = int(time.time()) - 2 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: two_hours_ago)
        ask_reset(en, user.email)
    link = link_in(mail_outbox[0], "/auth/reset/")
    resp = en.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert resp.status_code == 400
    assert "This link has expired" in resp.get_data(as_text=True)
    assert sign_in_form(en, user.email).status_code == 302


def test_expired_verification_link_is_refused(en, mail_outbox, monkeypatch):
    from itsdangerous.timed import TimestampSigner

    four_days_ago = int(time.time()) - 4 * 86400
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: four_days_ago)
        sign_up(en)
    resp = en.get(link_in(mail_outbox[0], "/auth/verify/"))
    assert resp.status_code == 400
    assert "This link has expired" in resp.get_data(as_text=True)
    assert not db.session.scalar(db.select(User)).email_verified


def test_reset_lifts_the_throttle_for_the_email(app, en, user, mail_outbox):
    for _ in range(app.config["ENT_SIGN_IN_MAX_FAILURES"]):
        sign_in_form(en, user.email, "wrong password!")
    ask_reset(en, user.email)
    en.post(
        link_in(mail_outbox[0], "/auth/reset/"),
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert sign_in_form(en, user.email, NEW_PASSWORD).status_code == 302


# -- account pages ------------------------------------------------------------------------------


def test_profile_saves_name_and_language(en, user):
    sign_in_form(en, user.email)
    resp = en.post("/account/", data={"name": "Amina B.", "locale": "ar"})
    assert resp.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.locale) == ("Amina B.", "ar")
    page = en.get("/account/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    en.post("/account/", data={"name": "Amina B.", "locale": ""})
    db.session.refresh(user)
    assert user.locale is None


def test_profile_refuses_an_unknown_language(en, user):
    sign_in_form(en, user.email)
    resp = en.post("/account/", data={"name": "Amina", "locale": "xx"})
    assert resp.status_code == 200
    db.session.refresh(user)
    assert user.locale is None


def test_password_change_needs_the_current_password(en, user):
    sign_in_form(en, user.email)
    resp = en.post(
        "/account/password",
        data={
            "current_password": "not it at all",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert "The current password is not correct." in resp.get_data(as_text=True)
    en.post("/auth/sign-out")
    assert sign_in_form(en, user.email).status_code == 302


def test_password_change_keeps_this_session_and_ends_the_others(app, en, user):
    other_device = app.test_client()
    sign_in_form(other_device, user.email)
    sign_in_form(en, user.email)
    resp = en.post(
        "/account/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert resp.status_code == 302
    assert is_signed_in(en)
    assert not is_signed_in(other_device)
    en.post("/auth/sign-out")
    assert sign_in_form(en, user.email, NEW_PASSWORD).status_code == 302
