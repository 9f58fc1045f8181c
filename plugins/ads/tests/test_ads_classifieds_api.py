"""Classified ads through the API: a workspace's ads (quota, paying, transitions) and the
public read-only boards; another workspace's ids answer 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from ent_plugins.ads.tests.conftest import classified_payload

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock
ROOT = "/api/v1/workspaces/atlas-telecom/ads/classifieds"


def test_post_read_list_and_change_an_ad(advertiser_api: Any) -> None:
    created = advertiser_api.post(ROOT, json=classified_payload())
    assert created.status_code == 201, created.json
    ad = created.json["classified"]
    assert created.json["invoice_number"] is None
    assert (ad["status"], ad["free"], ad["kind"]) == ("published", True, "service")
    assert ad["price"] == {"amount": "300.00", "currency": "MAD"}
    assert ad["url"].endswith(f"/classifieds/it/{ad['id']}")
    assert set(ad["allowed_transitions"]) == {"withdraw", "boost"}
    read = advertiser_api.get(f"{ROOT}/{ad['id']}")
    assert read.json["title"] == "Maintenance informatique"
    listed = advertiser_api.get(ROOT)
    assert [i["id"] for i in listed.json["items"]] == [ad["id"]]
    assert listed.json["next_cursor"] is None
    changed = advertiser_api.patch(
        f"{ROOT}/{ad['id']}", json={"title": "Maintenance", "price": None}
    )
    assert changed.status_code == 200
    assert (changed.json["title"], changed.json["price"]) == ("Maintenance", None)
    wrong = advertiser_api.post(ROOT, json=classified_payload(sector="tourism"))
    assert wrong.status_code == 422
    assert "sector" in wrong.json["error"]["details"]["fields"]
    no_contact = advertiser_api.post(ROOT, json=classified_payload(contact_email=""))
    assert no_contact.status_code == 422
    euros = advertiser_api.post(
        ROOT, json=classified_payload(price={"amount": "30", "currency": "EUR"})
    )
    assert euros.status_code == 422
    assert "price" in euros.json["error"]["details"]["fields"]


def test_beyond_the_quota_409_or_an_invoice(advertiser_api: Any, moderator: Any) -> None:
    for n in range(5):
        assert advertiser_api.post(ROOT, json=classified_payload(title=f"N{n}")).status_code == 201
    refused = advertiser_api.post(ROOT, json=classified_payload(title="Sixième"))
    assert refused.status_code == 409
    error = refused.json["error"]
    assert error["code"] == "quota_exceeded"
    assert error["details"]["quota"] == "classified_ads_per_month"
    assert (error["details"]["limit"], error["details"]["used"]) == (5, 5)
    assert error["details"]["price"] == {"amount": "36.00", "currency": "MAD"}
    paid = advertiser_api.post(ROOT, json=classified_payload(title="Sixième", pay=True))
    assert paid.status_code == 201
    number = paid.json["invoice_number"]
    assert number and paid.json["classified"]["status"] == "unpaid"
    invoice = advertiser_api.get(f"/api/v1/workspaces/atlas-telecom/invoices/{number}")
    assert invoice.status_code == 200, invoice.json
    assert (invoice.json["total"], invoice.json["plan"]) == ("36.00", "ads")
    sdk.confirm_payment(number, "bank_transfer", "VIR-1", actor=moderator)
    ad_id = paid.json["classified"]["id"]
    assert advertiser_api.get(f"{ROOT}/{ad_id}").json["status"] == "published"


def test_transitions_withdraw_renew_boost(advertiser_api: Any, frozen_clock: Any) -> None:
    ad = advertiser_api.post(ROOT, json=classified_payload()).json["classified"]
    url = f"{ROOT}/{ad['id']}/transitions"
    early = advertiser_api.post(url, json={"transition": "renew"})
    assert early.status_code == 409
    assert early.json["error"]["code"] == "invalid_transition"
    assert set(early.json["error"]["details"]["allowed"]) == {"withdraw", "boost"}
    boost = advertiser_api.post(url, json={"transition": "boost"})
    assert boost.status_code == 200
    assert boost.json["invoice_number"]
    frozen_clock.shift(timedelta(days=31))
    renewed = advertiser_api.post(url, json={"transition": "renew"})
    assert renewed.status_code == 200
    assert (renewed.json["classified"]["status"], renewed.json["classified"]["renewals"]) == (
        "published",
        1,
    )
    withdrawn = advertiser_api.post(url, json={"transition": "withdraw"})
    assert withdrawn.json["classified"]["status"] == "withdrawn"
    again = advertiser_api.post(url, json={"transition": "withdraw"})
    assert again.status_code == 409


def test_the_public_api_lists_the_boards_without_contacts(
    client: Any, advertiser_api: Any, publisher: Any, api_client: Any
) -> None:
    for n in range(3):
        advertiser_api.post(ROOT, json=classified_payload(title=f"Annonce {n}"))
    advertiser_api.post(ROOT, json=classified_payload(title="Un évènement", kind="event"))
    reader = client.application.test_client()
    page = reader.get("/api/v1/classifieds?sector=it&limit=2")
    assert page.status_code == 200
    assert len(page.json["items"]) == 2
    assert page.json["items"][0]["title"] == "Un évènement"  # newest first
    assert "contact_email" not in page.json["items"][0]
    rest = reader.get(f"/api/v1/classifieds?sector=it&limit=2&cursor={page.json['next_cursor']}")
    assert len(rest.json["items"]) == 2
    assert rest.json["next_cursor"] is None
    unchanged = reader.get(
        "/api/v1/classifieds?sector=it&limit=2", headers={"If-None-Match": page.headers["ETag"]}
    )
    assert unchanged.status_code == 304
    events = reader.get("/api/v1/classifieds?kind=event").json["items"]
    assert [e["title"] for e in events] == ["Un évènement"]
    assert reader.get("/api/v1/classifieds?sector=green").json["items"] == []
    assert reader.get("/api/v1/classifieds?kind=car").status_code == 422
    spec = reader.get("/api/v1/openapi.json").json
    assert "/api/v1/classifieds" in spec["paths"]
    assert (
        "/api/v1/workspaces/{workspace}/ads/classifieds/{classified_id}/transitions"
        in spec["paths"]
    )


def test_another_workspace_ids_answer_404(
    advertiser_api: Any, api_client: Any, publisher: Any
) -> None:
    ad = advertiser_api.post(ROOT, json=classified_payload()).json["classified"]
    mine = "/api/v1/workspaces/matin-tech/ads/classifieds"
    assert api_client.get(f"{mine}/{ad['id']}").status_code == 404
    assert api_client.patch(f"{mine}/{ad['id']}", json={"title": "Volé"}).status_code == 404
    moved = api_client.post(f"{mine}/{ad['id']}/transitions", json={"transition": "withdraw"})
    assert moved.status_code == 404
    assert api_client.get(ROOT).status_code == 404  # not a member there
    assert advertiser_api.get(f"{ROOT}/{ad['id']}").json["status"] == "published"
