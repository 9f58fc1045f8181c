"""ads.js in headless Chromium: viewability by the MRC's rule (half the pixels, one continuous
second) and HTML5 creatives that cannot reach the page that shows them."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.ads.tests.delivery_kit import BROWSER, campaign, placement, store_bundle
from ent_plugins.ads.tests.test_ads_delivery_serve import totals

pytestmark = pytest.mark.browser

FRAME = "/ads/frame/pl-matin-aside?size=300x250&lang=en"


@pytest.fixture
def image_ad(publisher: Any, advertiser: Any) -> Any:
    placement(publisher)
    return campaign(advertiser)


#: Scrolls the ad out of view 0.5 s after it is shown, timed inside the page (a busy test
#: machine cannot delay it): installed before the page's own scripts.
SCROLL_OUT_AFTER_HALF_A_SECOND = """
new MutationObserver((changes, observer) => {
  const box = document.querySelector("[data-ent-ad-state=shown]");
  if (!box) return;
  observer.disconnect();
  setTimeout(() => {
    const spacer = document.createElement("div");
    spacer.style.height = "5000px";
    document.body.appendChild(spacer);
    window.scrollTo(0, 4000);
    window.__scrolledOut = true;
  }, 500);
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-ent-ad-state"]});
"""


def _page(chromium: Any, base: str, script: str = "") -> tuple[Any, Any, list[str]]:
    context = chromium.new_context(
        base_url=base, user_agent=BROWSER, viewport={"width": 800, "height": 600}
    )
    page = context.new_page()
    if script:
        page.add_init_script(script)
    beacons: list[str] = []
    page.on(
        "request",
        lambda r: beacons.append(r.post_data or "") if r.url.endswith("/ads/v") else None,
    )
    page.goto(FRAME)
    page.wait_for_selector("[data-ent-ad-state=shown] img")
    return context, page, beacons


def _scroll_out(page: Any) -> None:
    page.evaluate(
        """() => {
            const spacer = document.createElement("div");
            spacer.style.height = "5000px";
            document.body.appendChild(spacer);
            window.scrollTo(0, 4000);
        }"""
    )


def test_an_ad_scrolled_out_after_half_a_second_is_not_viewable_one_left_longer_is(
    in_chromium: Any, served_app: str, image_ad: Any
) -> None:
    outcome: dict[str, Any] = {}

    def journey(chromium: Any) -> None:
        context, page, beacons = _page(chromium, served_app, SCROLL_OUT_AFTER_HALF_A_SECOND)
        page.wait_for_function("() => window.__scrolledOut === true")
        page.wait_for_timeout(2000)  # long enough for a beacon that should not come
        outcome["scrolled_out"] = list(beacons)
        outcome["label"] = page.inner_text(".ent-ad__label")
        outcome["alt"] = page.get_attribute(".ent-ad img", "alt")
        outcome["reader"] = page.evaluate("() => localStorage.getItem('ent-ad-reader')")
        outcome["cookies"] = context.cookies()
        context.close()

        context, page, beacons = _page(chromium, served_app)
        page.wait_for_timeout(1500)
        for _ in range(50):  # the beacon on its way (Playwright hands events over as it waits)
            if beacons:
                break
            page.wait_for_timeout(100)
        outcome["left"] = list(beacons)
        _scroll_out(page)
        page.wait_for_timeout(1500)
        outcome["left_then_out"] = list(beacons)
        context.close()

    in_chromium(journey)
    assert outcome["scrolled_out"] == []
    assert len(outcome["left"]) == 1
    assert outcome["left_then_out"] == outcome["left"]  # reported once, never again
    assert outcome["label"].lower() == "advertisement"
    assert outcome["alt"] == "Atlas Télécom: la fibre"
    assert outcome["reader"] and '"week"' in outcome["reader"]  # the page's own storage
    assert outcome["cookies"] == []  # no cookie, ours or anyone's
    counted = totals()
    assert (counted["impressions"], counted["viewable"]) == (2, 1)


PROBE = """<!doctype html><html><body><p>Ad</p><script>
var report = [];
function attempt(name, work) {
  try { report.push(name + ":" + work()); } catch (e) { report.push(name + ":" + e.name); }
}
attempt("parent", function () { parent.document.body.textContent = "PWNED"; return "reached"; });
attempt("top-cookie", function () { return "read " + top.document.cookie; });
attempt("own-cookie", function () { return "read " + document.cookie; });
attempt("storage", function () { localStorage.setItem("x", "1"); return "reached"; });
parent.postMessage(report.join("|"), "*");
</script></body></html>"""


def test_an_html5_creative_cannot_reach_the_host_page(
    in_chromium: Any, served_app: str, app_ctx: Any, publisher: Any, advertiser: Any
) -> None:
    placement(publisher)
    key, digest = store_bundle(app_ctx, {"index.html": PROBE})
    campaign(advertiser, fmt="html5", file_token=key, digest=digest, entry="index.html")
    outcome: dict[str, Any] = {}

    def journey(chromium: Any) -> None:
        context = chromium.new_context(base_url=served_app, user_agent=BROWSER)
        context.add_cookies([{"name": "host", "value": "secret", "url": served_app}])
        page = context.new_page()
        # Listens before any script of the page (DevTools, not subject to the page's policy).
        page.add_init_script(
            "window.__reports = [];"
            "addEventListener('message', (e) => window.__reports.push(String(e.data)));"
        )
        page.goto(FRAME)
        page.wait_for_function("() => window.__reports.length > 0", timeout=15000)
        outcome["report"] = page.evaluate("() => window.__reports[0]")
        outcome["sandbox"] = page.get_attribute("iframe.ent-ad__frame", "sandbox")
        outcome["body"] = page.inner_text("body")
        context.close()

    in_chromium(journey)
    report = dict(part.split(":", 1) for part in outcome["report"].split("|"))
    assert report["parent"] == "SecurityError"
    assert report["top-cookie"] == "SecurityError"
    assert report["own-cookie"] == "SecurityError"
    assert report["storage"] == "SecurityError"
    assert "allow-same-origin" not in outcome["sandbox"]
    assert "PWNED" not in outcome["body"]
