"""Who may manage which course: owners and admins every course, a trainer the courses they
teach, nobody another workspace's (docs/training.md, "Who may do what")."""

from __future__ import annotations

import pytest
from training_kit import API, BASE, Built, build_course

from ent_core.testing import enable


def _management_pages(course: Built) -> list[str]:
    return [
        f"{BASE}/courses/{course.course}/edit",
        f"{BASE}/courses/{course.course}/modules/new",
        f"{BASE}/courses/{course.course}/assessments/new",
        f"{BASE}/courses/{course.course}/cohorts/new",
        f"{BASE}/lessons/{course.lesson}/edit",
        f"{BASE}/assessments/{course.quiz}/edit",
        f"{BASE}/assessments/{course.quiz}/questions/new",
        f"{BASE}/cohorts/{course.cohort}/edit",
        f"{BASE}/cohorts/{course.cohort}/gradebook",
        f"{BASE}/cohorts/{course.cohort}/gradebook.csv",
        f"{BASE}/cohorts/{course.cohort}/mail",
        f"{BASE}/cohorts/{course.cohort}/sessions/new",
    ]


@pytest.fixture
def taught(trainer_client) -> Built:
    """Course A, built (and so taught) by the trainer."""
    return build_course(trainer_client, title="Course A")


@pytest.fixture
def other(signed_in_client, centre) -> Built:
    """Course B of the same workspace, built by the owner: the trainer does not teach it."""
    return build_course(signed_in_client, title="Course B")


def test_a_trainer_manages_the_course_they_teach(taught, trainer_client):
    assert {p: trainer_client.get(p).status_code for p in _management_pages(taught)} == {
        p: 200 for p in _management_pages(taught)
    }


def test_a_trainer_gets_403_on_every_management_page_of_another_course(
    taught, other, trainer_client
):
    assert {p: trainer_client.get(p).status_code for p in _management_pages(other)} == {
        p: 403 for p in _management_pages(other)
    }


def test_a_trainer_cannot_change_another_course_by_posting(taught, other, trainer_client):
    r = trainer_client.post(f"{BASE}/cohorts/{other.cohort}/certificates/issue")
    assert r.status_code == 403


def test_the_owner_manages_every_course(taught, other, signed_in_client):
    pages = _management_pages(taught) + _management_pages(other)
    assert {p: signed_in_client.get(p).status_code for p in pages} == {p: 200 for p in pages}


def test_the_api_refuses_another_course_with_forbidden(taught, other, make_api_client, trainer):
    api = make_api_client(trainer)
    cohort = {"name": "Spring", "starts_on": "2027-03-01", "ends_on": "2027-06-01"}

    refused = api.post(f"{API}/cohorts", json={**cohort, "course_id": other.course})
    issued_elsewhere = api.post(f"{API}/cohorts/{other.cohort}/certificates")
    allowed = api.post(f"{API}/cohorts", json={**cohort, "course_id": taught.course})

    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    assert issued_elsewhere.status_code == 403
    assert allowed.status_code == 201
    assert api.post(f"{API}/cohorts/{taught.cohort}/certificates").status_code == 200


def test_another_workspaces_course_is_a_404_even_to_the_owner_of_both(
    centre, make_workspace, signed_in_client, api_client
):
    elsewhere = make_workspace("elsewhere", kind="training_centre")
    enable(elsewhere, "training")
    theirs = build_course(signed_in_client, title="Elsewhere", base="/w/elsewhere/training")

    assert signed_in_client.get(f"{BASE}/courses/{theirs.course}/edit").status_code == 404
    assert signed_in_client.get(f"{BASE}/cohorts/{theirs.cohort}/gradebook").status_code == 404
    assert api_client.post(f"{API}/cohorts/{theirs.cohort}/certificates").status_code == 404


def test_the_course_page_shows_management_buttons_only_to_who_may_use_them(
    taught, other, trainer_client, signed_in_client
):
    def edit_button(client, course: Built) -> bool:
        page = client.get(f"{BASE}/courses/{course.course}").text
        return f'href="{BASE}/courses/{course.course}/edit"' in page

    assert edit_button(trainer_client, taught)
    assert not edit_button(trainer_client, other)
    assert edit_button(signed_in_client, other)


def test_a_trainer_who_loses_the_role_no_longer_manages_their_course(
    taught, trainer, trainer_client, signed_in_client, centre
):
    membership = next(m for m in centre.memberships if m.user_id == trainer.id)
    r = signed_in_client.post(f"/w/cime/members/{membership.id}/roles/trainer/remove")
    assert r.status_code in (302, 303)

    assert trainer_client.get(f"{BASE}/courses/{taught.course}/edit").status_code == 403
