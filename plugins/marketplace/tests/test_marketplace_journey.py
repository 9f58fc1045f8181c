"""Browser journey in headless Chromium, the marketplace as people live it (issue #18): Le Matin
Tech's owner finds FactCheck Lab's fact-checking service by searching the public marketplace,
asks for a quote; the seller sends one from its order page; the buyer accepts it and declares
a bank transfer; the platform's operator confirms it on ``/admin/marketplace/payments``; the
seller marks the work delivered, the buyer confirms receipt; both review, and the reviews,
published once both are in, show on the listing's page.

With ``ENT_TEST_ARTIFACTS`` set, the listing's page and both order pages are also saved there
as screenshots in French and Arabic (for a person to look at the layout, RTL included).

Skipped without Chromium or Playwright (fails instead under ``ENT_TEST_REQUIRE_SERVICES=1``).
No frozen clock: the served app and the browser share the real one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from ent_plugins.marketplace.tests.conftest import make_listing

from ent_core.testing import browser_sign_in

pytestmark = pytest.mark.browser

TITLE = "Vérification d'une enquête"
REQUEST = "Une enquête de 12 pages sur les marchés publics, à vérifier avant lundi."
BUYER_REVIEW = "Vérification rigoureuse, sources citées une à une."
SELLER_REVIEW = "Demande claire, paiement rapide."


def _tab(chromium: Any, base: str, email: str) -> Any:
    """A signed-in tab in a context of its own (cookies apart)."""
    context = chromium.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    browser_sign_in(page, email)
    return page


def _main(page: Any) -> Any:
    return page.get_by_role("main")


def _button(page: Any, name: str) -> Any:
    return _main(page).get_by_role("button", name=name, exact=True)


def _shoot(page: Any, path: str, name: str) -> None:
    """Screenshots of ``path`` in French and Arabic into ``ENT_TEST_ARTIFACTS`` when set."""
    folder = os.environ.get("ENT_TEST_ARTIFACTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for lang in ("fr", "ar"):
        page.goto(f"{path}?lang={lang}")
        page.screenshot(path=f"{folder}/{name}-{lang}.png", full_page=True)
    page.goto(f"{path}?lang=en")


def test_a_quote_from_the_search_to_the_reviews(
    in_chromium: Any,
    served_app: str,
    seller: Any,
    seller_owner: Any,
    newsroom: Any,
    user: Any,
    operator: Any,
) -> None:
    listing_id = make_listing(seller, TITLE).id
    emails = (user.email, seller_owner.email, operator.email)  # read here: the journey has no app
    outcome: dict[str, Any] = {}
    in_chromium(lambda chromium: _journey(chromium, served_app, listing_id, emails, outcome))

    assert outcome["label_gap"] >= 8  # a label is not read as the caption of the field above
    assert outcome["quoted_total"] == "3,600.00"
    assert outcome["pending_badge"] == "Payment being confirmed"
    assert outcome["status"] == "Completed"
    assert outcome["hidden_before_both"] is True
    assert BUYER_REVIEW in outcome["listing_reviews"]
    assert SELLER_REVIEW not in outcome["listing_reviews"]  # it is the buyer's


def _journey(
    chromium: Any, served: str, listing_id: int, emails: tuple[str, ...], outcome: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    buyer_email, seller_email, operator_email = emails

    # 1. The newsroom searches the public marketplace and asks FactCheck Lab for a quote.
    buyer = _tab(chromium, served, buyer_email)
    buyer.goto("/marketplace/?lang=en")
    _main(buyer).get_by_label("Search the marketplace").fill("vérification")
    _button(buyer, "Search").click()
    _main(buyer).get_by_role("link", name=TITLE).click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text(TITLE)
    listing_path = f"/marketplace/listings/{listing_id}"
    request_box = buyer.get_by_label("What do you need?").bounding_box()
    for_whom_box = _main(buyer).get_by_text("Buy for", exact=True).bounding_box()
    outcome["label_gap"] = for_whom_box["y"] - request_box["y"] - request_box["height"]
    buyer.get_by_label("What do you need?").fill(REQUEST)
    _button(buyer, "Ask for a quote").click()
    expect(_main(buyer)).to_contain_text("Your request was sent to the seller.")
    order_path = buyer.url.split(served, 1)[1].split("?", 1)[0]

    # 2. The seller opens the order from its list and quotes two days of work.
    seller = _tab(chromium, served, seller_email)
    seller.goto("/w/factcheck-lab/marketplace/orders/?lang=en")
    _main(seller).locator("tr", has_text="Amina Owner").get_by_role("link").click()
    expect(_main(seller)).to_contain_text(REQUEST)
    seller_order_path = seller.url.split(served, 1)[1].split("?", 1)[0]
    _shoot(seller, seller_order_path, "seller-quote")
    line = _main(seller).get_by_role("group", name="Line 1")
    line.get_by_label("Item").fill("Vérification de l'enquête")
    line.get_by_label("Quantity").fill("2")
    line.get_by_label("Unit price, excluding VAT").fill("1500")
    seller.get_by_label("Valid for (days)").fill("15")
    _button(seller, "Send a quote").click()
    expect(seller.locator(".page-header .badge")).to_have_text("Quote sent")

    # 3. The buyer accepts the quote and declares its bank transfer.
    buyer.goto(f"{order_path}?lang=en")
    _button(buyer, "Accept the quote").click()
    expect(buyer.locator(".page-header .badge")).to_have_text("Awaiting payment")
    outcome["quoted_total"] = (
        _main(buyer).locator("dd strong").first.inner_text().replace("MAD", "").strip()
    )
    buyer.get_by_label("Your transfer's reference").first.fill("VIR-MT-2026-118")
    _button(buyer, "I have made the transfer").first.click()
    outcome["pending_badge"] = buyer.locator(".page-header .badge").inner_text()

    # 4. The operator confirms the transfer on the payments' page.
    admin = _tab(chromium, served, operator_email)
    admin.goto("/admin/marketplace/payments?lang=en")
    row = _main(admin).locator("tr", has_text="FactCheck Lab")
    expect(row.get_by_label("Bank reference")).to_have_value("VIR-MT-2026-118")
    row.get_by_role("button", name="Mark paid").click()
    expect(_main(admin)).to_contain_text("No payment is waiting.")

    # 5. The seller delivers; the buyer confirms receipt.
    seller.goto(f"{seller_order_path}?lang=en")
    _button(seller, "Mark delivered").click()
    expect(seller.locator(".page-header .badge")).to_have_text("Delivered")
    buyer.goto(f"{order_path}?lang=en")
    _button(buyer, "Confirm receipt").click()
    expect(buyer.locator(".page-header .badge")).to_have_text("Completed")
    outcome["status"] = buyer.locator(".page-header .badge").inner_text()

    # 6. Both review; the buyer's shows on the listing's page once the seller's is in.
    buyer.get_by_role("radio", name="5 out of 5").check()
    buyer.get_by_label("Your review").fill(BUYER_REVIEW)
    _button(buyer, "Publish my review").click()
    buyer.goto(f"{listing_path}?lang=en")
    outcome["hidden_before_both"] = BUYER_REVIEW not in _main(buyer).inner_text()
    seller.goto(f"{seller_order_path}?lang=en")
    seller.get_by_role("radio", name="4 out of 5").check()
    seller.get_by_label("Your review").fill(SELLER_REVIEW)
    _button(seller, "Publish my review").click()
    expect(_main(seller)).to_contain_text(BUYER_REVIEW)  # the seller now reads the buyer's
    buyer.goto(f"{listing_path}?lang=en")
    outcome["listing_reviews"] = _main(buyer).inner_text()

    _shoot(buyer, listing_path, "listing")
    _shoot(buyer, order_path, "buyer-order")
    _shoot(seller, seller_order_path, "seller-order")
    for page in (buyer, seller, admin):
        page.context.close()
