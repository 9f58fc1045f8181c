"""The shell in a real browser: French by default, the language switcher, Arabic right-to-left."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect


def test_home_page_is_french_by_default(page: Any) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("link", name="Créer un compte")).to_be_visible()


def test_language_switcher_turns_the_page_right_to_left(page: Any) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Langue").get_by_role("link", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # The choice sticks to the session: the next page stays in Arabic without ?lang=.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_english_on_request(page: Any) -> None:
    page.goto("/?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Create an account")).to_be_visible()


def test_sign_in_page_is_right_to_left_in_arabic(page: Any) -> None:
    page.goto("/auth/sign-in?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("main").get_by_role("button", name="تسجيل الدخول")).to_be_visible()
