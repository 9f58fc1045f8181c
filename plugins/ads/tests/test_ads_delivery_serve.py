"""Delivery through HTTP: decisions, clicks, beacons, creative files, tags; bots and
prefetches get nothing and count for nothing (docs/ads.md, "Delivery")."""

from __future__ import annotations

from base64 import urlsafe_b64encode
from decimal import Decimal
from typing import Any

import pytest
from ent_plugins.ads import counting, serve
from ent_plugins.ads.models import Campaign, CampaignStat, PlacementStat
from ent_plugins.ads.tests.delivery_kit import HEADERS, campaign, placement, store_bundle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from itsdangerous import TimestampSigner

from ent_core import sdk
from ent_core.testing import sign_in


@pytest.fixture
def place(publisher: Any) -> Any:
    return placement(publisher)


@pytest.fixture
def live(place: Any, advertiser: Any) -> Any:
    return campaign(advertiser)


def decide(client: Any, public_id: str = "pl-matin-aside", **headers: str) -> Any:
    return client.get(f"/ads/d?p={public_id}&s=300x250&r=abc123", headers={**HEADERS, **headers})


def totals(*, flush: bool = True) -> dict[str, int]:
    """What the flush wrote, on both sides (after a flush, unless ``flush=False``)."""
    if flush:
        counting.delivery.flush()
    with sdk.all_workspaces():
        c = sdk.db.session.execute(
            sdk.db.select(
                sdk.db.func.coalesce(sdk.db.func.sum(CampaignStat.impressions), 0),
                sdk.db.func.coalesce(sdk.db.func.sum(CampaignStat.viewable), 0),
                sdk.db.func.coalesce(sdk.db.func.sum(CampaignStat.clicks), 0),
                sdk.db.func.coalesce(sdk.db.func.sum(CampaignStat.spend_micros), 0),
            )
        ).one()
        p = sdk.db.session.execute(
            sdk.db.select(
                sdk.db.func.coalesce(sdk.db.func.sum(PlacementStat.requests), 0),
                sdk.db.func.coalesce(sdk.db.func.sum(PlacementStat.impressions), 0),
                sdk.db.func.coalesce(sdk.db.func.sum(PlacementStat.viewable), 0),
                sdk.db.func.coalesce(sdk.db.func.sum(PlacementStat.clicks), 0),
                sdk.db.func.coalesce(sdk.db.func.sum(PlacementStat.spend_micros), 0),
            )
        ).one()
    return dict(
        zip(
            ("impressions", "viewable", "clicks", "spend", "p_requests", "p_impressions",
             "p_viewable", "p_clicks", "p_spend"),
            (*map(int, c), *map(int, p)),
            strict=True,
        )
    )  # fmt: skip


def test_a_decision_answers_what_to_render_and_counts_request_impression_and_spend(
    client: Any, live: Any
) -> None:
    _, creative = live
    answer = decide(client)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    ad = answer.get_json()
    assert ad["format"] == "image"
    assert (ad["width"], ad["height"]) == (300, 250)
    assert ad["src"] == f"/ads/creatives/{creative.id}/"
    assert ad["click"].startswith("/ads/c/")
    assert ad["alt"] == "Atlas Télécom: la fibre"
    assert "Set-Cookie" not in answer.headers
    # CPM 40 MAD: one impression costs 0.04 MAD = 40,000 µMAD, on both sides.
    assert totals() == {
        "impressions": 1, "viewable": 0, "clicks": 0, "spend": 40_000, "p_requests": 1,
        "p_impressions": 1, "p_viewable": 0, "p_clicks": 0, "p_spend": 40_000,
    }  # fmt: skip
    with sdk.all_workspaces():
        assert sdk.db.session.get(Campaign, live[0].id).spent == Decimal("0.04")


def test_a_placement_with_nothing_to_serve_answers_204_and_counts_the_request(
    client: Any, place: Any
) -> None:
    answer = decide(client)
    assert answer.status_code == 204
    assert answer.headers["Cache-Control"] == "no-store"
    assert totals()["p_requests"] == 1
    assert totals()["p_impressions"] == 0


