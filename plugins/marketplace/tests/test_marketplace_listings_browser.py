"""The seller's listing form in headless Chromium: only the fields of the chosen kind show,
a booking is saved, given a slot and submitted; the operator approves it on its page.

Skipped without Chromium or Playwright (fails instead under ``ENT_TEST_REQUIRE_SERVICES=1``).
No frozen clock: the served app and the browser share the real one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from ent_plugins.marketplace.tests.listings_kit import newest

from ent_core import sdk
from ent_core.testing import browser_sign_in

pytestmark = pytest.mark.browser

TITLE = "Studio podcast à l'heure"


def _seller(chromium: Any, base: str, email: str, outcome: dict[str, Any]) -> None:
    context = chromium.new_context(base_url=base)
    page = context.new_page()
    browser_sign_in(page, email)
    page.goto("/w/factcheck-lab/marketplace/listings/new?lang=en")
    page.get_by_label("What you sell").select_option("booking")
    outcome["unit_hidden"] = not page.get_by_label("Services: sold").is_visible()
    outcome["hold_shown"] = page.locator("[name=hold_minutes]").is_visible()
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Category").select_option(label="Podcast studios")
    page.get_by_label("Price excluding VAT, in dirhams (MAD)").fill("400")
    page.get_by_role("button", name="Save the listing").click()
    page.wait_for_load_state()
    day = outcome.pop("day")
    page.get_by_label("Starts").fill(f"{day}T10:00")
    page.get_by_label("Ends").fill(f"{day}T12:00")
    page.get_by_label("Repeat weekly for the following weeks (0: once)").fill("1")
    page.get_by_role("button", name="Add the slot").click()
    page.wait_for_load_state()
    outcome["slot_rows"] = page.locator("#slots tbody tr").count()
    page.get_by_role("button", name="Submit for publication").click()
    page.wait_for_load_state()
    outcome["status"] = page.locator(".page-header .badge").inner_text()
    context.close()


def _operator(chromium: Any, base: str, email: str) -> None:
    context = chromium.new_context(base_url=base)
    page = context.new_page()
    browser_sign_in(page, email)
    page.goto("/admin/marketplace/listings?lang=en")
    page.get_by_role("article", name=TITLE).get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    context.close()


def test_a_booking_from_the_form_to_its_approval(
    in_chromium: Any, served_app: str, seller: Any, seller_owner: Any, operator: Any
) -> None:
    outcome: dict[str, Any] = {"day": (sdk.utcnow() + timedelta(days=3)).date().isoformat()}
    seller_email, operator_email = seller_owner.email, operator.email
    in_chromium(lambda chromium: _seller(chromium, served_app, seller_email, outcome))
    assert outcome == {
        "unit_hidden": True,
        "hold_shown": True,
        "slot_rows": 2,
        "status": "Awaiting approval",
    }
    in_chromium(lambda chromium: _operator(chromium, served_app, operator_email))
    listing = newest()
    assert (listing.title, listing.kind, listing.status) == (TITLE, "booking", "published")
