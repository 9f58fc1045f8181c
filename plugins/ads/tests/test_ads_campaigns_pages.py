"""The members' pages of campaigns: the form (every field, the week's hours without
JavaScript), its refusals shown where they belong, the campaign page with its price."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.ads.tests.conftest import new_campaign, submitted_campaign, upload_creative

from ent_core import sdk
from ent_core.testing import add_member, sign_in

pytestmark = pytest.mark.frozen_clock
NEW = "/w/atlas-telecom/ads/campaigns/new?lang=en"


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Fibre Atlas",
        "landing_url": "https://atlas-telecom.ma/fibre",
        "category": "technology",
        "priority": "standard",
        "weight": "10",
        "starts_at": "2026-06-16T08:00",
        "ends_at": "2026-06-30T20:00",
        "pricing": "cpc",
        "budget": "500.00",
        "frequency_hours": "24",
        "pacing": "even",
        "target_languages": ["fr", "ar"],
        "target_tags": "Fibre, 5G, fibre",
        "dayparts": ["0:9", "0:10", "4:18"],
    }
    data.update(changes)
    return data


def test_the_form_offers_every_field_and_the_week_grid(
    advertiser_client: Any, publisher: Any
) -> None:
    page = advertiser_client.get(NEW)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('type="checkbox" name="dayparts"') == 7 * 24
    for name in ("target_sectors", "target_workspaces", "target_placements", "frequency_cap"):
        assert f'name="{name}"' in html
    assert 'value="matin-tech"' in html  # a publisher with ads on, by name
    assert 'value="publishing.article.aside"' in html
    assert 'value="sponsorship"' not in html  # the régie's, set on approval


def test_a_campaign_is_created_from_the_form_in_the_workspaces_time(
    advertiser_client: Any, advertiser_api: Any
) -> None:
    resp = advertiser_client.post(NEW, data=_form())
    assert resp.status_code == 303, resp.get_data(as_text=True)
    campaign = advertiser_api.get("/api/v1/workspaces/atlas-telecom/ads/campaigns").json["items"][0]
    # Casablanca is UTC+1 in June: 08:00 there is 07:00 UTC.
    assert campaign["starts_at"].startswith("2026-06-16T07:00")
    assert campaign["dayparts"] == ["0:9", "0:10", "4:18"]
    assert campaign["target_tags"] == ["fibre", "5g"]
    assert campaign["rate"]["amount"] == "2.50"
    page = advertiser_client.get(resp.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "200" in page  # 500 MAD at 2.50 MAD a click buys 200 clicks
    assert "600,00" in page or "600.00" in page  # with 20 % VAT


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"budget": "20"}, "at least"),
        ({"landing_url": "javascript:alert(1)"}, "http://"),
        ({"ends_at": "2026-06-10T00:00"}, "end after it starts"),
        ({"name": ""}, "This field is required"),
    ],
)
def test_bad_input_reshows_the_form_with_the_message(
    advertiser_client: Any, changes: dict[str, Any], message: str
) -> None:
    resp = advertiser_client.post(NEW, data=_form(**changes))
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert message in html
    assert 'value="atlas-telecom.ma' not in html or "Fibre Atlas" in html


def test_editors_read_campaigns_but_do_not_create_them(
    app_ctx: Any, advertiser: Any, advertiser_api: Any, make_user: Any
) -> None:
    campaign = new_campaign(advertiser_api)
    editor = make_user("redaction@atlas-telecom.ma")
    with sdk.all_workspaces():
        add_member(advertiser, editor, "editor")
    client = sign_in(app_ctx.test_client(), editor)
    assert client.get("/w/atlas-telecom/ads/campaigns/").status_code == 200
    assert client.get(f"/w/atlas-telecom/ads/campaigns/{campaign['id']}").status_code == 200
    assert client.get(NEW).status_code == 403


def test_the_campaign_page_shows_creatives_moves_and_history(
    advertiser_client: Any, advertiser_api: Any
) -> None:
    campaign = submitted_campaign(advertiser_api)
    url = f"/w/atlas-telecom/ads/campaigns/{campaign['id']}?lang=en"
    html = advertiser_client.get(url).get_data(as_text=True)
    assert "Awaiting approval" in html
    assert "Submitted" in html and "Created" in html
    assert "atlas.png" in html or "Atlas" in html


def test_an_approved_campaigns_form_keeps_the_moderated_fields(
    advertiser_client: Any, advertiser_api: Any, moderator_api: Any
) -> None:
    campaign = submitted_campaign(advertiser_api)
    moderator_api.post(
        f"/api/v1/workspaces/atlas-telecom/ads/campaigns/{campaign['id']}/transitions",
        json={"transition": "approve"},
    )
    url = f"/w/atlas-telecom/ads/campaigns/{campaign['id']}/edit"
    html = advertiser_client.get(url).get_data(as_text=True)
    assert "disabled" in html
    resp = advertiser_client.post(
        url,
        data=_form(
            name="Renamed",
            landing_url="https://evil.example/",
            budget="400.00",
            pricing="cpm",
            ends_at="2026-07-10T00:00",
        ),
    )
    assert resp.status_code == 303, resp.get_data(as_text=True)
    after = advertiser_api.get(
        f"/api/v1/workspaces/atlas-telecom/ads/campaigns/{campaign['id']}"
    ).json
    assert after["name"] == "Fibre Atlas"
    assert after["landing_url"] == "https://atlas-telecom.ma/fibre"
    assert after["ends_at"].startswith("2026-07-09T23:00")


def test_another_workspaces_campaign_pages_answer_404(
    advertiser_api: Any, signed_in_client: Any, publisher: Any
) -> None:
    campaign = new_campaign(advertiser_api)
    for path in ("", "/edit", "/creatives/new"):
        resp = signed_in_client.get(f"/w/matin-tech/ads/campaigns/{campaign['id']}{path}")
        assert resp.status_code == 404, path


def test_the_pages_read_right_to_left_in_arabic(
    advertiser_client: Any, advertiser_api: Any
) -> None:
    campaign = submitted_campaign(advertiser_api, dayparts=["0:9", "1:9"])
    draft = new_campaign(advertiser_api, name="Brouillon")
    for path in (
        "/w/atlas-telecom/ads/?lang=ar",
        "/w/atlas-telecom/ads/campaigns/?lang=ar",
        "/w/atlas-telecom/ads/campaigns/new?lang=ar",
        f"/w/atlas-telecom/ads/campaigns/{campaign['id']}?lang=ar",
        f"/w/atlas-telecom/ads/campaigns/{draft['id']}/edit?lang=ar",
        f"/w/atlas-telecom/ads/campaigns/{campaign['id']}/creatives/new?lang=ar",
    ):
        resp = advertiser_client.get(path)
        assert resp.status_code == 200, path
        html = resp.get_data(as_text=True)
        assert 'dir="rtl"' in html
    # A campaign awaiting approval is not edited: back to its page, with why.
    resp = advertiser_client.get(f"/w/atlas-telecom/ads/campaigns/{campaign['id']}/edit")
    assert resp.status_code == 303


def test_the_advertisers_buttons_submit_pause_and_resume(
    advertiser_client: Any, advertiser_api: Any, moderator_api: Any
) -> None:
    campaign = new_campaign(advertiser_api)
    base = f"/w/atlas-telecom/ads/campaigns/{campaign['id']}"
    resp = advertiser_client.post(f"{base}/submit?lang=en")
    assert resp.status_code == 303
    page = advertiser_client.get(f"{base}?lang=en").get_data(as_text=True)
    assert "Add at least one creative before submitting." in page
    upload_creative(advertiser_api, campaign["id"])
    assert advertiser_client.post(f"{base}/submit").status_code == 303
    moderator_api.post(
        f"/api/v1/workspaces/atlas-telecom/ads/campaigns/{campaign['id']}/transitions",
        json={"transition": "approve"},
    )
    advertiser_client.post(f"{base}/pause")
    assert (
        advertiser_api.get(f"/api/v1/workspaces/atlas-telecom/ads/campaigns/{campaign['id']}").json[
            "status"
        ]
        == "paused"
    )
    advertiser_client.post(f"{base}/resume")
    assert (
        advertiser_api.get(f"/api/v1/workspaces/atlas-telecom/ads/campaigns/{campaign['id']}").json[
            "status"
        ]
        == "approved"
    )


def test_a_campaign_that_may_have_run_links_to_its_report_a_draft_does_not(
    advertiser_client: Any, advertiser: Any, advertiser_api: Any
) -> None:
    from ent_plugins.ads.tests.conftest import live_campaign

    running = live_campaign(advertiser)
    draft = new_campaign(advertiser_api)
    page = advertiser_client.get(f"/w/atlas-telecom/ads/campaigns/{running.id}?lang=en")
    report = f"/w/atlas-telecom/ads/reports/campaigns/{running.id}"
    assert f'href="{report}"' in page.get_data(as_text=True)
    assert advertiser_client.get(report).status_code == 200
    page = advertiser_client.get(f"/w/atlas-telecom/ads/campaigns/{draft['id']}?lang=en")
    assert "/ads/reports/campaigns/" not in page.get_data(as_text=True)