def test_an_unknown_placement_answers_204_and_a_missing_one_400(client: Any, live: Any) -> None:
    assert decide(client, "no-such-place").status_code == 204
    missing = client.get("/ads/d", headers=HEADERS)
    assert missing.status_code == 400
    assert missing.get_json()["error"]["code"] == "placement_required"
    assert totals()["p_requests"] == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
        {"User-Agent": "python-requests/2.32"},
        {"User-Agent": ""},
        {"Sec-Purpose": "prefetch"},
        {"Sec-Purpose": "prefetch;prerender"},
        {"Purpose": "prefetch"},
    ],
)
def test_robots_and_prefetches_get_no_ad_and_count_for_nothing(
    client: Any, live: Any, headers: dict[str, str]
) -> None:
    answer = decide(client, **headers)
    assert answer.status_code == 204
    first = decide(client).get_json()  # a reader's, to click and report
    assert (
        client.post("/ads/v", data=first["token"], headers={**HEADERS, **headers}).status_code
        == 204
    )
    assert client.get(first["click"], headers={**HEADERS, **headers}).status_code == 302
    counted = totals()
    assert (counted["p_requests"], counted["impressions"]) == (1, 1)
    assert (counted["viewable"], counted["clicks"]) == (0, 0)


def test_a_click_goes_to_the_signed_destination_and_counts_once_per_impression(
    client: Any, place: Any, advertiser: Any
) -> None:
    campaign(advertiser, pricing="cpc", rate="2.50")
    ad = decide(client).get_json()
    for _ in range(3):
        answer = client.get(ad["click"], headers=HEADERS)
        assert answer.status_code == 302
        assert answer.headers["Location"] == "https://atlas-telecom.ma/offre"
        assert answer.headers["Cache-Control"] == "no-store"
    counted = totals()
    assert (counted["clicks"], counted["p_clicks"]) == (1, 1)
    assert counted["spend"] == 2_500_000  # one CPC click at 2.50 MAD, no impression cost
    again = decide(client).get_json()
    client.get(again["click"], headers=HEADERS)
    assert totals()["clicks"] == 2


