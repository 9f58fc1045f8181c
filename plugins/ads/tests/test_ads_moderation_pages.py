"""The moderators' pages (/admin/ads/): platform administrators only; queues with previews,
decisions with reasons, one creative at a time, and monthly invoicing granted."""

from __future__ import annotations

import io
from typing import Any

import pytest
from ent_plugins.ads.tests.conftest import (
    CAMPAIGNS,
    bundle,
    new_campaign,
    submitted_campaign,
    upload_creative,
)

pytestmark = pytest.mark.frozen_clock


def test_non_admins_get_403(advertiser_client: Any, signed_in_client: Any, publisher: Any) -> None:
    for client in (advertiser_client, signed_in_client):
        assert client.get("/admin/ads/").status_code == 403
        assert client.post("/admin/ads/campaigns/1/approve").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client: Any) -> None:
    resp = client.get("/admin/ads/")
    assert resp.status_code in (302, 303, 401)


def test_the_administration_links_to_the_queues(moderator_client: Any) -> None:
    html = moderator_client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/ads/"' in html


def test_the_queue_previews_each_kind_of_creative(
    moderator_client: Any, advertiser_api: Any
) -> None:
    campaign = new_campaign(advertiser_api)
    image = upload_creative(advertiser_api, campaign["id"]).json
    html5 = upload_creative(
        advertiser_api, campaign["id"], format="html5", file=(bundle(), "ad.zip")
    ).json
    upload_creative(advertiser_api, campaign["id"], format="native", headline="Fibre 1 Gb/s")
    advertiser_api.post(f"{CAMPAIGNS}/{campaign['id']}/transitions", json={"transition": "submit"})

    index = moderator_client.get("/admin/ads/?lang=en").get_data(as_text=True)
    assert "Fibre Atlas" in index
    assert "{% block queues %}" not in index
    review = moderator_client.get(f"/admin/ads/campaigns/{campaign['id']}?lang=en")
    html = review.get_data(as_text=True)
    assert review.status_code == 200
    assert f'src="/ads/creatives/{html5["id"]}/index.html" sandbox="allow-scripts"' in html
    assert "allow-same-origin" not in html
    assert "Fibre 1 Gb/s" in html
    assert f'src="/admin/ads/creatives/{image["id"]}/file"' in html
    picture = moderator_client.get(f"/admin/ads/creatives/{image['id']}/file")
    assert picture.status_code == 200
    assert picture.mimetype == "image/png"
    assert moderator_client.get(f"/admin/ads/creatives/{html5['id']}/file").status_code == 404


def test_reject_needs_a_reason_then_tells_the_advertiser(
    moderator_client: Any, advertiser_api: Any, mail_outbox: list[dict[str, Any]]
) -> None:
    campaign = submitted_campaign(advertiser_api)
    url = f"/admin/ads/campaigns/{campaign['id']}/reject?lang=en"
    resp = moderator_client.post(url, data={"reason": ""})
    assert resp.status_code == 422
    assert "This field is required" in resp.get_data(as_text=True)
    resp = moderator_client.post(url, data={"reason": "Image trompeuse"})
    assert resp.status_code == 303
    after = advertiser_api.get(f"{CAMPAIGNS}/{campaign['id']}").json
    assert after["status"] == "rejected"
    assert any("Image trompeuse" in m["text"] for m in mail_outbox)


def test_approving_a_campaign_approves_the_creatives_not_rejected_one_by_one(
    moderator_client: Any, advertiser_api: Any
) -> None:
    campaign = new_campaign(advertiser_api)
    keep = upload_creative(advertiser_api, campaign["id"]).json
    refuse = upload_creative(advertiser_api, campaign["id"]).json
    advertiser_api.post(f"{CAMPAIGNS}/{campaign['id']}/transitions", json={"transition": "submit"})
    resp = moderator_client.post(
        f"/admin/ads/creatives/{refuse['id']}/reject", data={"reason": "Flou"}
    )
    assert resp.status_code == 303
    resp = moderator_client.post(
        f"/admin/ads/campaigns/{campaign['id']}/approve",
        data={"priority": "sponsorship", "rate": "30.00"},
    )
    assert resp.status_code == 303
    after = advertiser_api.get(f"{CAMPAIGNS}/{campaign['id']}").json
    assert after["status"] == "approved"
    assert after["priority"] == "sponsorship"
    assert after["rate"]["amount"] == "30.00"
    statuses = {c["id"]: c["status"] for c in after["creatives"]}
    assert statuses == {keep["id"]: "approved", refuse["id"]: "rejected"}


def test_a_changed_creative_of_a_running_campaign_waits_in_the_queue(
    moderator_client: Any, advertiser_client: Any, advertiser_api: Any, moderator_api: Any
) -> None:
    campaign = submitted_campaign(advertiser_api)
    moderator_api.post(f"{CAMPAIGNS}/{campaign['id']}/transitions", json={"transition": "approve"})
    creative = campaign["creatives"][0]
    advertiser_client.post(
        f"/w/atlas-telecom/ads/campaigns/{campaign['id']}/creatives/{creative['id']}/edit",
        data={
            "file": (io.BytesIO(b""), ""),
            "alt_text": "Atlas",
            "click_url": "https://atlas.ma/promo",
        },
        content_type="multipart/form-data",
    )
    html = moderator_client.get("/admin/ads/?lang=en").get_data(as_text=True)
    assert f"/admin/ads/creatives/{creative['id']}/approve" in html
    resp = moderator_client.post(
        f"/admin/ads/creatives/{creative['id']}/approve", data={"back": "index"}
    )
    assert resp.status_code == 303
    after = advertiser_api.get(f"{CAMPAIGNS}/{campaign['id']}/creatives/{creative['id']}").json
    assert after["status"] == "approved"


def test_granting_monthly_invoicing(moderator_client: Any, advertiser_api: Any) -> None:
    resp = moderator_client.post(
        "/admin/ads/terms", data={"workspace": "atlas-telecom", "monthly": "1"}
    )
    assert resp.status_code == 303
    assert "Atlas" in moderator_client.get("/admin/ads/").get_data(as_text=True)
    assert new_campaign(advertiser_api)["billing"] == "monthly"
