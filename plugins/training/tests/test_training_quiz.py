"""Quizzes: timing and attempts are the server's, and the API offers no way around them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from ent_plugins.training.models import QuizAttempt
from training_kit import API, BASE, build_course

from ent_core import sdk


@pytest.fixture
def enrolled(built, learner_client):
    assert learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol").status_code == 302
    return built


def _start(api, quiz_id):
    return api.post(f"{API}/quizzes/{quiz_id}/attempts")


def _age(attempt_id: int, minutes: float) -> None:
    """Pretend the attempt started ``minutes`` ago (its deadline moves with it)."""
    attempt = sdk.db.session.scalar(
        sdk.db.select(QuizAttempt)
        .where(QuizAttempt.id == attempt_id)
        .execution_options(ent_all_workspaces=True)
    )
    shift = timedelta(minutes=minutes)
    attempt.started_at -= shift
    if attempt.deadline_at is not None:
        attempt.deadline_at -= shift
    sdk.db.session.commit()


def test_only_enrolled_learners_start_a_quiz(built, learner_api):
    r = _start(learner_api, built.quiz)
    assert r.status_code == 403
    assert r.json["error"]["code"] == "not_enrolled"


def test_the_attempts_limit_holds(enrolled, learner_api):
    for _ in range(2):
        attempt = _start(learner_api, enrolled.quiz).json
        r = learner_api.post(
            f"{API}/attempts/{attempt['id']}/submission", json={"answers": enrolled.wrong}
        )
        assert r.status_code == 200
    r = _start(learner_api, enrolled.quiz)
    assert r.status_code == 409
    assert r.json["error"]["code"] == "attempts_exhausted"


def test_starting_again_resumes_the_open_attempt(enrolled, learner_api):
    first = _start(learner_api, enrolled.quiz).json
    again = _start(learner_api, enrolled.quiz).json
    assert again["id"] == first["id"] and again["started_at"] == first["started_at"]


def test_questions_and_choices_are_shuffled_per_attempt(
    centre, signed_in_client, learner_client, learner_api
):
    built = build_course(signed_in_client, attempts="40")
    for n in range(4):
        signed_in_client.post(
            f"{BASE}/assessments/{built.quiz}/questions/new",
            data={"text": f"Extra {n}?", "choices": "*a\nb\nc\nd"},
        )
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    orders = set()
    for _ in range(12):
        attempt = _start(learner_api, built.quiz).json
        orders.add(
            tuple((q["id"], tuple(c["id"] for c in q["choices"])) for q in attempt["questions"])
        )
        learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": {}})
    assert len(orders) > 1
    assert all(len(order) == 6 for order in orders)


def test_the_attempt_never_reveals_the_right_answers(enrolled, learner_api):
    attempt = _start(learner_api, enrolled.quiz).json
    assert "correct" not in str(attempt)


def test_right_answers_score_100_and_a_partial_multiple_choice_is_wrong(enrolled, learner_api):
    attempt = _start(learner_api, enrolled.quiz).json
    answers = dict(enrolled.right)
    multiple = next(q for q in attempt["questions"] if q["multiple"])
    answers[str(multiple["id"])] = enrolled.right[str(multiple["id"])][:1]
    r = learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": answers})
    assert r.json["score"] == "50.00"


def test_answers_after_the_deadline_are_refused(
    centre, signed_in_client, learner_client, learner_api
):
    built = build_course(signed_in_client, time_limit="5")
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    attempt = _start(learner_api, built.quiz).json
    assert 290 <= attempt["remaining_seconds"] <= 300
    _age(attempt["id"], 6)
    r = learner_api.post(
        f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.right}
    )
    assert r.status_code == 409
    assert r.json["error"]["code"] == "deadline_passed"
    closed = learner_api.get(f"{API}/attempts/{attempt['id']}").json
    assert closed["late"] is True and closed["score"] == "0.00"


def test_answers_within_the_grace_period_count(
    centre, signed_in_client, learner_client, learner_api
):
    built = build_course(signed_in_client, time_limit="5")
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    attempt = _start(learner_api, built.quiz).json
    _age(attempt["id"], 5 + 5 / 60)  # five seconds late: network latency
    r = learner_api.post(
        f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.right}
    )
    assert r.status_code == 200 and r.json["score"] == "100.00"


def test_an_expired_attempt_counts_and_cannot_be_resumed(
    centre, signed_in_client, learner_client, learner_api
):
    built = build_course(signed_in_client, time_limit="5", attempts="1")
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    attempt = _start(learner_api, built.quiz).json
    _age(attempt["id"], 10)
    r = _start(learner_api, built.quiz)
    assert r.status_code == 409 and r.json["error"]["code"] == "attempts_exhausted"


def test_the_client_cannot_send_its_own_times_or_score(enrolled, learner_api):
    attempt = _start(learner_api, enrolled.quiz).json
    r = learner_api.post(
        f"{API}/attempts/{attempt['id']}/submission",
        json={"answers": enrolled.wrong, "score": "100", "submitted_at": attempt["started_at"]},
    )
    assert r.status_code == 422
    r = learner_api.post(
        f"{API}/quizzes/{enrolled.quiz}/attempts", json={"started_at": "2030-01-01T00:00:00Z"}
    )
    assert r.status_code in (200, 201)  # the body is ignored: no way to set the start
    assert r.json["started_at"] == attempt["started_at"]


def test_a_submitted_attempt_cannot_be_submitted_again(enrolled, learner_api):
    attempt = _start(learner_api, enrolled.quiz).json
    learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": enrolled.wrong})
    r = learner_api.post(
        f"{API}/attempts/{attempt['id']}/submission", json={"answers": enrolled.right}
    )
    assert r.status_code == 409 and r.json["error"]["code"] == "attempt_closed"
    assert learner_api.get(f"{API}/attempts/{attempt['id']}").json["score"] == "0.00"


def test_choices_of_another_question_are_refused(enrolled, learner_api):
    attempt = _start(learner_api, enrolled.quiz).json
    first, second = list(enrolled.right)
    r = learner_api.post(
        f"{API}/attempts/{attempt['id']}/submission",
        json={"answers": {first: enrolled.right[second]}},
    )
    assert r.status_code == 422 and r.json["error"]["code"] == "invalid_answer"


def test_another_learners_attempt_is_invisible(
    enrolled, learner_api, make_user, centre, make_api_client
):
    from ent_core.testing import add_member

    attempt = _start(learner_api, enrolled.quiz).json
    other = make_user("other@example.ma")
    add_member(centre, other, "member")
    api = make_api_client(other)
    assert api.get(f"{API}/attempts/{attempt['id']}").status_code == 404
    assert (
        api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": {}}).status_code
        == 404
    )


def test_the_quiz_page_takes_and_grades_an_attempt(enrolled, learner_client):
    r = learner_client.post(f"{BASE}/assessments/{enrolled.quiz}/attempts")
    assert r.status_code == 302
    page = learner_client.get(r.headers["Location"])
    assert page.status_code == 200 and "Capital of Morocco?" in page.text
    data = {f"q-{q}": [str(c) for c in ids] for q, ids in enrolled.right.items()}
    r = learner_client.post(r.headers["Location"], data=data)
    assert r.status_code == 302
    attempt = sdk.db.session.scalar(
        sdk.db.select(QuizAttempt).execution_options(ent_all_workspaces=True)
    )
    sdk.db.session.refresh(attempt)
    assert str(attempt.score) == "100.00"


def test_another_cohort_gives_no_fresh_attempts(enrolled, signed_in_client, learner_api):
    r = signed_in_client.post(
        f"{BASE}/courses/{enrolled.course}/cohorts/new",
        data={
            "name": "Winter",
            "starts_on": "2027-01-01",
            "ends_on": "2027-02-01",
            "capacity": "5",
            "mode": "online",
        },
    )
    winter = int(r.headers["Location"].rsplit("/", 1)[1])
    for _ in range(2):
        attempt = _start(learner_api, enrolled.quiz).json
        learner_api.post(
            f"{API}/attempts/{attempt['id']}/submission", json={"answers": enrolled.wrong}
        )
    assert learner_api.post(f"{API}/cohorts/{winter}/enrolments").status_code == 201
    r = _start(learner_api, enrolled.quiz)
    assert r.status_code == 409 and r.json["error"]["code"] == "attempts_exhausted"
