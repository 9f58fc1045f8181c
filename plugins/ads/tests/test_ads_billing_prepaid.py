"""Prepaid campaigns: "Pay" issues one invoice (budget and VAT) on the workspace's invoices
page; its payment marks the campaign paid; a campaign runs only approved and paid."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from ent_plugins.ads.decide import AdRequest, decide
from ent_plugins.ads.models import AdPlacement
from ent_plugins.ads.tests.conftest import CAMPAIGNS, new_campaign, submitted_campaign

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock
DURING = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def placement(publisher: Any) -> str:
    """An article's aside of Le Matin Tech in the network."""
    with sdk.in_workspace(publisher):
        sdk.db.session.add(
            AdPlacement(
                code="publishing.article.aside",
                name="Article",
                public_id="matin-aside",
                sizes=["300x250"],
                formats=["image", "html5", "native"],
            )
        )
        sdk.db.session.commit()
    return "matin-aside"


def _served(placement: str) -> int | None:
    decision = decide(AdRequest(placement=placement, now=DURING, size="300x250"))
    return None if decision is None else decision.campaign_id


def _move(api: Any, campaign_id: int, name: str) -> Any:
    return api.post(f"{CAMPAIGNS}/{campaign_id}/transitions", json={"transition": name})


def test_pay_issues_the_budget_and_vat_and_leads_to_the_invoice_page(
    advertiser_client: Any, advertiser_api: Any
) -> None:
    campaign = submitted_campaign(advertiser_api)
    resp = advertiser_client.post(f"/w/atlas-telecom/ads/campaigns/{campaign['id']}/pay")
    assert resp.status_code == 303
    number = advertiser_api.get(f"{CAMPAIGNS}/{campaign['id']}").json["invoice_number"]
    assert resp.headers["Location"].endswith(f"/w/atlas-telecom/billing/invoices/{number}")
    page = advertiser_client.get(resp.headers["Location"])
    assert page.status_code == 200
    assert "480" in page.get_data(as_text=True)
    # Paying twice finds the same invoice.
    again = advertiser_api.post(f"{CAMPAIGNS}/{campaign['id']}/invoice").json
    assert again["number"] == number
    assert again["total"] == {"amount": "480.00", "currency": "MAD"}


def test_a_draft_is_not_paid_for_before_it_is_submitted(advertiser_api: Any) -> None:
    campaign = new_campaign(advertiser_api)
    resp = advertiser_api.post(f"{CAMPAIGNS}/{campaign['id']}/invoice")
    assert resp.status_code == 409
    assert resp.json["error"]["details"]["allowed"] == ["submit"]


def test_a_campaign_runs_only_approved_and_paid(
    advertiser_api: Any, moderator_api: Any, moderator: Any, placement: str
) -> None:
    campaign = submitted_campaign(advertiser_api)
    number = advertiser_api.post(f"{CAMPAIGNS}/{campaign['id']}/invoice").json["number"]
    assert _served(placement) is None  # pending

    sdk.confirm_payment(number, "bank_transfer", "VIR-2026-06", actor=moderator)
    paid = advertiser_api.get(f"{CAMPAIGNS}/{campaign['id']}").json
    assert paid["paid"] is True
    assert _served(placement) is None  # paid, not approved yet

    _move(moderator_api, campaign["id"], "approve")
    assert _served(placement) == campaign["id"]
    _move(advertiser_api, campaign["id"], "pause")
    assert _served(placement) is None


def test_approved_but_unpaid_does_not_run(
    advertiser_api: Any, moderator_api: Any, placement: str
) -> None:
    campaign = submitted_campaign(advertiser_api)
    _move(moderator_api, campaign["id"], "approve")
    assert _served(placement) is None


def test_the_payment_is_written_in_the_campaigns_history(
    advertiser_client: Any, advertiser_api: Any, moderator: Any
) -> None:
    campaign = submitted_campaign(advertiser_api)
    number = advertiser_api.post(f"{CAMPAIGNS}/{campaign['id']}/invoice").json["number"]
    sdk.confirm_payment(number, "bank_transfer", "VIR-1", actor=moderator)
    html = advertiser_client.get(
        f"/w/atlas-telecom/ads/campaigns/{campaign['id']}?lang=en"
    ).get_data(as_text=True)
    assert "Paid" in html
    assert f"invoice {number}" in html
