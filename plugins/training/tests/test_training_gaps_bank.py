"""A question bank: each attempt draws ``questions_per_attempt`` questions at random and is
scored on those alone."""

from __future__ import annotations

import pytest
from ent_plugins.training.models import Assessment, Choice, Question
from training_kit import API, BASE, build_course

from ent_core import sdk


def _settings(client, quiz_id: int, draw: str, **extra):
    data = {"title": "Final quiz", "weight": "1", "max_attempts": "40", "submission_kind": "text"}
    data.update(extra, questions_per_attempt=draw)
    return client.post(f"{BASE}/assessments/{quiz_id}/edit?lang=en", data=data)


def _draw(quiz_id: int) -> int | None:
    sdk.db.session.expire_all()
    return sdk.db.session.scalar(
        sdk.db.select(Assessment.questions_per_attempt)
        .where(Assessment.id == quiz_id)
        .execution_options(ent_all_workspaces=True)
    )


def _right_answers(quiz_id: int) -> dict[str, list[int]]:
    """The right answer to every question of the quiz (a learner who knows it all)."""
    sdk.db.session.expire_all()
    answers = {}
    for question in sdk.db.session.scalars(
        sdk.db.select(Question)
        .where(Question.assessment_id == quiz_id)
        .execution_options(ent_all_workspaces=True)
    ):
        answers[str(question.id)] = sorted(
            sdk.db.session.scalars(
                sdk.db.select(Choice.id)
                .where(Choice.question_id == question.id, Choice.correct.is_(True))
                .execution_options(ent_all_workspaces=True)
            )
        )
    return answers


@pytest.fixture
def bank(centre, signed_in_client, learner_client):
    """A quiz of six questions (40 attempts allowed), the learner enrolled."""
    built = build_course(signed_in_client, attempts="40")
    for n in range(4):
        r = signed_in_client.post(
            f"{BASE}/assessments/{built.quiz}/questions/new",
            data={"text": f"Extra {n}?", "choices": "*a\nb\nc"},
        )
        assert r.status_code == 302
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    return built


def test_each_attempt_draws_the_set_number_of_questions(bank, signed_in_client, learner_api):
    assert _settings(signed_in_client, bank.quiz, "3").status_code == 302
    assert _draw(bank.quiz) == 3
    drawn = set()
    for _ in range(8):
        attempt = learner_api.post(f"{API}/quizzes/{bank.quiz}/attempts").json
        ids = [q["id"] for q in attempt["questions"]]
        assert len(ids) == len(set(ids)) == 3
        drawn.add(frozenset(ids))
        learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": {}})
    assert len(drawn) > 1  # 20 possible subsets: eight identical draws would be a broken draw


def test_the_score_counts_the_drawn_questions_only(bank, signed_in_client, learner_api):
    _settings(signed_in_client, bank.quiz, "2")
    attempt = learner_api.post(f"{API}/quizzes/{bank.quiz}/attempts").json
    everything = _right_answers(bank.quiz)
    drawn = {str(q["id"]): everything[str(q["id"])] for q in attempt["questions"]}
    done = learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": drawn})
    assert done.status_code == 200 and done.json["score"] == "100.00"
    # A question that was not drawn cannot be answered in this attempt.
    second = learner_api.post(f"{API}/quizzes/{bank.quiz}/attempts").json
    shown = {str(q["id"]) for q in second["questions"]}
    other = next(key for key in everything if key not in shown)
    r = learner_api.post(
        f"{API}/attempts/{second['id']}/submission", json={"answers": {other: everything[other]}}
    )
    assert r.status_code == 422 and r.json["error"]["code"] == "invalid_answer"


def test_half_the_drawn_questions_right_is_fifty_percent(bank, signed_in_client, learner_api):
    _settings(signed_in_client, bank.quiz, "2")
    attempt = learner_api.post(f"{API}/quizzes/{bank.quiz}/attempts").json
    first = str(attempt["questions"][0]["id"])
    answers = {first: _right_answers(bank.quiz)[first]}
    done = learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": answers})
    assert done.json["score"] == "50.00"


def test_the_draw_cannot_exceed_the_questions(bank, signed_in_client):
    r = _settings(signed_in_client, bank.quiz, "7")
    assert r.status_code == 422
    assert "This quiz has 6 questions: draw at most that many." in r.text
    assert _draw(bank.quiz) is None
    assert _settings(signed_in_client, bank.quiz, "6").status_code == 302
    assert _draw(bank.quiz) == 6


def test_zero_or_empty_means_every_question(bank, signed_in_client, learner_api):
    _settings(signed_in_client, bank.quiz, "2")
    assert _settings(signed_in_client, bank.quiz, "0").status_code == 302
    assert _draw(bank.quiz) is None
    _settings(signed_in_client, bank.quiz, "")
    attempt = learner_api.post(f"{API}/quizzes/{bank.quiz}/attempts").json
    assert len(attempt["questions"]) == 6


def test_the_quiz_page_says_how_many_an_attempt_draws(bank, signed_in_client, learner_client):
    _settings(signed_in_client, bank.quiz, "4")
    for lang, text in (
        ("en", "Each attempt draws 4 of them at random."),
        ("fr", "Chaque tentative en tire 4 au hasard."),
        ("ar", "تسحب كل محاولة 4 منها عشوائيًا."),
    ):
        page = learner_client.get(f"{BASE}/assessments/{bank.quiz}?lang={lang}")
        assert text in page.text, lang


def test_a_new_quiz_has_no_draw_until_it_has_questions(built, signed_in_client):
    form = signed_in_client.get(f"{BASE}/courses/{built.course}/assessments/new?lang=en")
    assert "questions_per_attempt" not in form.text
    form = signed_in_client.get(f"{BASE}/assessments/{built.quiz}/edit?lang=en")
    assert "Questions per attempt (quiz)" in form.text


def test_a_question_the_draw_needs_cannot_be_deleted(bank, signed_in_client):
    _settings(signed_in_client, bank.quiz, "6")
    question = next(iter(_right_answers(bank.quiz)))
    r = signed_in_client.post(f"{BASE}/questions/{question}/delete?lang=en")
    assert r.status_code == 302
    assert question in _right_answers(bank.quiz)
    page = signed_in_client.get(r.headers["Location"] + "?lang=en")
    assert "Each attempt draws 6 questions: lower that number" in page.text
    _settings(signed_in_client, bank.quiz, "5")
    signed_in_client.post(f"{BASE}/questions/{question}/delete")
    assert question not in _right_answers(bank.quiz)


def test_an_expired_attempt_of_a_draw_scores_zero_on_the_drawn_questions(
    bank, signed_in_client, learner_api
):
    from datetime import timedelta

    from ent_plugins.training.models import QuizAttempt

    _settings(signed_in_client, bank.quiz, "3", time_limit_minutes="5")
    attempt = learner_api.post(f"{API}/quizzes/{bank.quiz}/attempts").json
    row = sdk.db.session.scalar(
        sdk.db.select(QuizAttempt)
        .where(QuizAttempt.id == attempt["id"])
        .execution_options(ent_all_workspaces=True)
    )
    row.started_at -= timedelta(minutes=10)
    row.deadline_at -= timedelta(minutes=10)
    sdk.db.session.commit()
    closed = learner_api.get(f"{API}/attempts/{attempt['id']}").json
    assert closed["late"] is True and closed["score"] == "0.00"
    assert len(closed["questions"]) == 3
