"""Rules the pages, the API and the jobs share: who may teach, enrolment, progress.

Functions that run in jobs take their workspace from the rows they load (no current workspace
there); functions for requests rely on the ORM's tenant filter.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.training import grading
from ent_plugins.training.models import (
    Assessment,
    Attendance,
    Certificate,
    ClassSession,
    Cohort,
    Course,
    Enrolment,
    Lesson,
    LessonCompletion,
    Module,
    QuizAttempt,
    Submission,
)
from sqlalchemy import func, select

from ent_core import sdk

ACTIVE = "enrolled"
WAITING = "waiting"
WITHDRAWN = "withdrawn"


class TrainingError(Exception):
    """A refused action: a stable ``code`` for the API, a translated message for people."""

    def __init__(
        self,
        code: str,
        message: str,
        status: int = 409,
        field: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.field = field
        self.details = details or {}

    def api(self) -> sdk.ApiError:
        return sdk.ApiError(self.code, self.message, self.status, self.details)


# -- who may do what -------------------------------------------------------------------------
def can_manage() -> bool:
    """Owners and admins: every course, programme and certificate of the workspace."""
    return sdk.has_permission("training.manage")


def can_teach(course: Course) -> bool:
    """Managers, and trainers assigned to this course."""
    if can_manage():
        return True
    return sdk.has_permission("training.teach") and sdk.current_user.id in course.trainer_ids


def require_teach(course: Course) -> None:
    if not can_teach(course):
        sdk.abort(403)


# -- enrolment -------------------------------------------------------------------------------
def seats_taken(cohort: Cohort) -> int:
    return (
        sdk.db.session.scalar(
            select(func.count(Enrolment.id)).where(
                Enrolment.cohort_id == cohort.id, Enrolment.status == ACTIVE
            )
        )
        or 0
    )


def missing_prerequisites(course: Course, user: Any) -> list[Course]:
    """Required courses the user holds no valid certificate of."""
    missing = []
    for prerequisite in course.prerequisites:
        held = sdk.db.session.scalars(
            select(Certificate).where(
                Certificate.course_id == prerequisite.required_id, Certificate.user_id == user.id
            )
        ).all()
        if not any(c.status == "valid" for c in held):
            missing.append(prerequisite.required)
    return missing


def enrol(cohort: Cohort, user: Any, *, by_trainer: bool = False) -> Enrolment:
    """Take a seat, or a place on the waiting list when the cohort is full.

    Trainers may enrol a learner who lacks a prerequisite (they know the learner); learners may not.
    """
    if not by_trainer:
        missing = missing_prerequisites(cohort.course, user)
        if missing:
            raise TrainingError(
                "prerequisites_missing",
                sdk._(
                    "Complete these courses first: %(courses)s.",
                    courses=", ".join(c.title for c in missing),
                ),
                details={"courses": [c.id for c in missing]},
            )
    # Lock the cohort row (PostgreSQL) so two learners cannot take the last seat together.
    sdk.db.session.execute(select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())
    enrolment = sdk.db.session.scalar(
        select(Enrolment).where(Enrolment.cohort_id == cohort.id, Enrolment.user_id == user.id)
    )
    if enrolment is not None and enrolment.status != WITHDRAWN:
        raise TrainingError("already_enrolled", sdk._("Already enrolled in this cohort."))
    status = ACTIVE if seats_taken(cohort) < cohort.capacity else WAITING
    if enrolment is None:
        enrolment = Enrolment(
            workspace_id=cohort.workspace_id, cohort_id=cohort.id, user_id=user.id
        )
        sdk.db.session.add(enrolment)
    enrolment.status = status
    enrolment.created_at = sdk.utcnow()
    enrolment.enrolled_at = sdk.utcnow() if status == ACTIVE else None
    sdk.audit(
        "training.enrolled",
        subject=f"user:{user.id}",
        details={"cohort": cohort.id, "status": status, "by_trainer": by_trainer},
    )
    sdk.db.session.commit()
    return enrolment


def withdraw(enrolment: Enrolment) -> list[Enrolment]:
    """Leave the cohort; a freed seat goes to the first on the waiting list. Returns promoted."""
    was_active = enrolment.status == ACTIVE
    enrolment.status = WITHDRAWN
    enrolment.enrolled_at = None
    sdk.db.session.commit()
    return promote_waiting(enrolment.cohort) if was_active else []


def promote_waiting(cohort: Cohort) -> list[Enrolment]:
    """Fill free seats from the waiting list, first come first served, and tell each learner."""
    from ent_plugins.training.jobs import mail_promoted

    promoted = []
    while seats_taken(cohort) < cohort.capacity:
        nxt = sdk.db.session.scalar(
            select(Enrolment)
            .where(Enrolment.cohort_id == cohort.id, Enrolment.status == WAITING)
            .order_by(Enrolment.created_at, Enrolment.id)
            .limit(1)
        )
        if nxt is None:
            break
        nxt.status = ACTIVE
        nxt.enrolled_at = sdk.utcnow()
        sdk.db.session.flush()
        promoted.append(nxt)
    sdk.db.session.commit()
    for enrolment in promoted:
        sdk.enqueue(mail_promoted, enrolment.id, job_id=f"training-promoted-{enrolment.id}")
    return promoted


def active_enrolment(course: Course, user: Any) -> Enrolment | None:
    """The user's seat in a cohort of ``course`` (latest first), if any."""
    return sdk.db.session.scalar(
        select(Enrolment)
        .join(Cohort, Cohort.id == Enrolment.cohort_id)
        .where(
            Cohort.course_id == course.id, Enrolment.user_id == user.id, Enrolment.status == ACTIVE
        )
        .order_by(Enrolment.id.desc())
        .limit(1)
    )