def test_a_tampered_click_token_is_refused_and_redirects_nowhere(
    app_ctx: Any, client: Any, live: Any
) -> None:
    token = decide(client).get_json()["click"].removeprefix("/ads/c/")
    payload, _, signature = token.rpartition(".")
    forged = client.get(f"/ads/c/{payload}.{signature[::-1]}", headers=HEADERS)
    assert forged.status_code == 400
    assert forged.get_json()["error"]["code"] == "invalid_token"
    assert "Location" not in forged.headers
    fields = urlsafe_b64encode(b"x|1|1|1|1|1|0|https://evil.example/").rstrip(b"=")
    other_salt = TimestampSigner(app_ctx.config["SECRET_KEY"], salt="other")
    made = other_salt.sign(fields).decode()
    assert client.get(f"/ads/c/{made}", headers=HEADERS).status_code == 400
    unsigned = TimestampSigner("not-our-key", salt="ads.impression")
    made = unsigned.sign(fields).decode()
    assert client.get(f"/ads/c/{made}", headers=HEADERS).status_code == 400
    ours = TimestampSigner(app_ctx.config["SECRET_KEY"], salt="ads.impression")
    not_ours = ours.sign(urlsafe_b64encode(b"x|1|one|1|1|1|0|https://a.example/")).decode()
    assert client.get(f"/ads/c/{not_ours}", headers=HEADERS).status_code == 400
    assert client.get("/ads/c/https:evil.example", headers=HEADERS).status_code == 400
    assert totals()["clicks"] == 0
    made = ours.sign(fields).decode()  # the same fields signed with our key: followed
    assert client.get(f"/ads/c/{made}", headers=HEADERS).headers["Location"] == (
        "https://evil.example/"
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(position=st.integers(min_value=0), replacement=st.sampled_from("AZaz09-_."))
def test_any_change_to_a_click_token_is_refused_or_changes_nothing(
    client: Any, live: Any, position: int, replacement: str
) -> None:
    token = decide(client).get_json()["click"].removeprefix("/ads/c/")
    i = position % len(token)
    if token[i] == replacement:
        return
    changed = token[:i] + replacement + token[i + 1 :]
    answer = client.get(f"/ads/c/{changed}", headers=HEADERS)
    if answer.status_code == 302:
        # Base64's last character carries unused bits: such a change decodes to the very
        # same signed bytes, so it can only lead where the signature says.
        assert answer.headers["Location"] == "https://atlas-telecom.ma/offre"
    else:
        assert answer.status_code == 400
        assert "Location" not in answer.headers


def test_only_http_and_https_destinations_are_followed(
    client: Any, place: Any, advertiser: Any
) -> None:
    campaign(advertiser, click_url="javascript:alert(document.cookie)")
    answer = client.get(decide(client).get_json()["click"], headers=HEADERS)
    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"] == "invalid_destination"
    assert "Location" not in answer.headers


def test_the_viewability_beacon_counts_once_per_impression(client: Any, live: Any) -> None:
    token = decide(client).get_json()["token"]
    for _ in range(4):
        assert client.post("/ads/v", data=token, headers=HEADERS).status_code == 204
    i = len(token) - 5  # inside the signature (its last character carries unused bits)
    changed = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
    forged = client.post("/ads/v", data=changed, headers=HEADERS)
    assert forged.status_code == 400
    counted = totals()
    assert (counted["viewable"], counted["p_viewable"]) == (1, 1)
    second = decide(client).get_json()["token"]
    client.post("/ads/v", data=second, headers=HEADERS)
    assert totals()["viewable"] == 2


def test_an_image_creative_is_served_sandboxed_and_immutable_with_its_hash(
    client: Any, live: Any
) -> None:
    _, creative = live
    plain = client.get(f"/ads/creatives/{creative.id}/")
    assert plain.status_code == 200
    assert plain.mimetype == "image/png"
    assert plain.headers["Content-Security-Policy"].startswith("sandbox allow-scripts")
    assert "allow-same-origin" not in plain.headers["Content-Security-Policy"]
    assert plain.headers["Cache-Control"] == "public, max-age=300"
    hashed = client.get(f"/ads/creatives/{creative.id}/?v={creative.content_sha256[:12]}")
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "X-Frame-Options" not in hashed.headers
    again = client.get(
        f"/ads/creatives/{creative.id}/", headers={"If-None-Match": plain.headers["ETag"]}
    )
    assert again.status_code == 304
    assert client.get(f"/ads/creatives/{creative.id}/other.png").status_code == 404


def test_an_html5_bundle_serves_its_members_and_nothing_outside(
    app_ctx: Any, client: Any, place: Any, advertiser: Any
) -> None:
    key, digest = store_bundle(
        app_ctx, {"index.html": "<!doctype html><script src='ad.js'></script>", "ad.js": "1;"}
    )
    _, creative = campaign(
        advertiser, fmt="html5", file_token=key, digest=digest, entry="index.html"
    )
    entry = client.get(f"/ads/creatives/{creative.id}/")
    assert entry.status_code == 200
    assert entry.mimetype == "text/html"
    assert entry.headers["Content-Security-Policy"].startswith("sandbox allow-scripts")
    script = client.get(f"/ads/creatives/{creative.id}/ad.js")
    assert script.data == b"1;"
    assert script.headers["Content-Security-Policy"].startswith("sandbox")
    for outside in ("../ad.js", "%2e%2e/%2e%2e/etc/passwd", "missing.js"):
        assert client.get(f"/ads/creatives/{creative.id}/{outside}").status_code == 404


def test_a_creative_not_approved_is_not_served(client: Any, live: Any) -> None:
    _, creative = live
    with sdk.all_workspaces():
        creative.status = "pending"
        sdk.db.session.commit()
    assert client.get(f"/ads/creatives/{creative.id}/").status_code == 404


def test_the_tag_and_the_frame_page_for_sites_hosted_elsewhere(client: Any, live: Any) -> None:
    tag = client.get("/ads/tag.js")
    assert tag.status_code == 200
    assert tag.mimetype == "text/javascript"
    assert b"data-ent-placement" in tag.data
    frame = client.get("/ads/frame/pl-matin-aside?size=300x250&lang=ar")
    assert frame.status_code == 200
    policy = frame.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "script-src 'self'" in policy
    assert "X-Frame-Options" not in frame.headers  # the policy lets any site frame it
    page = frame.get_data(as_text=True)
    assert 'data-ent-ad="pl-matin-aside"' in page
    assert 'data-sizes="300x250"' in page
    assert 'dir="rtl"' in page
    assert "Set-Cookie" not in frame.headers
    odd = client.get("/ads/frame/pl-matin-aside?size=1x1").get_data(as_text=True)
    assert 'data-sizes=""' in odd


def test_delivery_sets_no_cookie_even_for_a_signed_in_reader(
    client: Any, live: Any, user: Any
) -> None:
    sign_in(client, user)
    answer = decide(client)
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers


def test_a_failing_decision_shows_no_ad_rather_than_an_error(
    client: Any, live: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(request: Any) -> None:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(serve, "decide", broken)
    answer = decide(client)
    assert answer.status_code == 204
    assert answer.headers["Cache-Control"] == "no-store"
