"""Sign-up and password reset tell nobody which addresses have an account: the same status and
page, the same work while answering, and the mail goes to the address's owner
(docs/identity.md, "Sign-up" and "Password reset")."""

from __future__ import annotations

import re

import pytest

from ent_core.db import db
from ent_core.identity import service
from ent_core.identity.models import User

PASSWORD = "long enough secret"
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="[^"]*"')


def _sign_up(client, email, lang="en"):
    data = {"name": "Nadia Idrissi", "email": email, "password": PASSWORD, "confirm": PASSWORD}
    return client.post("/auth/sign-up", data=data, headers={"Accept-Language": lang})


def _page(resp, email):
    """The page with the address and the CSRF token (different for each visitor) blanked."""
    return TOKEN.sub("csrf", resp.get_data(as_text=True).replace(email, "EMAIL"))


@pytest.fixture
def hashes(monkeypatch):
    """The passwords hashed while answering (argon2 is most of a sign-up's time)."""
    seen = []
    real = service.hash_password

    def spy(password):
        seen.append(password)
        return real(password)

    monkeypatch.setattr(service, "hash_password", spy)
    return seen


def test_sign_up_answers_the_same_for_a_new_and_a_taken_address(app, user, mail_outbox, hashes):
    new = _sign_up(app.test_client(), "nadia@example.ma")
    taken = _sign_up(app.test_client(), "Owner@Example.ma")

    assert new.status_code == taken.status_code == 200
    assert _page(new, "nadia@example.ma") == _page(taken, "owner@example.ma")
    assert "Check your email" in new.get_data(as_text=True)
    assert hashes == [PASSWORD, PASSWORD]  # the same work on both paths


def test_a_taken_address_mails_its_owner_and_changes_nothing(app, user, mail_outbox):
    before = user.password_hash

    _sign_up(app.test_client(), "owner@example.ma")

    [notice] = mail_outbox
    assert notice["to"] == "owner@example.ma"
    assert notice["subject"] == "You already have an account"
    assert "http://localhost/auth/sign-in" in notice["text"]
    assert "http://localhost/auth/reset" in notice["text"]
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
    db.session.refresh(user)
    assert user.password_hash == before and user.name == "Amina Owner"


def test_a_new_address_gets_its_confirmation_link(app, mail_outbox):
    _sign_up(app.test_client(), "nadia@example.ma")

    [mail] = mail_outbox
    assert mail["to"] == "nadia@example.ma"
    assert "/auth/verify/" in mail["text"]


def test_the_notice_speaks_the_owners_language(app, user, mail_outbox):
    user.locale = "ar"
    db.session.commit()

    _sign_up(app.test_client(), "owner@example.ma", lang="fr")

    assert mail_outbox[0]["subject"] == "لديك حساب بالفعل"


def test_the_notice_speaks_french_by_default(app, user, mail_outbox):
    _sign_up(app.test_client(), "owner@example.ma", lang="fr")

    assert mail_outbox[0]["subject"] == "Vous avez déjà un compte"


def test_notices_are_limited_but_the_answer_is_the_same(app, user, mail_outbox):
    first = _sign_up(app.test_client(), "owner@example.ma")
    second = _sign_up(app.test_client(), "owner@example.ma")

    assert _page(first, "owner@example.ma") == _page(second, "owner@example.ma")
    assert len(mail_outbox) == 1  # one a minute at most, as for the other mails


def test_a_reset_request_queues_the_same_job_for_known_and_unknown_addresses(
    app, user, monkeypatch
):
    """The request does the same work either way: the job looks the account up."""
    queued = []
    monkeypatch.setattr(service, "enqueue", lambda func, *args: queued.append((func, args[1:])))
    client = app.test_client()
    for email in (user.email, "nobody@example.ma"):
        resp = client.post("/auth/reset", data={"email": email}, headers={"Accept-Language": "fr"})
        assert resp.status_code == 302
    assert queued == [(service.mail_password_reset, ("fr", "127.0.0.1"))] * 2


def test_the_reset_mail_speaks_the_language_it_was_asked_in(app, user, mail_outbox):
    app.test_client().post(
        "/auth/reset", data={"email": user.email}, headers={"Accept-Language": "ar"}
    )

    [mail] = mail_outbox
    assert mail["to"] == user.email
    assert "/auth/reset/" in mail["text"]
    assert mail["subject"] == "اختيار كلمة مرور جديدة"