def require_enrolment(course: Course) -> Enrolment:
    enrolment = active_enrolment(course, sdk.current_user)
    if enrolment is None:
        raise TrainingError("not_enrolled", sdk._("Enrol in a cohort of this course first."), 403)
    return enrolment


def complete_lesson(enrolment: Enrolment, lesson: Lesson) -> None:
    """Mark a lesson done (idempotent) and look again at the completion rule."""
    exists = sdk.db.session.scalar(
        select(LessonCompletion.id).where(
            LessonCompletion.enrolment_id == enrolment.id, LessonCompletion.lesson_id == lesson.id
        )
    )
    if exists is None:
        sdk.db.session.add(
            LessonCompletion(
                workspace_id=enrolment.workspace_id, enrolment_id=enrolment.id, lesson_id=lesson.id
            )
        )
        sdk.db.session.commit()
    schedule_evaluation(enrolment)


def schedule_evaluation(enrolment: Enrolment) -> None:
    """Ask the certificate job to look at this learner (runs once while pending)."""
    from ent_plugins.training.jobs import evaluate_enrolment

    sdk.enqueue(evaluate_enrolment, enrolment.id, job_id=f"training-evaluate-{enrolment.id}")


# -- progress --------------------------------------------------------------------------------
def _all(statement: Any) -> Any:
    # Jobs have no current workspace; the rows named by id are the workspace's anyway.
    return statement.execution_options(ent_all_workspaces=True)


def progress(enrolment: Enrolment) -> grading.Progress:
    """Everything the completion rule looks at, for one learner in one cohort."""
    cohort = enrolment.cohort
    course = cohort.course
    session = sdk.db.session
    lesson_ids = set(
        session.scalars(
            _all(
                select(Lesson.id)
                .join(Module, Module.id == Lesson.module_id)
                .where(Module.course_id == course.id)
            )
        )
    )
    done = set(
        session.scalars(
            _all(
                select(LessonCompletion.lesson_id).where(
                    LessonCompletion.enrolment_id == enrolment.id
                )
            )
        )
    )
    sessions_total = (
        session.scalar(
            _all(select(func.count(ClassSession.id)).where(ClassSession.cohort_id == cohort.id))
        )
        or 0
    )
    attended = (
        session.scalar(
            _all(
                select(func.count(Attendance.id)).where(
                    Attendance.enrolment_id == enrolment.id, Attendance.present.is_(True)
                )
            )
        )
        or 0
    )
    scores = []
    pending = []
    assessments = session.scalars(
        _all(select(Assessment).where(Assessment.course_id == course.id).order_by(Assessment.id))
    )
    for assessment in assessments:
        score = None
        if assessment.kind == "quiz":
            score = session.scalar(
                _all(
                    select(func.max(QuizAttempt.score)).where(
                        QuizAttempt.assessment_id == assessment.id,
                        # Per learner: a quiz passed in an earlier cohort still counts.
                        QuizAttempt.user_id == enrolment.user_id,
                        QuizAttempt.submitted_at.is_not(None),
                    )
                )
            )
        else:
            submission = session.scalar(
                _all(
                    select(Submission).where(
                        Submission.assessment_id == assessment.id,
                        Submission.enrolment_id == enrolment.id,
                    )
                )
            )
            if submission is not None:
                if submission.grade is None:
                    pending.append(assessment.title)
                score = submission.grade
        scores.append((assessment.weight, score))
    return grading.Progress(
        lessons_done=len(done & lesson_ids),
        lessons_total=len(lesson_ids),
        sessions_attended=attended,
        sessions_total=sessions_total,
        scores=scores,
        pending=pending,
        in_person=cohort.mode == "in_person",
    )


def policy(course: Course) -> grading.Policy:
    return grading.Policy(
        pass_mark=course.pass_mark,
        lessons_share=course.lessons_share,
        attendance_share=course.attendance_share,
    )


def outcome(enrolment: Enrolment) -> grading.Outcome:
    return grading.evaluate(policy(enrolment.cohort.course), progress(enrolment))


def completed_lessons(enrolment: Enrolment | None) -> set[int]:
    if enrolment is None:
        return set()
    return set(
        sdk.db.session.scalars(
            select(LessonCompletion.lesson_id).where(LessonCompletion.enrolment_id == enrolment.id)
        )
    )
