"""Removing a trainer from a course: managers or the course's trainers, never the last one."""

from __future__ import annotations

import pytest
from ent_plugins.training.models import CourseTrainer
from training_kit import BASE, audited, build_course

from ent_core import sdk
from ent_core.testing import add_member, sign_in


def _trainer(make_user, centre, app_ctx, email: str, name: str):
    """A member given the ``trainer`` role on the members page, and their signed-in client."""
    person = make_user(email, name=name)
    membership = add_member(centre, person, "member")
    owner = sign_in(app_ctx.test_client(), centre.memberships[0].user)
    r = owner.post(f"/w/cime/members/{membership.id}/roles", data={"role": "trainer"})
    assert r.status_code in (302, 303)
    return person, sign_in(app_ctx.test_client(), person)


@pytest.fixture
def tarik(make_user, centre, app_ctx):
    return _trainer(make_user, centre, app_ctx, "tarik@example.ma", "Tarik Trainer")


@pytest.fixture
def salma(make_user, centre, app_ctx):
    return _trainer(make_user, centre, app_ctx, "salma@example.ma", "Salma Trainer")


def _trainer_ids(course_id: int) -> set[int]:
    sdk.db.session.expire_all()
    return set(
        sdk.db.session.scalars(
            sdk.db.select(CourseTrainer.user_id)
            .where(CourseTrainer.course_id == course_id)
            .execution_options(ent_all_workspaces=True)
        )
    )


def _remove(client, course_id: int, user_id: int):
    return client.post(f"{BASE}/courses/{course_id}/trainers/{user_id}/remove?lang=en")


def _add(client, course_id: int, email: str) -> None:
    r = client.post(f"{BASE}/courses/{course_id}/trainers", data={"email": email})
    assert r.status_code == 302


def test_the_owner_removes_a_trainer_from_the_course_page(built, signed_in_client, user, tarik):
    person, _ = tarik
    _add(signed_in_client, built.course, "tarik@example.ma")
    page = signed_in_client.get(f"{BASE}/courses/{built.course}?lang=en")
    assert f"/courses/{built.course}/trainers/{person.id}/remove" in page.text
    assert "Remove Tarik Trainer from the trainers" in page.text
    r = _remove(signed_in_client, built.course, person.id)
    assert r.status_code == 302
    assert _trainer_ids(built.course) == {user.id}
    [event] = audited("training.trainer_removed")
    assert event.subject == f"user:{person.id}" and event.details == {"course": built.course}
    assert event.actor == user.email


def test_a_trainer_of_the_course_removes_another(centre, tarik, salma):
    (tarik_user, tarik_client), (salma_user, _) = tarik, salma
    built = build_course(tarik_client)  # Tarik teaches it
    owner = sign_in(tarik_client.application.test_client(), centre.memberships[0].user)
    _add(owner, built.course, "salma@example.ma")
    assert _remove(tarik_client, built.course, salma_user.id).status_code == 302
    assert _trainer_ids(built.course) == {tarik_user.id}


def test_a_trainer_of_another_course_may_not_remove_anyone(built, signed_in_client, tarik, salma):
    (_, tarik_client), (salma_user, _) = tarik, salma
    _add(signed_in_client, built.course, "salma@example.ma")
    assert _remove(tarik_client, built.course, salma_user.id).status_code == 403
    assert salma_user.id in _trainer_ids(built.course)


def test_a_learner_may_not_remove_a_trainer(built, learner_client, user):
    assert _remove(learner_client, built.course, user.id).status_code == 403
    assert _trainer_ids(built.course) == {user.id}


def test_the_last_trainer_stays_with_a_message(built, signed_in_client, user):
    page = signed_in_client.get(f"{BASE}/courses/{built.course}?lang=en")
    assert "/remove" not in page.text
    assert "A course keeps at least one trainer" in page.text
    r = _remove(signed_in_client, built.course, user.id)
    assert r.status_code == 302
    assert _trainer_ids(built.course) == {user.id}
    page = signed_in_client.get(r.headers["Location"] + "?lang=en")
    assert "A course keeps at least one trainer: add another" in page.text


def test_a_trainer_may_leave_a_course_that_keeps_another(built, signed_in_client, user, tarik):
    tarik_user, tarik_client = tarik
    _add(signed_in_client, built.course, "tarik@example.ma")
    assert _remove(tarik_client, built.course, tarik_user.id).status_code == 302
    assert _trainer_ids(built.course) == {user.id}
    assert tarik_client.get(f"{BASE}/cohorts/{built.cohort}/gradebook").status_code == 403


def test_removing_someone_who_does_not_teach_the_course_is_a_404(built, signed_in_client, tarik):
    person, _ = tarik
    assert _remove(signed_in_client, built.course, person.id).status_code == 404
