"""JSON API of the training plugin under ``/api/v1/workspaces/<slug>/training/``.

Quiz timing and attempt limits are enforced by :mod:`quiz`, the same code the pages use: the
API offers no way to set a start time, an attempt number or a score.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ent_plugins.training import certificates as certs
from ent_plugins.training import quiz, service
from ent_plugins.training.models import (
    Assessment,
    Certificate,
    Cohort,
    Course,
    CourseTrainer,
    Enrolment,
    Lesson,
    QuizAttempt,
)
from ent_plugins.training.permissions import (
    MANAGE_COURSE,
    VIEW_CERTIFICATE,
    WITHDRAW,
    course_of,
    visible_certificates,
)
from pydantic import EmailStr, Field, model_validator

from ent_core import sdk

TAGS = ("training",)
VIEW = "workspace.view"


# -- courses ---------------------------------------------------------------------------------
class CourseIn(sdk.ApiModel):
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(default="", max_length=20_000)
    criteria: str = Field(default="", max_length=5_000)
    programme_id: int | None = None
    pass_mark: Decimal = Field(default=Decimal("50"), ge=0, le=100)
    lessons_share: Decimal = Field(default=Decimal("100"), ge=0, le=100)
    attendance_share: Decimal = Field(default=Decimal("0"), ge=0, le=100)
    validity_months: int | None = Field(default=None, ge=1, le=600)


class CourseOut(sdk.ApiModel):
    id: int
    title: str
    summary: str
    criteria: str
    programme_id: int | None
    pass_mark: Decimal
    lessons_share: Decimal
    attendance_share: Decimal
    validity_months: int | None
    trainers: list[int]
    prerequisites: list[int]
    url: str = Field(description="The public page of the course (the credential's achievement).")


def course_json(course: Course) -> CourseOut:
    return CourseOut(
        id=course.id,
        title=course.title,
        summary=course.summary,
        criteria=course.criteria,
        programme_id=course.programme_id,
        pass_mark=course.pass_mark,
        lessons_share=course.lessons_share,
        attendance_share=course.attendance_share,
        validity_months=course.validity_months,
        trainers=sorted(course.trainer_ids),
        prerequisites=[p.required_id for p in course.prerequisites],
        url=sdk.external_url(
            "training_public.course", workspace=sdk.current_workspace().slug, course_id=course.id
        ),
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List the courses", query=sdk.PageQuery, response=sdk.Page[CourseOut], tags=TAGS
)
def list_courses(query: sdk.PageQuery) -> dict[str, Any]:
    return sdk.paginate(
        sdk.scoped(Course),
        key=Course.id,
        serialize=lambda rows: [course_json(c) for c in rows],
        query=query,
    )


@sdk.require_permission("training.teach")
@sdk.api_operation(
    summary="Create a course",
    description="The caller becomes its trainer.",
    body=CourseIn,
    response=CourseOut,
    status=201,
    tags=TAGS,
    errors=(403,),
)
def create_course(body: CourseIn) -> CourseOut:
    if body.programme_id is not None:
        from ent_plugins.training.models import Programme

        if (
            sdk.db.session.scalar(sdk.scoped(Programme).where(Programme.id == body.programme_id))
            is None
        ):
            raise sdk.ApiError(
                "validation_error",
                sdk._("Some fields are not valid."),
                422,
                {"fields": {"programme_id": [sdk._("Unknown programme.")]}},
            )
    course = Course(**body.model_dump())
    sdk.db.session.add(course)
    sdk.db.session.flush()
    sdk.db.session.add(CourseTrainer(course_id=course.id, user_id=sdk.current_user.id))
    sdk.db.session.commit()
    return course_json(course)


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="One course", response=CourseOut, tags=TAGS, errors=(404,))
def get_course(course_id: int) -> CourseOut:
    return course_json(sdk.get_or_404(Course, course_id))


# -- cohorts ---------------------------------------------------------------------------------
class CohortIn(sdk.ApiModel):
    course_id: int
    name: str = Field(min_length=1, max_length=200)
    starts_on: date
    ends_on: date
    capacity: int = Field(default=20, ge=1, le=10_000)
    mode: str = Field(default="online", pattern="^(online|in_person)$")
    location: str = Field(default="", max_length=200)

    @model_validator(mode="after")
    def _dates(self) -> CohortIn:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on comes before starts_on")
        return self


class CohortOut(sdk.ApiModel):
    id: int
    course_id: int
    name: str
    starts_on: date
    ends_on: date
    capacity: int
    seats_taken: int
    waiting: int
    mode: str
    location: str


class CohortQuery(sdk.PageQuery):
    course_id: int | None = None


def cohort_json(cohort: Cohort) -> CohortOut:
    return CohortOut(
        id=cohort.id,
        course_id=cohort.course_id,
        name=cohort.name,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        capacity=cohort.capacity,
        seats_taken=service.seats_taken(cohort),
        waiting=sum(1 for e in cohort.enrolments if e.status == service.WAITING),
        mode=cohort.mode,
        location=cohort.location,
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List the cohorts", query=CohortQuery, response=sdk.Page[CohortOut], tags=TAGS
)
def list_cohorts(query: CohortQuery) -> dict[str, Any]:
    statement = sdk.scoped(Cohort)
    if query.course_id is not None:
        statement = statement.where(Cohort.course_id == query.course_id)
    return sdk.paginate(
        statement, key=Cohort.id, serialize=lambda rows: [cohort_json(c) for c in rows], query=query
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="Create a cohort",
    body=CohortIn,
    response=CohortOut,
    status=201,
    tags=TAGS,
    errors=(403, 404),
)
def create_cohort(body: CohortIn) -> CohortOut:
    sdk.authorize(MANAGE_COURSE, sdk.get_or_404(Course, body.course_id))
    cohort = Cohort(**body.model_dump())
    sdk.db.session.add(cohort)
    sdk.db.session.commit()
    return cohort_json(cohort)


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="One cohort", response=CohortOut, tags=TAGS, errors=(404,))
def get_cohort(cohort_id: int) -> CohortOut:
    return cohort_json(sdk.get_or_404(Cohort, cohort_id))


# -- enrolments ------------------------------------------------------------------------------
class EnrolmentIn(sdk.ApiModel):
    email: EmailStr | None = Field(
        default=None, description="Trainers enrol a member by email; omit it to enrol yourself."
    )


class EnrolmentOut(sdk.ApiModel):
    id: int
    cohort_id: int
    user_id: int
    learner: str
    status: str = Field(description="`enrolled`, `waiting` or `withdrawn`.")
    enrolled_at: datetime | None
    lessons: Decimal | None = None
    attendance: Decimal | None = None
    grade: Decimal | None = None
    complete: bool = False


def enrolment_json(enrolment: Enrolment) -> EnrolmentOut:
    result = service.outcome(enrolment) if enrolment.status == service.ACTIVE else None
    return EnrolmentOut(
        id=enrolment.id,
        cohort_id=enrolment.cohort_id,
        user_id=enrolment.user_id,
        learner=enrolment.user.display_name,
        status=enrolment.status,
        enrolled_at=enrolment.enrolled_at,
        lessons=result.lessons if result else None,
        attendance=result.attendance if result else None,
        grade=result.grade if result else None,
        complete=bool(result and result.met),
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="Enrolments of a cohort",
    description="Trainers see every learner; learners their own enrolment.",
    query=sdk.PageQuery,
    response=sdk.Page[EnrolmentOut],
    tags=TAGS,
    errors=(404,),
)
def list_enrolments(cohort_id: int, query: sdk.PageQuery) -> dict[str, Any]:
    cohort = sdk.get_or_404(Cohort, cohort_id)
    statement = sdk.scoped(Enrolment).where(Enrolment.cohort_id == cohort.id)
    if not sdk.can(MANAGE_COURSE, cohort.course):
        statement = statement.where(Enrolment.user_id == sdk.current_user.id)
    return sdk.paginate(
        statement,
        key=Enrolment.id,
        serialize=lambda rows: [enrolment_json(e) for e in rows],
        query=query,
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="Enrol in a cohort",
    description="A full cohort puts the learner on its waiting list (`status: waiting`).",
    body=EnrolmentIn,
    body_required=False,
    response=EnrolmentOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409),
)
def create_enrolment(cohort_id: int, body: EnrolmentIn | None) -> EnrolmentOut:
    cohort = sdk.get_or_404(Cohort, cohort_id)
    learner = sdk.current_user
    by_trainer = False
    if body is not None and body.email:
        sdk.authorize(MANAGE_COURSE, cohort.course)
        learner = next(
            (
                m
                for m in sdk.workspace_members(sdk.current_workspace())
                if m.email.lower() == body.email.lower()
            ),
            None,
        )
        if learner is None:
            raise sdk.ApiError(
                "not_found", sdk._("No member of this workspace has that email."), 404
            )
        by_trainer = True
    return enrolment_json(service.enrol(cohort, learner, by_trainer=by_trainer))


@sdk.require_object_permission(WITHDRAW, Enrolment, "enrolment_id")
@sdk.api_operation(
    summary="Withdraw from a cohort",
    description="The freed seat goes to the first learner on the waiting list.",
    tags=TAGS,
    errors=(403, 404),
)
def delete_enrolment(enrolment: Enrolment) -> None:
    service.withdraw(enrolment)


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="Mark a lesson done", response=EnrolmentOut, tags=TAGS, errors=(403, 404)
)
def complete_lesson(lesson_id: int) -> EnrolmentOut:
    lesson = sdk.get_or_404(Lesson, lesson_id)
    enrolment = service.require_enrolment(lesson.module.course)
    service.complete_lesson(enrolment, lesson)
    return enrolment_json(enrolment)


# -- quizzes ---------------------------------------------------------------------------------
class ChoiceOut(sdk.ApiModel):
    id: int
    text: str


class QuestionOut(sdk.ApiModel):
    id: int
    text: str
    multiple: bool
    choices: list[ChoiceOut]


class AttemptOut(sdk.ApiModel):
    id: int
    quiz_id: int
    number: int
    started_at: datetime
    deadline_at: datetime | None = Field(
        description="Server time; answers later than this "
        "(plus a few seconds of grace) are refused."
    )
    remaining_seconds: int | None
    submitted_at: datetime | None
    late: bool
    score: Decimal | None
    questions: list[QuestionOut] = Field(
        description="In this attempt's shuffled order; when the quiz draws a number of "
        "questions per attempt, only those drawn (the score counts them alone)."
    )


class AnswersIn(sdk.ApiModel):
    answers: dict[str, list[int]] = Field(
        description="Question id -> the chosen choice ids (one for single-choice questions)."
    )


def attempt_json(attempt: QuizAttempt) -> AttemptOut:
    shown = [
        QuestionOut(
            id=question.id,
            text=question.text,
            multiple=question.multiple,
            choices=[ChoiceOut(id=c.id, text=c.text) for c in choices],
        )
        for question, choices in quiz.shown_questions(attempt)
    ]
    return AttemptOut(
        id=attempt.id,
        quiz_id=attempt.assessment_id,
        number=attempt.number,
        started_at=attempt.started_at,
        deadline_at=attempt.deadline_at,
        remaining_seconds=quiz.remaining_seconds(attempt) if attempt.submitted_at is None else None,
        submitted_at=attempt.submitted_at,
        late=attempt.late,
        score=attempt.score,
        questions=shown,
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="Start (or resume) a quiz attempt",
    description="The server records the start; refused with 409 "
    "`attempts_exhausted` when no attempt is left.",
    response=AttemptOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409),
)
def start_attempt(quiz_id: int) -> AttemptOut:
    assessment = sdk.get_or_404(Assessment, quiz_id)
    if assessment.kind != "quiz":
        sdk.abort(404)
    attempt = quiz.start_attempt(assessment, service.require_enrolment(assessment.course))
    return attempt_json(attempt)


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="One of my quiz attempts", response=AttemptOut, tags=TAGS, errors=(404,))
def get_attempt(attempt_id: int) -> AttemptOut:
    attempt = quiz.own_attempt(attempt_id)
    quiz.close_if_expired(attempt, sdk.utcnow())
    return attempt_json(attempt)


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="Submit the answers of an attempt",
    description="Graded at once; 409 `deadline_passed` after the time limit, "
    "409 `attempt_closed` if already submitted.",
    body=AnswersIn,
    response=AttemptOut,
    tags=TAGS,
    errors=(404, 409),
)
def submit_attempt(attempt_id: int, body: AnswersIn) -> AttemptOut:
    attempt = quiz.own_attempt(attempt_id)
    quiz.submit_attempt(attempt, body.answers)
    return attempt_json(attempt)


# -- certificates ----------------------------------------------------------------------------
class CertificateOut(sdk.ApiModel):
    id: int
    number: str
    recipient_name: str
    course_id: int
    cohort_id: int
    course_title: str
    status: str = Field(description="`valid`, `expired` or `revoked`.")
    issued_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    revoked_reason: str | None
    grade: Decimal | None
    verify_url: str = Field(description="Public verification page (no sign-in).")
    credential_url: str = Field(description="The signed Open Badges 3.0 credential (JSON).")


class TransitionIn(sdk.ApiModel):
    transition: str = Field(description="`revoke`.")
    reason: str = Field(default="", max_length=1_000)


def certificate_json(certificate: Certificate) -> CertificateOut:
    slug = sdk.current_workspace().slug
    return CertificateOut(
        id=certificate.id,
        number=certificate.number,
        recipient_name=certificate.recipient_name,
        course_id=certificate.course_id,
        cohort_id=certificate.cohort_id,
        course_title=certificate.course_title,
        status=certificate.status,
        issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
        revoked_at=certificate.revoked_at,
        revoked_reason=certificate.revoked_reason or None,
        grade=certificate.grade,
        verify_url=certs.verify_url(certificate, slug),
        credential_url=certs.credential_url(certificate, slug),
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List certificates",
    description="Managers see all; trainers those of their courses; learners their own.",
    query=sdk.PageQuery,
    response=sdk.Page[CertificateOut],
    tags=TAGS,
)
def list_certificates(query: sdk.PageQuery) -> dict[str, Any]:
    return sdk.paginate(
        visible_certificates(sdk.scoped(Certificate)),
        key=Certificate.id,
        serialize=lambda rows: [certificate_json(c) for c in rows],
        query=query,
    )


def _visible_certificate(certificate_id: int) -> Certificate:
    """A certificate the caller may see; the others are hidden (404) from the API."""
    certificate = sdk.get_or_404(Certificate, certificate_id)
    if not sdk.can(VIEW_CERTIFICATE, certificate):
        sdk.abort(404)
    return certificate


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="One certificate", response=CertificateOut, tags=TAGS, errors=(404,))
def get_certificate(certificate_id: int) -> CertificateOut:
    return certificate_json(_visible_certificate(certificate_id))


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="Change a certificate's state",
    description="`revoke` with a `reason` (shown on the verification page).",
    body=TransitionIn,
    response=CertificateOut,
    tags=TAGS,
    errors=(403, 404, 409),
)
def certificate_transition(certificate_id: int, body: TransitionIn) -> CertificateOut:
    certificate = _visible_certificate(certificate_id)
    sdk.authorize(MANAGE_COURSE, course_of(certificate))
    allowed = [] if certificate.revoked_at else ["revoke"]
    if body.transition not in allowed:
        raise sdk.ApiError(
            "invalid_transition",
            sdk._("This change is not possible now."),
            409,
            {"allowed": allowed},
        )
    if not body.reason.strip():
        raise sdk.ApiError(
            "validation_error",
            sdk._("Some fields are not valid."),
            422,
            {"fields": {"reason": [sdk._("Give a reason.")]}},
        )
    certs.revoke(certificate, body.reason)
    return certificate_json(certificate)


class IssueOut(sdk.ApiModel):
    issued: list[str] = Field(description="Numbers of the certificates issued by this call.")


@sdk.require_object_permission(MANAGE_COURSE, Cohort, "cohort_id", via=course_of)
@sdk.api_operation(
    summary="Issue certificates to every learner of a cohort who met the rule",
    response=IssueOut,
    tags=TAGS,
    errors=(403, 404),
)
def issue_cohort(cohort: Cohort) -> IssueOut:
    from ent_plugins.training.jobs import issue_for_cohort

    before = {
        c.number
        for c in sdk.db.session.scalars(
            sdk.scoped(Certificate).where(Certificate.cohort_id == cohort.id)
        )
    }
    issue_for_cohort(cohort.id)
    after = {
        c.number
        for c in sdk.db.session.scalars(
            sdk.scoped(Certificate).where(Certificate.cohort_id == cohort.id)
        )
    }
    return IssueOut(issued=sorted(after - before))
