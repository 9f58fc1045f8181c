"""Cohorts: seats, waiting list and promotion, enrolment by the trainer, prerequisites,
attendance."""

from __future__ import annotations

import pytest
from ent_plugins.training.models import Enrolment
from training_kit import API, BASE, build_course

from ent_core import sdk
from ent_core.testing import add_member


@pytest.fixture
def people(make_user, centre, make_api_client):
    out = []
    for n in range(3):
        person = make_user(f"p{n}@example.ma", name=f"Person {n}")
        add_member(centre, person, "member")
        out.append(make_api_client(person))
    return out


def _status(api, cohort):
    return api.post(f"{API}/cohorts/{cohort}/enrolments").json["status"]


def test_a_full_cohort_puts_learners_on_the_waiting_list(centre, signed_in_client, people):
    built = build_course(signed_in_client, capacity=1)
    assert [_status(api, built.cohort) for api in people] == ["enrolled", "waiting", "waiting"]
    cohort = people[0].get(f"{API}/cohorts/{built.cohort}").json
    assert cohort["seats_taken"] == 1 and cohort["waiting"] == 2


def test_a_freed_seat_goes_to_the_first_waiting(centre, signed_in_client, people, mail_outbox):
    built = build_course(signed_in_client, capacity=1)
    ids = [people[n].post(f"{API}/cohorts/{built.cohort}/enrolments").json["id"] for n in range(3)]
    assert people[0].delete(f"{API}/enrolments/{ids[0]}").status_code == 204
    statuses = [
        people[n].get(f"{API}/cohorts/{built.cohort}/enrolments").json["items"][0]["status"]
        for n in range(3)
    ]
    assert statuses == ["withdrawn", "enrolled", "waiting"]
    assert [m["to"] for m in mail_outbox] == ["p1@example.ma"]


def test_enrolling_twice_is_refused(built, learner_api):
    assert learner_api.post(f"{API}/cohorts/{built.cohort}/enrolments").status_code == 201
    r = learner_api.post(f"{API}/cohorts/{built.cohort}/enrolments")
    assert r.status_code == 409 and r.json["error"]["code"] == "already_enrolled"


def test_a_trainer_enrols_a_member_by_email(built, api_client, learner):
    r = api_client.post(
        f"{API}/cohorts/{built.cohort}/enrolments", json={"email": "learner@example.ma"}
    )
    assert r.status_code == 201 and r.json["user_id"] == learner.id


def test_a_learner_cannot_enrol_someone_else(built, learner_api, people):
    r = learner_api.post(
        f"{API}/cohorts/{built.cohort}/enrolments", json={"email": "p0@example.ma"}
    )
    assert r.status_code == 403


def test_learners_see_only_their_own_enrolment(built, learner_api, people, api_client):
    learner_api.post(f"{API}/cohorts/{built.cohort}/enrolments")
    people[0].post(f"{API}/cohorts/{built.cohort}/enrolments")
    assert len(learner_api.get(f"{API}/cohorts/{built.cohort}/enrolments").json["items"]) == 1
    assert len(api_client.get(f"{API}/cohorts/{built.cohort}/enrolments").json["items"]) == 2


def test_a_prerequisite_must_be_certified_first(
    centre, signed_in_client, learner_client, learner_api
):
    first = build_course(signed_in_client)
    r = signed_in_client.post(
        f"{BASE}/courses/new", data={"title": "Advanced", "programme_id": "0", "pass_mark": "50"}
    )
    advanced = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    signed_in_client.post(
        f"{BASE}/courses/{advanced}/prerequisites", data={"required_id": str(first.course)}
    )
    signed_in_client.post(
        f"{BASE}/courses/{advanced}/cohorts/new",
        data={
            "name": "Winter",
            "starts_on": "2027-01-01",
            "ends_on": "2027-02-01",
            "capacity": "5",
            "mode": "online",
        },
    )
    cohort_id = learner_api.get(f"{API}/cohorts?course_id={advanced}").json["items"][0]["id"]
    r = learner_api.post(f"{API}/cohorts/{cohort_id}/enrolments")
    assert r.status_code == 409 and r.json["error"]["code"] == "prerequisites_missing"
    # Earn the first course's certificate, then it works.
    learner_client.post(f"{BASE}/cohorts/{first.cohort}/enrol")
    learner_client.post(f"{BASE}/lessons/{first.lesson}/complete")
    attempt = learner_api.post(f"{API}/quizzes/{first.quiz}/attempts").json
    learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": first.right})
    assert learner_api.post(f"{API}/cohorts/{cohort_id}/enrolments").status_code == 201


