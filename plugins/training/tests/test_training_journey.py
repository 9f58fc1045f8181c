"""Browser journey in headless Chromium: a trainer builds a course and a cohort, a learner
enrols, passes the quiz and hands in an assignment, the trainer grades it, the certificate
appears, and an anonymous visitor verifies it by its URL.

Skipped without Chromium or Playwright (fails instead under ``ENT_TEST_REQUIRE_SERVICES=1``);
``served_app`` and ``in_chromium`` come from ``ent_core.testing``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from ent_core.testing import browser_sign_in

pytestmark = pytest.mark.browser


def _tab(chromium: Any, base: str) -> Any:
    context = chromium.new_context(base_url=base, locale="en-GB")
    context.set_default_timeout(10_000)
    return context.new_page()


def _button(page: Any, name: str) -> Any:
    return page.get_by_role("main").get_by_role("button", name=name, exact=True)


def _link(page: Any, name: str) -> Any:
    return page.get_by_role("main").get_by_role("link", name=name, exact=True)


def test_from_course_to_verified_certificate(in_chromium, served_app, centre, learner):
    in_chromium(lambda chromium: _journey(chromium, served_app))


def _journey(chromium: Any, served: str) -> None:
    from playwright.sync_api import expect

    trainer = _tab(chromium, served)
    browser_sign_in(trainer, "owner@example.ma")
    trainer.goto("/w/cime/training/")
    _link(trainer, "New course").click()
    trainer.get_by_label("Title").fill("Fact-checking")
    trainer.get_by_label("Pass mark (%)").fill("50")
    _button(trainer, "Save the course").click()
    expect(trainer.get_by_role("heading", level=1)).to_have_text("Fact-checking")
    course_url = trainer.url

    _link(trainer, "Add a module").click()
    trainer.get_by_label("Title").fill("Basics")
    _button(trainer, "Add the module").click()
    _link(trainer, "Add a lesson").click()
    trainer.get_by_label("Title").fill("Sources")
    trainer.get_by_label("Content").fill("Always go back to the **source**.")
    _button(trainer, "Save the lesson").click()

    trainer.goto(course_url)
    _link(trainer, "Add an assessment").click()
    trainer.get_by_label("Title").fill("Final quiz")
    _button(trainer, "Save the assessment").click()
    trainer.get_by_label("Question", exact=True).fill("Capital of Morocco?")
    trainer.get_by_label("Choices").fill("*Rabat\nCasablanca")
    _button(trainer, "Add the question").click()

    trainer.goto(course_url)
    _link(trainer, "Add an assessment").click()
    trainer.get_by_label("Kind").select_option("assignment")
    trainer.get_by_label("Title").fill("Essay")
    _button(trainer, "Save the assessment").click()
    essay_url = trainer.url

    trainer.goto(course_url)
    _link(trainer, "New cohort").click()
    trainer.get_by_label("Name").fill("Autumn")
    trainer.get_by_label("Starts on").fill("2026-09-01")
    trainer.get_by_label("Ends on").fill("2026-12-01")
    _button(trainer, "Create the cohort").click()
    expect(trainer.get_by_role("heading", level=1)).to_contain_text("Autumn")

    pupil = _tab(chromium, served)
    browser_sign_in(pupil, "learner@example.ma")
    pupil.goto(course_url)
    _button(pupil, "Enrol").click()
    expect(pupil.get_by_role("status").filter(has_text="You are enrolled.")).to_be_visible()
    pupil.goto(course_url)
    _link(pupil, "Sources").click()
    _button(pupil, "Mark as done").click()
    _link(pupil, "Final quiz").click()
    _button(pupil, "Start the quiz").click()
    pupil.get_by_label("Rabat").check()
    _button(pupil, "Submit my answers").click()
    expect(pupil.get_by_role("status").filter(has_text="100.00")).to_be_visible()
    pupil.goto(essay_url)
    _link(pupil, "Hand in my work").click()
    pupil.get_by_label("Your answer").fill("Sources must be checked twice.")
    _button(pupil, "Hand in").click()

    trainer.goto(essay_url)
    _link(trainer, "Grade").click()
    trainer.get_by_label("Grade (%)").fill("80")
    trainer.get_by_label("Feedback").fill("Good work.")
    _button(trainer, "Save the grade").click()

    pupil.goto("/w/cime/training/")
    pupil.get_by_role("region", name="My certificates").get_by_role(
        "link", name="Fact-checking"
    ).click()
    verify = _link(pupil, "Public verification page").get_attribute("href")
    path = re.sub(r"^https?://[^/]+", "", verify)

    visitor = _tab(chromium, served)
    visitor.goto(path)
    expect(visitor.get_by_role("status")).to_contain_text("This certificate is valid.")
    expect(visitor.get_by_role("main")).to_contain_text("Layla Learner")
