"""Invitations are limited per workspace and per address, and only approved workspaces send
them (docs/workspaces.md, "Invitations"); through the members page and the API."""

from __future__ import annotations

import pytest

EN = {"Accept-Language": "en"}
TOO_MANY = "Too many invitations were sent. Please try again later."
NOT_APPROVED = "This workspace must be approved before it can invite people."


def _invite(client, email, slug="acme"):
    data = {"email": email, "role": "member"}
    return client.post(f"/w/{slug}/members/invite", data=data, headers=EN)


def _api_invite(api, email, slug="acme"):
    return api.post(f"/api/v1/workspaces/{slug}/invitations", json={"email": email}, headers=EN)


@pytest.fixture
def per_workspace(app, monkeypatch):
    monkeypatch.setitem(app.config, "ENT_INVITATIONS_PER_WORKSPACE_HOUR", 2)


def test_the_api_invites_and_mails(api_client, workspace, mail_outbox):
    resp = _api_invite(api_client, "Nadia@Example.ma")

    assert resp.status_code == 201
    assert resp.json["email"] == "nadia@example.ma" and resp.json["role"] == "member"
    assert [m["to"] for m in mail_outbox] == ["nadia@example.ma"]


def test_a_workspace_over_its_hourly_limit_gets_a_form_error(
    per_workspace, signed_in_client, workspace, mail_outbox
):
    assert _invite(signed_in_client, "a@example.ma").status_code == 303
    assert _invite(signed_in_client, "b@example.ma").status_code == 303

    resp = _invite(signed_in_client, "c@example.ma")

    assert resp.status_code == 429
    assert TOO_MANY in resp.text
    assert [m["to"] for m in mail_outbox] == ["a@example.ma", "b@example.ma"]


def test_a_workspace_over_its_hourly_limit_gets_429_in_the_api(
    per_workspace, api_client, workspace, mail_outbox
):
    for email in ("a@example.ma", "b@example.ma"):
        assert _api_invite(api_client, email).status_code == 201

    resp = _api_invite(api_client, "c@example.ma")

    assert resp.status_code == 429
    assert resp.json["error"]["code"] == "rate_limited"
    assert resp.json["error"]["message"] == TOO_MANY
    assert 0 < int(resp.headers["Retry-After"]) <= 3600
    assert len(mail_outbox) == 2


def test_an_address_is_invited_three_times_a_day_from_all_workspaces(
    api_client, make_workspace, mail_outbox
):
    make_workspace("acme")
    make_workspace("other")
    for slug in ("acme", "acme", "other"):
        assert _api_invite(api_client, "nadia@example.ma", slug).status_code == 201

    again = _api_invite(api_client, "nadia@example.ma", "other")

    assert again.status_code == 429 and again.json["error"]["code"] == "rate_limited"
    assert _api_invite(api_client, "someone.else@example.ma", "other").status_code == 201
    assert len(mail_outbox) == 4


def test_the_limits_agree_across_processes(
    per_workspace, signed_in_client, user, workspace, ent_config, ent_plugin_modules
):
    """Counted in the database: a second application (another worker) sees the same count."""
    from ent_core import create_app
    from ent_core.testing import EntTestClient, sign_in

    assert _invite(signed_in_client, "a@example.ma").status_code == 303
    other = create_app(
        {**ent_config, "ENT_INVITATIONS_PER_WORKSPACE_HOUR": 2},
        plugin_modules=list(ent_plugin_modules),
    )
    other.test_client_class = EntTestClient  # posts carry the CSRF token, as a browser's do
    with other.app_context():
        second = sign_in(other.test_client(), user)
        assert _invite(second, "b@example.ma").status_code == 303
    assert _invite(signed_in_client, "c@example.ma").status_code == 429


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_a_workspace_not_approved_invites_nobody(
    status, signed_in_client, api_client, make_workspace, mail_outbox
):
    make_workspace("acme", status=status)

    page = signed_in_client.get("/w/acme/members", headers=EN)
    assert NOT_APPROVED in page.text and "/members/invite" not in page.text
    resp = _invite(signed_in_client, "nadia@example.ma")
    assert resp.status_code == 403 and NOT_APPROVED in resp.text
    api = _api_invite(api_client, "nadia@example.ma")
    assert api.status_code == 403
    assert api.json["error"]["code"] == "workspace_not_approved"
    assert mail_outbox == []


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fr", "Cet espace doit être approuvé avant de pouvoir inviter des personnes."),
        ("ar", "يجب اعتماد مساحة العمل هذه قبل أن تتمكن من دعوة أشخاص."),
    ],
)
def test_the_refusal_speaks_french_and_arabic(lang, message, api_client, make_workspace):
    make_workspace("acme", status="pending")
    resp = api_client.post(
        "/api/v1/workspaces/acme/invitations",
        json={"email": "nadia@example.ma"},
        headers={"Accept-Language": lang},
    )
    assert resp.json["error"]["message"] == message