def test_cohort_dates_must_be_in_order(built, signed_in_client, api_client):
    r = signed_in_client.post(
        f"{BASE}/courses/{built.course}/cohorts/new",
        data={
            "name": "Bad",
            "starts_on": "2027-02-01",
            "ends_on": "2027-01-01",
            "capacity": "5",
            "mode": "online",
        },
    )
    assert r.status_code == 422
    r = api_client.post(
        f"{API}/cohorts",
        json={
            "course_id": built.course,
            "name": "Bad",
            "starts_on": "2027-02-01",
            "ends_on": "2027-01-01",
        },
    )
    assert r.status_code == 422


def test_attendance_counts_for_in_person_cohorts(
    centre, signed_in_client, learner_client, learner_api
):
    built = build_course(signed_in_client)
    signed_in_client.post(
        f"{BASE}/courses/{built.course}/edit",
        data={
            "title": "Fact-checking",
            "programme_id": "0",
            "pass_mark": "50",
            "lessons_share": "100",
            "attendance_share": "50",
        },
    )
    r = signed_in_client.post(
        f"{BASE}/courses/{built.course}/cohorts/new",
        data={
            "name": "Rabat",
            "starts_on": "2026-09-01",
            "ends_on": "2026-10-01",
            "capacity": "5",
            "mode": "in_person",
            "location": "Rabat",
        },
    )
    cohort = int(r.headers["Location"].rsplit("/", 1)[1])
    enrolment = learner_api.post(f"{API}/cohorts/{cohort}/enrolments").json["id"]
    learner_api.post(f"{API}/lessons/{built.lesson}/completion")
    attempt = learner_api.post(f"{API}/quizzes/{built.quiz}/attempts").json
    learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.right})
    assert learner_api.get(f"{API}/certificates").json["items"] == []  # no attendance yet
    r = signed_in_client.post(
        f"{BASE}/cohorts/{cohort}/sessions/new",
        data={"title": "Day 1", "starts_at": "2026-09-01T09:00"},
    )
    session_url = r.headers["Location"]
    assert signed_in_client.get(session_url).status_code == 200
    signed_in_client.post(session_url, data={"present": [str(enrolment)]})
    [certificate] = learner_api.get(f"{API}/certificates").json["items"]
    assert certificate["status"] == "valid"


def test_the_cohort_page_lists_learners_for_the_trainer(built, signed_in_client, learner_api):
    learner_api.post(f"{API}/cohorts/{built.cohort}/enrolments")
    page = signed_in_client.get(f"{BASE}/cohorts/{built.cohort}")
    assert page.status_code == 200 and "Layla Learner" in page.text


def test_enrol_and_withdraw_through_the_pages(built, learner_client):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    enrolment = sdk.db.session.scalar(
        sdk.db.select(Enrolment).execution_options(ent_all_workspaces=True)
    )
    assert enrolment.status == "enrolled"
    learner_client.post(f"{BASE}/enrolments/{enrolment.id}/withdraw")
    sdk.db.session.refresh(enrolment)
    assert enrolment.status == "withdrawn"


def test_more_seats_move_the_waiting_list_up(centre, signed_in_client, people):
    built = build_course(signed_in_client, capacity=1)
    for api in people:
        api.post(f"{API}/cohorts/{built.cohort}/enrolments")
    r = signed_in_client.post(
        f"{BASE}/cohorts/{built.cohort}/edit",
        data={
            "name": "Autumn",
            "starts_on": "2026-09-01",
            "ends_on": "2026-12-01",
            "capacity": "2",
            "mode": "online",
        },
    )
    assert r.status_code == 302
    cohort = people[0].get(f"{API}/cohorts/{built.cohort}").json
    assert (cohort["seats_taken"], cohort["waiting"]) == (2, 1)


@pytest.mark.parametrize(("lang", "withdraw"), [("fr", "Se retirer"), ("ar", "انسحاب")])
def test_the_learners_withdraw_button_speaks_the_training_catalogue(
    built, learner_client, lang, withdraw
):
    """Publishing translates "Withdraw" as "Retirer"; its catalogue no longer wins here."""
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    page = learner_client.get(f"{BASE}/cohorts/{built.cohort}?lang={lang}").text
    assert f">{withdraw}</button>" in page
