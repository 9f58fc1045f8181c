"""The plan's ``seats`` quota: members and pending invitations count, the form and API say so."""

from __future__ import annotations

import re

import pytest

from ent_core.billing import subscriptions as service
from ent_core.billing.plans import get_plan, update_plan
from ent_core.db import db
from ent_core.testing import ApiClient, add_member, all_workspaces, sign_in, skip_or_fail
from ent_core.workspaces.models import Invitation
from tests.test_billing_concurrency import race

# Trials follow the calendar: never the day the suite runs.
pytestmark = pytest.mark.frozen_clock

EN = {"Accept-Language": "en"}
INVITATIONS = "/api/v1/workspaces/acme/invitations"


@pytest.fixture
def basic(workspace, user):
    """``acme`` on the Basic plan: 3 seats, the owner's taken."""
    with all_workspaces():
        service.subscribe(workspace, "basic", actor=user)
    return workspace


def _invite(api_client, email):
    return api_client.post(INVITATIONS, json={"email": email, "role": "member"})


def test_invitations_take_seats_until_the_plan_is_full(api_client, basic):
    assert _invite(api_client, "a@example.ma").status_code == 201
    assert _invite(api_client, "b@example.ma").status_code == 201
    assert _invite(api_client, "a@example.ma").status_code == 201  # replaces: no new seat
    refused = _invite(api_client, "c@example.ma")
    assert refused.status_code == 409
    error = refused.json["error"]
    assert error["code"] == "quota_exceeded"
    assert error["details"] | {"fields": None} == {
        "quota": "seats",
        "limit": 3,
        "used": 3,
        "fields": None,  # the form's field error, for HTML clients
    }


def test_members_take_seats_and_revoking_frees_one(signed_in_client, api_client, basic, make_user):
    add_member(basic, make_user("karim@example.ma"))
    assert _invite(api_client, "a@example.ma").status_code == 201
    response = signed_in_client.post(
        "/w/acme/members/invite", data={"email": "b@example.ma", "role": "member"}, headers=EN
    )
    assert response.status_code == 409
    assert "Every seat of the plan is taken (3 of 3" in response.get_data(as_text=True)
    with all_workspaces():
        pending = db.session.scalar(db.select(Invitation.id))
    signed_in_client.post(f"/w/acme/members/invitations/{pending}/revoke", headers=EN)
    assert _invite(api_client, "b@example.ma").status_code == 201


def test_accepting_is_refused_when_the_plan_shrank(client, api_client, basic, user, make_user):
    assert _invite(api_client, "nadia@example.ma").status_code == 201
    with all_workspaces():
        update_plan(get_plan("basic"), actor=user, quotas={"seats": 1})
    mail = client.application.extensions["ent.mail_outbox"][-1]
    token = re.search(r"/invitations/([\w-]+)", mail["text"]).group(1)
    nadia = sign_in(client, make_user("nadia@example.ma"))
    response = nadia.post(f"/invitations/{token}", headers=EN)
    assert response.status_code == 409
    assert "Every seat of the plan is taken" in response.get_data(as_text=True)


def test_without_a_plan_naming_seats_the_team_is_not_limited(api_client, workspace):
    for n in range(4):
        assert _invite(api_client, f"p{n}@example.ma").status_code == 201


@pytest.mark.postgres
def test_twenty_invitations_at_once_take_exactly_the_free_seats(app_ctx, api_client, basic):
    """The workspace row lock makes concurrent invitations count seats one after the other."""
    if db.engine.dialect.name != "postgresql":
        skip_or_fail("needs PostgreSQL: set ENT_TEST_DATABASE_URL")

    def invite(i: int) -> tuple[int, str | None]:
        response = ApiClient(app_ctx.test_client(), api_client.token).post(
            INVITATIONS, json={"email": f"p{i}@example.ma", "role": "member"}
        )
        return response.status_code, (response.json.get("error") or {}).get("code")

    results = race(app_ctx, 20, invite)
    assert sorted(results).count((201, None)) == 2  # 3 seats, the owner's taken
    assert sorted(results).count((409, "quota_exceeded")) == 18
