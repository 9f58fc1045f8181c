"""The Arabic invoice page in Chromium: numbers and dates keep their logical order.

Unisolated, ``2026-000004`` after an Arabic word is laid out as ``000004-2026`` (after an Arabic
letter the digits are Arabic numbers, which a hyphen does not bind). The page isolates them
(``|ltr``); the test checks the order on screen: the year is left of the sequence number.
"""

from __future__ import annotations

from typing import Any

import pytest

from ent_core.billing import subscriptions as service
from ent_core.testing import DEFAULT_PASSWORD, all_workspaces

pytestmark = pytest.mark.frozen_clock


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/auth/sign-in?lang=ar")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _left_to_right(page: Any, selector: str, first: str, second: str) -> None:
    """``first`` is drawn left of ``second`` inside the element ``selector``."""
    boxes = page.evaluate(
        """([selector, first, second]) => {
            const element = document.querySelector(selector);
            const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
            const box = (needle) => {
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const at = node.data.indexOf(needle);
                    if (at >= 0) {
                        const range = document.createRange();
                        range.setStart(node, at);
                        range.setEnd(node, at + needle.length);
                        return range.getBoundingClientRect().left;
                    }
                }
                return null;
            };
            const a = box(first);
            walker.currentNode = element;
            return [a, box(second)];
        }""",
        [selector, first, second],
    )
    assert None not in boxes, boxes
    assert boxes[0] < boxes[1], f"{first!r} is drawn right of {second!r} in {selector}"


def test_arabic_invoice_page_shows_number_and_dates_in_logical_order(
    served_app, in_chromium, make_workspace, user
):
    workspace = make_workspace("media", name="Atlas Média", kind="media")
    with all_workspaces():
        _, invoice = service.subscribe(workspace, "basic", "year", actor=user)
        number, issued = invoice.number, invoice.issued_at.strftime("%Y-%m-%d")
    year, sequence = number.split("-")
    email = user.email  # the journey runs in a thread, outside the app's context

    def journey(browser: Any) -> None:
        page = browser.new_page()
        _sign_in(page, served_app, email)
        page.goto(f"{served_app}/w/media/billing/invoices/{number}?lang=ar")
        assert page.locator("html").get_attribute("dir") == "rtl"
        title = page.locator("#invoice-title")
        assert number in title.inner_text()
        _left_to_right(page, "#invoice-title", year, sequence)
        assert page.locator("#invoice-issued").inner_text() == issued
        _left_to_right(page, "#invoice-issued", issued[:4], issued[5:7])
        assert "Atlas Média" in page.locator("main").inner_text()

    in_chromium(journey)
