"""The timed attempt page: the deadline in the page (it works without JavaScript), a live
countdown with a few polite announcements, and the form sent by itself when time is up."""

from __future__ import annotations

import html
import json
import re
import time
from datetime import timedelta

import pytest
from ent_plugins.training.models import QuizAttempt
from test_training_journey import _tab
from training_kit import API, BASE, build_course

from ent_core import sdk
from ent_core.testing import browser_sign_in


@pytest.fixture
def timed(centre, signed_in_client, learner_client):
    built = build_course(signed_in_client, time_limit="5")
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    return built


def _start_page(client, quiz_id: int, lang: str = "en"):
    r = client.post(f"{BASE}/assessments/{quiz_id}/attempts")
    assert r.status_code == 302
    return client.get(f"{r.headers['Location']}?lang={lang}")


def _attempt(attempt_id: int) -> QuizAttempt:
    sdk.db.session.expire_all()
    return sdk.db.session.scalar(
        sdk.db.select(QuizAttempt)
        .where(QuizAttempt.id == attempt_id)
        .execution_options(ent_all_workspaces=True)
    )


def test_a_timed_attempt_shows_its_deadline_and_a_countdown(timed, learner_client):
    page = _start_page(learner_client, timed.quiz)
    assert page.status_code == 200
    assert "Deadline:" in page.text and "Answers sent after it are not counted." in page.text
    remaining = int(re.search(r'data-remaining="(\d+)"', page.text).group(1))
    assert 290 <= remaining <= 300
    assert re.search(r"Time left when this page was loaded: [45] min", page.text)  # without JS
    assert 'aria-live="polite"' in page.text and 'role="timer"' in page.text
    assert "5 minutes left." in page.text
    assert "Time is up: your answers are being sent." in page.text
    script = re.search(r'<script src="([^"]+/quiz-timer\.js\?v=[0-9a-f]{12})"', page.text).group(1)
    assert "<script>" not in page.text  # no inline code: the page policy forbids it
    assert "requestSubmit" in learner_client.get(script).text


@pytest.mark.parametrize(
    ("lang", "deadline", "up"),
    [
        ("fr", "Heure limite :", "Le temps est écoulé : vos réponses sont envoyées."),
        ("ar", "الموعد النهائي:", "انتهى الوقت: يجري إرسال إجاباتك."),
    ],
)
def test_the_countdown_speaks_french_and_arabic(timed, learner_client, lang, deadline, up):
    page = _start_page(learner_client, timed.quiz, lang)
    assert deadline in page.text
    announcements = json.loads(
        html.unescape(re.search(r"data-announcements='([^']*)'", page.text).group(1))
    )
    assert announcements["0"] == up
    if lang == "ar":
        assert 'dir="rtl"' in page.text
        assert '<span class="ltr" role="timer"' in page.text  # digits stay in order


def test_an_untimed_attempt_has_no_countdown(built, learner_client):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    page = _start_page(learner_client, built.quiz)
    assert page.status_code == 200
    assert "data-quiz-timer" not in page.text and "quiz-timer.js" not in page.text


def test_a_closed_attempt_has_no_countdown(timed, learner_client, learner_api):
    attempt = learner_api.post(f"{API}/quizzes/{timed.quiz}/attempts").json
    learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": timed.right})
    page = learner_client.get(f"{BASE}/attempts/{attempt['id']}?lang=en")
    assert "This attempt is closed." in page.text and "data-quiz-timer" not in page.text


def _leave_seconds(app, attempt_id: int, seconds: int) -> None:
    """Move the attempt's deadline to ``seconds`` from now (from the browser's thread)."""
    with app.app_context():
        row = _attempt(attempt_id)
        row.deadline_at = sdk.utcnow() + timedelta(seconds=seconds)
        sdk.db.session.commit()


@pytest.mark.browser
def test_the_form_is_sent_when_time_is_up(app, in_chromium, served_app, timed, learner_api):
    attempt = learner_api.post(f"{API}/quizzes/{timed.quiz}/attempts").json
    capital = next(q for q in attempt["questions"] if q["text"] == "Capital of Morocco?")
    rabat = next(c["id"] for c in capital["choices"] if c["text"] == "Rabat")

    def journey(chromium):
        from playwright.sync_api import expect

        page = _tab(chromium, served_app)
        browser_sign_in(page, "learner@example.ma")
        # Four seconds left once the browser is up: the page counts them down and sends
        # what was ticked.
        _leave_seconds(app, attempt["id"], 4)
        page.goto(f"/w/cime/training/attempts/{attempt['id']}?lang=en")
        expect(page.get_by_role("timer")).to_have_text(re.compile(r"^00:0[0-4]$"))
        expect(page.get_by_text("Time left when this page was loaded")).to_be_hidden()
        page.locator(f'input[name="q-{capital["id"]}"][value="{rabat}"]').check()
        page.wait_for_url(re.compile(rf"/assessments/{timed.quiz}"), timeout=15_000)

    started = time.monotonic()
    in_chromium(journey)
    assert time.monotonic() - started < 60
    done = _attempt(attempt["id"])
    assert done.submitted_at is not None and done.late is False
    assert done.answers == {str(capital["id"]): [rabat]}
    assert str(done.score) == "50.00"
