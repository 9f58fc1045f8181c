"""Campaigns through the API: creating at the rate card's price, the workflow's moves and
their refusals, who may approve, and another workspace's campaigns staying out of reach."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.ads.tests.conftest import (
    CAMPAIGNS,
    campaign_fields,
    new_campaign,
    submitted_campaign,
    upload_creative,
)

pytestmark = pytest.mark.frozen_clock


def _move(api: Any, campaign_id: int, name: str, **fields: Any) -> Any:
    return api.post(f"{CAMPAIGNS}/{campaign_id}/transitions", json={"transition": name, **fields})


def test_a_campaign_is_created_as_a_draft_at_the_rate_card_price(advertiser_api: Any) -> None:
    campaign = new_campaign(advertiser_api)
    assert campaign["status"] == "draft"
    assert campaign["rate"] == {"amount": "40.00", "currency": "MAD"}
    assert campaign["budget"] == {"amount": "400.00", "currency": "MAD"}
    # 400 MAD at 40 MAD per 1,000 impressions: 10,000 impressions; VAT 20 %.
    assert campaign["estimate"]["units"] == 10_000
    assert campaign["estimate"]["vat"] == {"amount": "80.00", "currency": "MAD"}
    assert campaign["estimate"]["total"] == {"amount": "480.00", "currency": "MAD"}
    assert campaign["billing"] == "prepaid"
    assert campaign["allowed_transitions"] == ["submit"]


def test_a_flat_campaign_costs_its_days_at_the_day_price(advertiser_api: Any) -> None:
    fields = campaign_fields(pricing="flat")
    del fields["budget"]
    resp = advertiser_api.post(CAMPAIGNS, json=fields)
    assert resp.status_code == 201, resp.json
    # 14 days at 300 MAD.
    assert resp.json["budget"] == {"amount": "4200.00", "currency": "MAD"}
    assert resp.json["estimate"]["units"] == 14


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"budget": {"amount": "50.00", "currency": "MAD"}}, "budget"),
        ({"landing_url": "javascript:alert(1)"}, "landing_url"),
        ({"ends_at": "2026-06-10T00:00:00"}, "ends_at"),
        ({"priority": "sponsorship"}, "priority"),
        ({"target_languages": ["de"]}, "target_languages"),
        ({"dayparts": ["7:3"]}, "dayparts"),
    ],
)
def test_bad_campaigns_are_refused_naming_the_field(
    advertiser_api: Any, changes: dict[str, Any], field: str
) -> None:
    resp = advertiser_api.post(CAMPAIGNS, json=campaign_fields(**changes))
    assert resp.status_code == 422, resp.json
    assert field in resp.json["error"]["details"]["fields"]


def test_lists_are_paginated_with_a_cursor(advertiser_api: Any) -> None:
    for n in range(3):
        new_campaign(advertiser_api, name=f"Campagne {n}")
    first = advertiser_api.get(f"{CAMPAIGNS}?limit=2").json
    assert [c["name"] for c in first["items"]] == ["Campagne 2", "Campagne 1"]
    rest = advertiser_api.get(f"{CAMPAIGNS}?limit=2&cursor={first['next_cursor']}").json
    assert [c["name"] for c in rest["items"]] == ["Campagne 0"]
    assert rest["next_cursor"] is None


def test_submit_needs_a_creative(advertiser_api: Any) -> None:
    campaign = new_campaign(advertiser_api)
    resp = _move(advertiser_api, campaign["id"], "submit")
    assert resp.status_code == 409
    assert resp.json["error"]["code"] == "no_creative"


def test_a_refused_move_answers_409_with_the_allowed_ones(advertiser_api: Any) -> None:
    campaign = submitted_campaign(advertiser_api)
    assert campaign["status"] == "pending"
    resp = _move(advertiser_api, campaign["id"], "submit")
    assert resp.status_code == 409
    assert resp.json["error"]["code"] == "invalid_transition"
    assert resp.json["error"]["details"]["allowed"] == []
    resp = _move(advertiser_api, campaign["id"], "pause")
    assert resp.status_code == 409


def test_only_platform_admins_approve_or_reject(advertiser_api: Any, moderator_api: Any) -> None:
    campaign = submitted_campaign(advertiser_api)
    for name in ("approve", "reject"):
        resp = _move(advertiser_api, campaign["id"], name, reason="No")
        assert resp.status_code == 403, resp.json
    resp = _move(moderator_api, campaign["id"], "approve")
    assert resp.status_code == 200, resp.json
    assert resp.json["status"] == "approved"
    assert [c["status"] for c in resp.json["creatives"]] == ["approved"]


def test_reject_needs_a_reason_and_the_advertiser_submits_again(
    advertiser_api: Any, moderator_api: Any, mail_outbox: list[dict[str, Any]]
) -> None:
    campaign = submitted_campaign(advertiser_api)
    resp = _move(moderator_api, campaign["id"], "reject")
    assert resp.status_code == 422
    assert resp.json["error"]["code"] == "reason_required"
    resp = _move(moderator_api, campaign["id"], "reject", reason="Le lien ne marche pas")
    assert resp.json["status"] == "rejected"
    assert resp.json["rejection_reason"] == "Le lien ne marche pas"
    assert any("Le lien ne marche pas" in m["text"] for m in mail_outbox)
    assert mail_outbox[-1]["to"] == "pub@atlas-telecom.ma"
    fixed = advertiser_api.patch(
        f"{CAMPAIGNS}/{campaign['id']}", json={"landing_url": "https://atlas-telecom.ma/"}
    )
    assert fixed.status_code == 200, fixed.json
    assert _move(advertiser_api, campaign["id"], "submit").json["status"] == "pending"


def test_pause_and_resume_an_approved_campaign(advertiser_api: Any, moderator_api: Any) -> None:
    campaign = submitted_campaign(advertiser_api)
    _move(moderator_api, campaign["id"], "approve")
    assert _move(advertiser_api, campaign["id"], "pause").json["status"] == "paused"
    assert _move(advertiser_api, campaign["id"], "resume").json["status"] == "approved"


def test_the_moderator_sets_a_sponsorship_at_a_contract_rate(
    advertiser_api: Any, moderator_api: Any
) -> None:
    campaign = submitted_campaign(advertiser_api)
    resp = _move(
        moderator_api,
        campaign["id"],
        "approve",
        priority="sponsorship",
        rate={"amount": "25.00", "currency": "MAD"},
    )
    assert resp.json["priority"] == "sponsorship"
    assert resp.json["rate"] == {"amount": "25.00", "currency": "MAD"}


def test_an_approved_campaign_changes_only_within_the_rule(
    advertiser_api: Any, moderator_api: Any
) -> None:
    campaign = submitted_campaign(advertiser_api)
    _move(moderator_api, campaign["id"], "approve")
    url = f"{CAMPAIGNS}/{campaign['id']}"
    resp = advertiser_api.patch(url, json={"landing_url": "https://elsewhere.example/"})
    assert resp.status_code == 409
    assert resp.json["error"]["code"] == "not_adjustable"
    resp = advertiser_api.patch(
        url, json={"ends_at": "2026-07-15T00:00:00", "target_languages": ["fr", "ar"]}
    )
    assert resp.status_code == 200, resp.json
    assert resp.json["target_languages"] == ["fr", "ar"]
    advertiser_api.post(f"{url}/invoice")
    resp = advertiser_api.patch(url, json={"budget": {"amount": "900.00", "currency": "MAD"}})
    assert resp.status_code == 422
    assert "budget" in resp.json["error"]["details"]["fields"]


def test_another_workspaces_campaign_answers_404(
    advertiser_api: Any, make_workspace: Any, make_user: Any, make_api_client: Any
) -> None:
    campaign = submitted_campaign(advertiser_api)
    rival_owner = make_user("pub@rival.ma")
    make_workspace("rival", owner=rival_owner, plugins=("ads",))
    rival = make_api_client(rival_owner)
    base = "/api/v1/workspaces/rival/ads/campaigns"
    assert rival.get(f"{base}/{campaign['id']}").status_code == 404
    assert rival.patch(f"{base}/{campaign['id']}", json={"name": "x"}).status_code == 404
    assert (
        rival.post(f"{base}/{campaign['id']}/transitions", json={"transition": "pause"}).status_code
        == 404
    )
    creative_id = campaign["creatives"][0]["id"]
    assert rival.get(f"{base}/{campaign['id']}/creatives/{creative_id}").status_code == 404
    assert rival.get(base).json["items"] == []


def test_uploading_through_the_api_answers_the_creative(advertiser_api: Any) -> None:
    campaign = new_campaign(advertiser_api)
    resp = upload_creative(advertiser_api, campaign["id"])
    assert resp.status_code == 201, resp.json
    assert resp.json["status"] == "pending"
    assert len(resp.json["content_sha256"]) == 64
    listed = advertiser_api.get(f"{CAMPAIGNS}/{campaign['id']}/creatives").json["items"]
    assert [c["id"] for c in listed] == [resp.json["id"]]


def test_an_approved_flat_campaign_keeps_its_dates_and_fee(
    advertiser_api: Any, moderator_api: Any
) -> None:
    fields = campaign_fields(pricing="flat")
    del fields["budget"]
    campaign = advertiser_api.post(CAMPAIGNS, json=fields).json
    upload_creative(advertiser_api, campaign["id"])
    _move(advertiser_api, campaign["id"], "submit")
    _move(moderator_api, campaign["id"], "approve")
    url = f"{CAMPAIGNS}/{campaign['id']}"
    resp = advertiser_api.patch(url, json={"ends_at": "2026-07-30T00:00:00"})
    assert resp.status_code == 409
    assert resp.json["error"]["code"] == "not_adjustable"
    # null leaves a required field alone, and clears a cap.
    resp = advertiser_api.patch(url, json={"weight": None, "max_clicks": None, "pacing": "asap"})
    assert resp.status_code == 200, resp.json
    assert (resp.json["weight"], resp.json["pacing"]) == (10, "asap")


def test_the_list_costs_the_same_statements_for_few_or_many(advertiser_api: Any) -> None:
    from ent_core.testing import sql_statements

    def listing() -> int:
        with sql_statements() as seen:
            assert advertiser_api.get(CAMPAIGNS).status_code == 200
        return len(seen)

    for _ in range(2):
        upload_creative(advertiser_api, new_campaign(advertiser_api)["id"])
    few = listing()
    for _ in range(6):
        upload_creative(advertiser_api, new_campaign(advertiser_api)["id"])
    assert listing() == few
