"""The browser helpers ``ent_core.testing`` gives plugin authors: a journey's failure is the
test's failure, and the page it drives is the live app's."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_a_failing_journey_fails_the_test(in_chromium: Any) -> None:
    def journey(browser: Any) -> None:
        raise AssertionError("the journey's own failure")

    with pytest.raises(AssertionError, match="the journey's own failure"):
        in_chromium(journey)


def test_a_journey_that_runs_too_long_fails_the_test(in_chromium: Any) -> None:
    import time

    with pytest.raises(pytest.fail.Exception, match="still running after 1s"):
        in_chromium(lambda browser: time.sleep(5), timeout=1)


def test_a_journey_reaches_the_served_app(in_chromium: Any, served_app: str) -> None:
    seen: list[str] = []

    def journey(browser: Any) -> None:
        page = browser.new_page()
        page.goto(f"{served_app}/?lang=en")
        seen.append(page.locator("html").get_attribute("lang") or "")

    in_chromium(journey)
    assert seen == ["en"]


def test_browser_sign_in_signs_a_page_in_through_the_form(
    in_chromium: Any, served_app: str, user: Any
) -> None:
    from ent_core.testing import browser_sign_in

    email = user.email  # read here: the journey runs in a thread of its own
    seen: list[int] = []

    def journey(browser: Any) -> None:
        page = browser.new_context(base_url=served_app).new_page()
        browser_sign_in(page, email)
        seen.append(page.get_by_role("button", name="Sign out").count())

    in_chromium(journey)
    assert seen == [1]
