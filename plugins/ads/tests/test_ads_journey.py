"""Browser journey in headless Chromium, the whole of issue #17 as people live it: an advertiser
creates a campaign, uploads its banner, submits it and has its invoice issued; a platform
administrator marks the bank transfer received on the invoices' administration page; a
moderator approves the campaign on ``/admin/ads/``; a publication puts its article's aside
place in the network; a reader sees the ad on the article, long enough for it to count as
viewable, and clicks it; after the flush, the advertiser's report shows 1 impression, 100 %
viewable and 1 click.

Skipped without Chromium or Playwright (fails instead under ``ENT_TEST_REQUIRE_SERVICES=1``).
No frozen clock: the served app and the browser share the real one, so the campaign's dates
are set around now, as the advertiser would.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from ent_plugins.ads import counting
from ent_plugins.ads.tests.delivery_kit import BROWSER

from ent_core import sdk
from ent_core.testing import browser_sign_in

pytestmark = pytest.mark.browser

CAMPAIGN = "Fibre Atlas 1 Gb"
ALT = "Atlas Télécom: la fibre à 1 Gb"
ARTICLES = "/api/v1/workspaces/matin-tech/publishing/articles"


@pytest.fixture
def article_path(api_client: Any, publisher: Any) -> str:
    """A published article of Le Matin Tech, through publishing's API (as its tests do)."""
    created = api_client.post(
        ARTICLES,
        json={"title": "Le cloud marocain", "body": "Texte de l'article.", "language": "fr"},
    )
    assert created.status_code == 201, created.json
    published = api_client.post(
        f"{ARTICLES}/{created.json['id']}/transitions", json={"transition": "publish"}
    )
    assert published.status_code == 200, published.json
    return urlsplit(published.json["url"]).path


