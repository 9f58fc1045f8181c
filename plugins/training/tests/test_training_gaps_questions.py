"""Editing a quiz question: the same checks as adding one; submitted attempts keep their score,
an attempt in progress is graded on the question as saved."""

from __future__ import annotations

import pytest
from ent_plugins.training.models import Choice, Question
from training_kit import API, BASE, audited

from ent_core import sdk

CAPITAL = "Capital of Morocco?"


def _question(text: str) -> Question:
    sdk.db.session.expire_all()
    return sdk.db.session.scalar(
        sdk.db.select(Question)
        .where(Question.text == text)
        .execution_options(ent_all_workspaces=True)
    )


def _choices(question_id: int) -> list[tuple[str, bool]]:
    sdk.db.session.expire_all()
    return [
        (c.text, c.correct)
        for c in sdk.db.session.scalars(
            sdk.db.select(Choice)
            .where(Choice.question_id == question_id)
            .order_by(Choice.id)
            .execution_options(ent_all_workspaces=True)
        )
    ]


@pytest.fixture
def capital(built) -> Question:
    return _question(CAPITAL)


def _edit(client, question_id: int, **data):
    return client.post(f"{BASE}/questions/{question_id}/edit?lang=en", data=data)


def test_the_form_shows_the_question_with_its_right_choices_starred(
    built, capital, signed_in_client
):
    page = signed_in_client.get(f"{BASE}/assessments/{built.quiz}")
    assert f"/questions/{capital.id}/edit" in page.text
    form = signed_in_client.get(f"{BASE}/questions/{capital.id}/edit?lang=en")
    assert form.status_code == 200
    assert "*Rabat\nCasablanca" in form.text
    assert "Save the question" in form.text


def test_a_trainer_edits_the_text_the_choices_and_the_right_answers(capital, signed_in_client):
    r = _edit(
        signed_in_client,
        capital.id,
        text="Capital city of Morocco?",
        choices="Casablanca\n*Rabat\nFes",
    )
    assert r.status_code == 302
    assert _question("Capital city of Morocco?") is not None
    assert _choices(capital.id) == [("Casablanca", False), ("Rabat", True), ("Fes", False)]
    [event] = audited("training.question_edited")
    assert event.subject == f"question:{capital.id}"


def test_fewer_lines_delete_the_extra_choices(capital, signed_in_client):
    _edit(signed_in_client, capital.id, text=CAPITAL, choices="*Rabat\nTangier")
    r = _edit(signed_in_client, capital.id, text=CAPITAL, choices="Tangier\n*Rabat")
    assert r.status_code == 302
    assert _choices(capital.id) == [("Tangier", False), ("Rabat", True)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": CAPITAL, "choices": "*Rabat"}, "Give at least two choices."),
        ({"text": CAPITAL, "choices": "Rabat\nFes"}, "Mark at least one right choice"),
        ({"text": CAPITAL, "choices": "*Rabat\n*Fes"}, "Only one choice may be right"),
        ({"text": "", "choices": "*Rabat\nFes"}, "This field is required."),
    ],
)
def test_an_invalid_edit_is_refused_like_a_new_question(capital, signed_in_client, data, message):
    r = _edit(signed_in_client, capital.id, **data)
    assert r.status_code == 422
    assert message in r.text
    assert _choices(capital.id) == [("Rabat", True), ("Casablanca", False)]


def test_a_single_choice_question_becomes_multiple(capital, signed_in_client):
    r = _edit(signed_in_client, capital.id, text=CAPITAL, choices="*Rabat\n*Fes", multiple="y")
    assert r.status_code == 302
    assert _question(CAPITAL).multiple is True


def test_only_the_course_trainers_edit_questions(built, capital, learner_client):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    assert learner_client.get(f"{BASE}/questions/{capital.id}/edit").status_code == 403
    r = _edit(learner_client, capital.id, text="Mine?", choices="*a\nb")
    assert r.status_code == 403
    assert _question(CAPITAL) is not None


def test_a_submitted_attempt_keeps_its_score_after_an_edit(
    built, capital, signed_in_client, learner_client, learner_api
):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    attempt = learner_api.post(f"{API}/quizzes/{built.quiz}/attempts").json
    done = learner_api.post(
        f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.right}
    ).json
    assert done["score"] == "100.00"
    form = signed_in_client.get(f"{BASE}/questions/{capital.id}/edit?lang=en")
    assert "Submitted attempts keep their score" in form.text
    # Rabat is no longer the right answer: the recorded attempt is not regraded.
    r = _edit(signed_in_client, capital.id, text=CAPITAL, choices="Rabat\n*Casablanca")
    assert r.status_code == 302
    assert learner_api.get(f"{API}/attempts/{attempt['id']}").json["score"] == "100.00"


def test_an_open_attempt_is_graded_on_the_question_as_saved(
    built, capital, signed_in_client, learner_client, learner_api
):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    attempt = learner_api.post(f"{API}/quizzes/{built.quiz}/attempts").json
    r = _edit(signed_in_client, capital.id, text=CAPITAL, choices="Rabat\nCasablanca\n*Fes")
    assert r.status_code == 302
    shown = learner_api.get(f"{API}/attempts/{attempt['id']}").json["questions"]
    [question] = [q for q in shown if q["id"] == capital.id]
    fes = next(c["id"] for c in question["choices"] if c["text"] == "Fes")  # the new choice shows
    answers = dict(built.right, **{str(capital.id): [fes]})
    done = learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": answers})
    assert done.status_code == 200 and done.json["score"] == "100.00"
    page = learner_client.get(f"{BASE}/attempts/{attempt['id']}")
    assert page.status_code == 200
