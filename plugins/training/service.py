"""Rules the pages, the API and the jobs share: who may teach, enrolment, progress.

Functions that run in jobs take their workspace from the rows they load (no current workspace
there); functions for requests rely on the ORM's tenant filter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
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
from sqlalchemy import func, select, update

from ent_core import sdk

ACTIVE = "enrolled"
#: How long the certificate job of a cohort waits for other learners to join it (with Redis).
EVALUATION_DEBOUNCE = timedelta(seconds=2)
WAITING = "waiting"
WITHDRAWN = "withdrawn"


class TrainingError(sdk.UserError):
    """A refused action: a stable ``code`` for the API, a translated message for people."""

    default_status = 409


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
    """Ask the certificate job to look at this learner again (something the rule reads changed)."""
    request_evaluations(enrolment.cohort_id, [enrolment.id])


def request_evaluations(cohort_id: int, enrolment_ids: Sequence[int]) -> None:
    """Flag learners of one cohort for the certificate job, and queue the cohort's job.

    The flag is in the database (committed here), so nothing is lost if the job is not run;
    the job is queued once per cohort and waits :data:`EVALUATION_DEBOUNCE` for the others
    (with Redis), so a hundred learners finishing together cost one job, not a hundred
    (docs/performance.md, "Training")."""
    from ent_plugins.training.jobs import evaluate_cohort

    if not enrolment_ids:
        return
    flag_for_evaluation(enrolment_ids, commit=True)
    sdk.enqueue(
        evaluate_cohort,
        cohort_id,
        job_id=f"training-evaluate-cohort-{cohort_id}",
        debounce=EVALUATION_DEBOUNCE,
    )


def flag_for_evaluation(enrolment_ids: Sequence[int], *, commit: bool = False) -> None:
    """Mark learners as waiting for the certificate job (see :func:`request_evaluations`)."""
    if not enrolment_ids:
        return
    sdk.db.session.execute(
        update(Enrolment)
        .where(Enrolment.id.in_(list(enrolment_ids)))
        .values(evaluation_requested_at=sdk.utcnow())
        .execution_options(synchronize_session=False, ent_all_workspaces=True)
    )
    if commit:
        sdk.db.session.commit()


# -- progress --------------------------------------------------------------------------------
def _all(statement: Any) -> Any:
    # Jobs have no current workspace; the rows named by id are the workspace's anyway.
    return statement.execution_options(ent_all_workspaces=True)


def progress(enrolment: Enrolment) -> grading.Progress:
    """Everything the completion rule looks at, for one learner in one cohort."""
    return progress_many(enrolment.cohort, [enrolment])[enrolment.id]


def progress_many(cohort: Cohort, enrolments: Sequence[Enrolment]) -> dict[int, grading.Progress]:
    """:func:`progress` for many learners of one cohort in seven statements, whatever their
    number: the gradebook, the cohort page and the certificate job read whole cohorts."""
    if not enrolments:
        return {}
    course = cohort.course
    session = sdk.db.session
    enrolment_ids = [e.id for e in enrolments]
    user_ids = {e.user_id for e in enrolments}
    lesson_ids = set(
        session.scalars(
            _all(
                select(Lesson.id)
                .join(Module, Module.id == Lesson.module_id)
                .where(Module.course_id == course.id)
            )
        )
    )
    done: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, lesson_id in session.execute(
        _all(
            select(LessonCompletion.enrolment_id, LessonCompletion.lesson_id).where(
                LessonCompletion.enrolment_id.in_(enrolment_ids)
            )
        )
    ):
        done[enrolment_id].add(lesson_id)
    sessions_total = (
        session.scalar(
            _all(select(func.count(ClassSession.id)).where(ClassSession.cohort_id == cohort.id))
        )
        or 0
    )
    attended: dict[int, int] = dict(
        session.execute(
            _all(
                select(Attendance.enrolment_id, func.count(Attendance.id))
                .where(Attendance.enrolment_id.in_(enrolment_ids), Attendance.present.is_(True))
                .group_by(Attendance.enrolment_id)
            )
        ).all()
    )
    assessments = list(
        session.scalars(
            _all(
                select(Assessment).where(Assessment.course_id == course.id).order_by(Assessment.id)
            )
        )
    )
    quiz_ids = [a.id for a in assessments if a.kind == "quiz"]
    other_ids = [a.id for a in assessments if a.kind != "quiz"]
    best: dict[tuple[int, int], Any] = {}
    if quiz_ids:
        # Per learner, not per enrolment: a quiz passed in an earlier cohort still counts.
        best = {
            (assessment_id, user_id): score
            for assessment_id, user_id, score in session.execute(
                _all(
                    select(
                        QuizAttempt.assessment_id, QuizAttempt.user_id, func.max(QuizAttempt.score)
                    )
                    .where(
                        QuizAttempt.assessment_id.in_(quiz_ids),
                        QuizAttempt.user_id.in_(user_ids),
                        QuizAttempt.submitted_at.is_not(None),
                    )
                    .group_by(QuizAttempt.assessment_id, QuizAttempt.user_id)
                )
            )
        }
    submissions: dict[tuple[int, int], Submission] = {}
    if other_ids:
        submissions = {
            (s.assessment_id, s.enrolment_id): s
            for s in session.scalars(
                _all(
                    select(Submission).where(
                        Submission.assessment_id.in_(other_ids),
                        Submission.enrolment_id.in_(enrolment_ids),
                    )
                )
            )
        }
    result = {}
    for enrolment in enrolments:
        scores = []
        pending = []
        for assessment in assessments:
            score = None
            if assessment.kind == "quiz":
                score = best.get((assessment.id, enrolment.user_id))
            else:
                submission = submissions.get((assessment.id, enrolment.id))
                if submission is not None:
                    if submission.grade is None:
                        pending.append(assessment.title)
                    score = submission.grade
            scores.append((assessment.weight, score))
        result[enrolment.id] = grading.Progress(
            lessons_done=len(done[enrolment.id] & lesson_ids),
            lessons_total=len(lesson_ids),
            sessions_attended=attended.get(enrolment.id, 0),
            sessions_total=sessions_total,
            scores=scores,
            pending=pending,
            in_person=cohort.mode == "in_person",
        )
    return result


def policy(course: Course) -> grading.Policy:
    return grading.Policy(
        pass_mark=course.pass_mark,
        lessons_share=course.lessons_share,
        attendance_share=course.attendance_share,
    )


def outcome(enrolment: Enrolment) -> grading.Outcome:
    return grading.evaluate(policy(enrolment.cohort.course), progress(enrolment))


def outcomes_many(
    cohort: Cohort, enrolments: Sequence[Enrolment]
) -> dict[int, tuple[grading.Progress, grading.Outcome]]:
    """Progress and outcome of many learners of one cohort, in the statements of
    :func:`progress_many`."""
    rule = policy(cohort.course)
    return {
        ident: (item, grading.evaluate(rule, item))
        for ident, item in progress_many(cohort, enrolments).items()
    }


def completed_lessons(enrolment: Enrolment | None) -> set[int]:
    if enrolment is None:
        return set()
    return set(
        sdk.db.session.scalars(
            select(LessonCompletion.lesson_id).where(LessonCompletion.enrolment_id == enrolment.id)
        )
    )