def _banner() -> bytes:
    """A 300x250 PNG, drawn with Pillow as a designer's export would be."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 250), (0, 82, 155))
    ImageDraw.Draw(image).rectangle((20, 90, 280, 160), fill=(255, 200, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _tab(chromium: Any, base: str, email: str | None) -> Any:
    """A context of its own (cookies apart) with a desktop browser's user agent: the delivery
    treats HeadlessChrome as a robot and would serve it nothing."""
    context = chromium.new_context(
        base_url=base, locale="en-GB", user_agent=BROWSER, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    if email is not None:
        browser_sign_in(page, email)
    return page


def _button(page: Any, name: str) -> Any:
    return page.get_by_role("main").get_by_role("button", name=name, exact=True)


def test_a_campaign_from_its_creation_to_its_report(
    in_chromium: Any,
    served_app: str,
    advertiser: Any,
    advertiser_owner: Any,
    moderator: Any,
    publisher: Any,
    article_path: str,
) -> None:
    starts = sdk.to_local(sdk.utcnow(), advertiser) - timedelta(hours=1)
    outcome: dict[str, Any] = {}
    owner, admin = advertiser_owner.email, moderator.email  # read here: the journey has no app
    in_chromium(
        lambda chromium: _journey(chromium, served_app, starts, article_path, owner, admin, outcome)
    )
    counting.delivery.flush()  # what the scheduled flush does, now
    in_chromium(lambda chromium: _report(chromium, served_app, owner, outcome))

    assert outcome["label"].strip().lower() == "advertisement"
    assert outcome["alt"] == ALT
    assert outcome["click"].startswith(f"{served_app}/ads/c/")
    assert outcome["clicks"] == [outcome["click"]]  # the tab went through the click's redirect
    assert outcome["landed"] == f"{served_app}/portal/?lang=en"
    assert len(outcome["beacons"]) == 1  # viewable, reported once
    assert outcome["totals"] == ["1", "100%", "1"]


def _journey(
    chromium: Any,
    served: str,
    starts: Any,
    article_path: str,
    owner: str,
    moderator: str,
    outcome: dict[str, Any],
) -> None:
    from playwright.sync_api import expect

    # 1. The advertiser creates the campaign, uploads its banner, submits it and pays.
    advertiser = _tab(chromium, served, owner)
    advertiser.goto("/w/atlas-telecom/ads/campaigns/new?lang=en")
    advertiser.get_by_label("Name of the campaign").fill(CAMPAIGN)
    advertiser.get_by_label("Landing page").fill(f"{served}/portal/?lang=en")
    advertiser.get_by_label("What you advertise").select_option("technology")
    advertiser.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    advertiser.get_by_label("Ends").fill((starts + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"))
    advertiser.get_by_label("Pricing").select_option("cpm")
    advertiser.get_by_label("Total budget, excluding VAT (MAD)").fill("400")
    _button(advertiser, "Save the campaign").click()
    expect(advertiser.get_by_role("heading", level=1)).to_have_text(CAMPAIGN)
    campaign_url = advertiser.url
    outcome["campaign_id"] = int(urlsplit(campaign_url).path.rstrip("/").rsplit("/", 1)[1])

    advertiser.get_by_role("main").get_by_role("link", name="Add a creative").click()
    advertiser.get_by_label("Name (for your reports)").fill("Bannière fibre")
    advertiser.get_by_label("Image", exact=True).check()
    advertiser.get_by_label("Size").select_option("300x250")
    advertiser.get_by_label("File").set_input_files(
        {"name": "fibre.png", "mimeType": "image/png", "buffer": _banner()}
    )
    advertiser.get_by_label("What the image shows (alternative text)").fill(ALT)
    _button(advertiser, "Upload the creative").click()
    expect(advertiser.get_by_role("heading", level=1)).to_have_text(CAMPAIGN)
    expect(advertiser.locator("#creatives img")).to_have_attribute("alt", ALT)
    _button(advertiser, "Submit for approval").click()
    expect(advertiser.get_by_role("main")).to_contain_text("a moderator will review it")
    advertiser.get_by_role("main").get_by_role("button", name="Pay").click()
    expect(advertiser.get_by_role("main")).to_contain_text("is issued: pay it")

    # The transfer arrives: a platform administrator marks the invoice paid on its page.
    admin = _tab(chromium, served, moderator)
    admin.goto("/admin/billing/invoices?lang=en")
    row = admin.locator("tr", has_text="Atlas Télécom")
    row.get_by_label("Transfer reference").fill("VIR-2026-0042")
    row.get_by_role("button", name="Mark paid").click()
    expect(admin.get_by_role("main")).to_contain_text("is paid")

    # 2. The moderator approves the campaign and its creative on /admin/ads/.
    admin.goto("/admin/ads/?lang=en")
    admin.get_by_role("main").get_by_role("link", name=CAMPAIGN).click()
    expect(admin.get_by_role("main").locator("img")).to_have_attribute("alt", ALT)
    _button(admin, "Approve").click()
    expect(admin.get_by_role("main")).to_contain_text("The campaign is approved.")

    # 3. Le Matin Tech puts its article's aside place in the network.
    publisher = _tab(chromium, served, "owner@example.ma")
    publisher.goto("/w/matin-tech/ads/placements/?lang=en")
    place = publisher.locator("section.card", has_text="publishing.article.aside")
    place.get_by_label("Join the network: show campaigns here").check()
    place.get_by_role("button", name="Save").click()
    expect(publisher.get_by_role("main")).to_contain_text("is in the network")

    # 4. A reader opens the article, sees the ad for more than a second and clicks it.
    reader = _tab(chromium, served, None)
    beacons: list[str] = []
    reader.on(
        "request",
        lambda r: beacons.append(r.post_data or "") if r.url.endswith("/ads/v") else None,
    )
    clicks: list[str] = []
    reader.context.on("request", lambda r: clicks.append(r.url) if "/ads/c/" in r.url else None)
    reader.goto(article_path)
    ad = reader.locator("[data-ent-ad-state=shown]")
    ad.locator("img").wait_for()
    ad.scroll_into_view_if_needed()
    outcome["label"] = ad.locator(".ent-ad__label").inner_text()
    outcome["alt"] = ad.locator("img").get_attribute("alt")
    outcome["click"] = ad.locator("a").first.evaluate("a => a.href")
    reader.wait_for_timeout(1500)
    for _ in range(50):  # the beacon on its way (Playwright hands events over as it waits)
        if beacons:
            break
        reader.wait_for_timeout(100)
    outcome["beacons"] = list(beacons)
    with reader.context.expect_page() as opened:
        ad.locator("a").first.click()
    landing = opened.value
    landing.wait_for_load_state()
    outcome["landed"] = landing.url
    outcome["clicks"] = list(clicks)
    for page in (advertiser, admin, publisher, reader):
        page.context.close()


def _report(chromium: Any, served: str, owner: str, outcome: dict[str, Any]) -> None:
    """5. From the campaign's page, the advertiser opens its report and reads the daily
    table's totals (impressions, viewable rate, clicks)."""
    advertiser = _tab(chromium, served, owner)
    advertiser.goto("/w/atlas-telecom/ads/campaigns/?lang=en")
    advertiser.get_by_role("main").get_by_role("link", name=CAMPAIGN).click()
    advertiser.get_by_role("main").get_by_role("link", name="See its report").click()
    totals = advertiser.locator("#daily-table tfoot td")
    outcome["totals"] = [
        "".join(totals.nth(n).inner_text().split()).replace("\u202f", "") for n in (0, 1, 2)
    ]
    advertiser.context.close()
