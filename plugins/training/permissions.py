"""Who may do what in training, declared once (docs/training.md, "Who may do what").

Owners and admins hold every permission below on every row (their roles grant it); anyone else
holds an object permission on a row when its predicate says so. Views, the API and templates
all ask ``sdk.can(name, row)``: none repeats the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ent_plugins.training import service
from ent_plugins.training.models import (
    Assessment,
    Certificate,
    ClassSession,
    Cohort,
    Course,
    CourseTrainer,
    Enrolment,
    Lesson,
    Module,
    Question,
    Submission,
)
from sqlalchemy import select

from ent_core import sdk

MANAGE = "training.manage"
TEACH = "training.teach"
MANAGE_COURSE = "training.manage_course"
READ_COURSE = "training.read_course"
VIEW_CERTIFICATE = "training.view_certificate"
WITHDRAW = "training.withdraw_enrolment"
READ_SUBMISSION = "training.read_submission"


#: How each row reaches its course (the object every course permission is about).
_TO_COURSE: dict[type[Any], tuple[str, ...]] = {
    Course: (),
    Module: ("course",),
    Lesson: ("module", "course"),
    Cohort: ("course",),
    Assessment: ("course",),
    Question: ("assessment", "course"),
    ClassSession: ("cohort", "course"),
    Enrolment: ("cohort", "course"),
    Submission: ("assessment", "course"),
    Certificate: ("course",),
}


def course_of(row: Any) -> Course:
    """The course ``row`` belongs to: the ``via`` of the views' course permission checks."""
    for name in _TO_COURSE[type(row)]:
        row = getattr(row, name)
    return row  # type: ignore[no-any-return]


def teaches(user: Any, course: Course, membership: Any) -> bool:
    """Trainers (the role) assigned to this course; losing the role ends it, the list aside."""
    return "trainer" in membership.roles and user.id in course.trainer_ids


def reads(user: Any, course: Course, membership: Any) -> bool:
    """The course's trainers, and learners with a seat in one of its cohorts."""
    return sdk.can(MANAGE_COURSE, course) or service.active_enrolment(course, user) is not None


def _holder_or_trainer(holder: Callable[[Any], int]) -> Callable[[Any, Any, Any], bool]:
    """A learner's own row (enrolment, work, certificate), or one of the course's trainers."""

    def check(user: Any, row: Any, membership: Any) -> bool:
        return holder(row) == user.id or sdk.can(MANAGE_COURSE, course_of(row))

    return check


def declared() -> list[Any]:
    """The plugin's answer to ``ent_permissions``."""
    return [
        sdk.Permission(
            MANAGE, sdk._l("Manage every course, programme and certificate"), ("owner", "admin")
        ),
        sdk.Permission(
            TEACH, sdk._l("Create courses and teach them"), ("owner", "admin", "trainer")
        ),
        sdk.ObjectPermission(
            MANAGE_COURSE,
            sdk._l("Manage a course: its content, cohorts, grades and certificates"),
            model=Course,
            check=teaches,
        ),
        sdk.ObjectPermission(
            READ_COURSE,
            sdk._l("Read a course's lessons and assessments"),
            model=Course,
            check=reads,
        ),
        sdk.ObjectPermission(
            VIEW_CERTIFICATE,
            sdk._l("See a certificate"),
            model=Certificate,
            check=_holder_or_trainer(lambda c: c.user_id),
        ),
        sdk.ObjectPermission(
            WITHDRAW,
            sdk._l("Withdraw a learner from a cohort"),
            model=Enrolment,
            check=_holder_or_trainer(lambda e: e.user_id),
        ),
        sdk.ObjectPermission(
            READ_SUBMISSION,
            sdk._l("Read a learner's handed-in work"),
            model=Submission,
            check=_holder_or_trainer(lambda s: s.enrolment.user_id),
        ),
    ]


def visible_certificates(statement: Any) -> Any:
    """``statement`` (of certificates) narrowed to those the user may see: the list pages' SQL
    form of ``VIEW_CERTIFICATE`` (everything for those who hold it on every row)."""
    if sdk.has_permission(VIEW_CERTIFICATE):
        return statement
    user_id = sdk.current_user.id
    own = Certificate.user_id == user_id
    membership = sdk.current_membership()
    if membership is None or "trainer" not in membership.roles:
        return statement.where(own)
    taught = select(CourseTrainer.course_id).where(CourseTrainer.user_id == user_id)
    return statement.where(own | Certificate.course_id.in_(taught))
