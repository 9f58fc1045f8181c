"""Tables of the training plugin: curricula, cohorts, assessments, certificates.

Every tenant table carries ``workspace_id`` (``sdk.TenantMixin``) and the ``training_`` prefix.
Scores and weights are ``Numeric`` and read as ``Decimal``: grades are never floats.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from markupsafe import Markup
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core import sdk

USER_FK = "user_account.id"
SCORE = Numeric(6, 2)


class Programme(sdk.TenantMixin, sdk.db.Model):
    """A curriculum: an ordered set of courses (a diploma track, a bootcamp)."""

    __tablename__ = "training_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    courses: Mapped[list[Course]] = relationship(back_populates="programme", order_by="Course.id")

    @property
    def description_html(self) -> Markup:
        return sdk.render_markdown(self.description)


class Course(sdk.TenantMixin, sdk.db.Model):
    """A course and its grading policy (pass mark, lessons and attendance shares)."""

    __tablename__ = "training_course"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_programme.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    criteria: Mapped[str] = mapped_column(Text, default="")
    pass_mark: Mapped[Decimal] = mapped_column(SCORE, default=Decimal("50"))
    lessons_share: Mapped[Decimal] = mapped_column(SCORE, default=Decimal("100"))
    attendance_share: Mapped[Decimal] = mapped_column(SCORE, default=Decimal("0"))
    validity_months: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    programme: Mapped[Programme | None] = relationship(back_populates="courses")
    workspace = relationship("Workspace")
    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="Module.position, Module.id", cascade="all, delete-orphan"
    )
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="course", order_by="Assessment.id", cascade="all, delete-orphan"
    )
    cohorts: Mapped[list[Cohort]] = relationship(
        back_populates="course", order_by="Cohort.starts_on, Cohort.id"
    )
    trainers: Mapped[list[CourseTrainer]] = relationship(cascade="all, delete-orphan")
    prerequisites: Mapped[list[Prerequisite]] = relationship(
        foreign_keys="Prerequisite.course_id", cascade="all, delete-orphan"
    )

    @property
    def summary_html(self) -> Markup:
        return sdk.render_markdown(self.summary)

    @property
    def criteria_html(self) -> Markup:
        return sdk.render_markdown(self.criteria)

    @property
    def lessons(self) -> list[Lesson]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def trainer_ids(self) -> set[int]:
        return {t.user_id for t in self.trainers}


class CourseTrainer(sdk.TenantMixin, sdk.db.Model):
    """A trainer assigned to a course: runs its cohorts and grades its learners."""

    __tablename__ = "training_course_trainer"
    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_course.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey(USER_FK, ondelete="CASCADE"))

    user = relationship("User")


class Prerequisite(sdk.TenantMixin, sdk.db.Model):
    """``course`` needs a certificate of ``required`` first."""

    __tablename__ = "training_prerequisite"
    __table_args__ = (UniqueConstraint("course_id", "required_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_course.id", ondelete="CASCADE"))
    required_id: Mapped[int] = mapped_column(ForeignKey("training_course.id", ondelete="CASCADE"))

    required: Mapped[Course] = relationship(foreign_keys=[required_id])


class Module(sdk.TenantMixin, sdk.db.Model):
    __tablename__ = "training_module"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("training_course.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    course: Mapped[Course] = relationship(back_populates="modules")
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module", order_by="Lesson.position, Lesson.id", cascade="all, delete-orphan"
    )


class Lesson(sdk.TenantMixin, sdk.db.Model):
    """A lesson: Markdown text, an optional video link and an optional checked attachment."""

    __tablename__ = "training_lesson"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("training_module.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    attachment_key: Mapped[str | None] = mapped_column(String(200))
    attachment_name: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)

    module: Mapped[Module] = relationship(back_populates="lessons")

    @property
    def body_html(self) -> Markup:
        return sdk.render_markdown(self.body)


class Cohort(sdk.TenantMixin, sdk.db.Model):
    """A session of a course: dates, seats, online or in person."""

    __tablename__ = "training_cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("training_course.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(default=20)
    mode: Mapped[str] = mapped_column(String(16), default="online")
    location: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    course: Mapped[Course] = relationship(back_populates="cohorts")
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="cohort", order_by="Enrolment.id"
    )
    sessions: Mapped[list[ClassSession]] = relationship(
        back_populates="cohort", order_by="ClassSession.starts_at", cascade="all, delete-orphan"
    )


class Enrolment(sdk.TenantMixin, sdk.db.Model):
    """A learner in a cohort: ``enrolled``, ``waiting`` (for a seat) or ``withdrawn``."""

    __tablename__ = "training_enrolment"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("training_cohort.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey(USER_FK, ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="enrolled")
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    enrolled_at: Mapped[datetime | None]
    #: Set when something the completion rule reads changed (a lesson done, a quiz submitted,
    #: a grade, attendance); the cohort's certificate job clears it once it has looked.
    evaluation_requested_at: Mapped[datetime | None] = mapped_column(index=True)

    cohort: Mapped[Cohort] = relationship(back_populates="enrolments")
    # Joined: every list of learners shows their names (no statement per learner).
    user = relationship("User", lazy="joined", innerjoin=True)
    completions: Mapped[list[LessonCompletion]] = relationship(cascade="all, delete-orphan")


class LessonCompletion(sdk.TenantMixin, sdk.db.Model):
    __tablename__ = "training_lesson_completion"
    __table_args__ = (UniqueConstraint("enrolment_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("training_enrolment.id", ondelete="CASCADE")
    )
    lesson_id: Mapped[int] = mapped_column(ForeignKey("training_lesson.id", ondelete="CASCADE"))
    completed_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)


class ClassSession(sdk.TenantMixin, sdk.db.Model):
    """One meeting of a cohort, where the trainer takes attendance."""

    __tablename__ = "training_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("training_cohort.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]

    cohort: Mapped[Cohort] = relationship(back_populates="sessions")
    attendance: Mapped[list[Attendance]] = relationship(cascade="all, delete-orphan")


class Attendance(sdk.TenantMixin, sdk.db.Model):
    __tablename__ = "training_attendance"
    __table_args__ = (UniqueConstraint("session_id", "enrolment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("training_enrolment.id", ondelete="CASCADE")
    )
    present: Mapped[bool] = mapped_column(Boolean, default=False)


class Assessment(sdk.TenantMixin, sdk.db.Model):
    """A quiz or an assignment of a course, with its weight in the final grade."""

    __tablename__ = "training_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("training_course.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # quiz | assignment
    title: Mapped[str] = mapped_column(String(200))
    instructions: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[Decimal] = mapped_column(SCORE, default=Decimal("1"))
    max_attempts: Mapped[int] = mapped_column(default=1)
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    #: A quiz's question bank: each attempt draws this many of its questions at random (empty or
    #: 0: all of them).
    questions_per_attempt: Mapped[int | None] = mapped_column(Integer)
    submission_kind: Mapped[str] = mapped_column(String(16), default="text")  # text | file

    course: Mapped[Course] = relationship(back_populates="assessments")
    questions: Mapped[list[Question]] = relationship(
        back_populates="assessment",
        order_by="Question.position, Question.id",
        cascade="all, delete-orphan",
    )

    @property
    def instructions_html(self) -> Markup:
        return sdk.render_markdown(self.instructions)


class Question(sdk.TenantMixin, sdk.db.Model):
    __tablename__ = "training_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("training_assessment.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(default=0)

    assessment: Mapped[Assessment] = relationship(back_populates="questions")
    choices: Mapped[list[Choice]] = relationship(
        back_populates="question", order_by="Choice.id", cascade="all, delete-orphan"
    )


class Choice(sdk.TenantMixin, sdk.db.Model):
    __tablename__ = "training_choice"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("training_question.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(500))
    correct: Mapped[bool] = mapped_column(Boolean, default=False)

    question: Mapped[Question] = relationship(back_populates="choices")


class QuizAttempt(sdk.TenantMixin, sdk.db.Model):
    """One try at a quiz. The server stores when it started and its deadline; the browser's
    clock never counts. ``layout`` is the shuffled order shown to this learner.

    Attempts are counted per learner (``user_id``), not per enrolment: enrolling in another
    cohort of the same course gives no fresh attempts."""

    __tablename__ = "training_quiz_attempt"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("training_assessment.id", ondelete="CASCADE"), index=True
    )
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("training_enrolment.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey(USER_FK, ondelete="CASCADE"), index=True)
    number: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    deadline_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[Decimal | None] = mapped_column(SCORE)
    layout: Mapped[Any] = mapped_column(JSON, default=list)
    answers: Mapped[Any] = mapped_column(JSON, default=dict)

    assessment: Mapped[Assessment] = relationship()
    enrolment: Mapped[Enrolment] = relationship()


class Submission(sdk.TenantMixin, sdk.db.Model):
    """An assignment handed in (text or a checked file), graded by a trainer with feedback."""

    __tablename__ = "training_submission"
    __table_args__ = (UniqueConstraint("assessment_id", "enrolment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("training_assessment.id", ondelete="CASCADE"), index=True
    )
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("training_enrolment.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    file_key: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(200), default="")
    submitted_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    grade: Mapped[Decimal | None] = mapped_column(SCORE)
    feedback: Mapped[str] = mapped_column(Text, default="")
    graded_at: Mapped[datetime | None]
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey(USER_FK, ondelete="SET NULL"))

    assessment: Mapped[Assessment] = relationship()
    enrolment: Mapped[Enrolment] = relationship()

    @property
    def text_html(self) -> Markup:
        return sdk.render_markdown(self.text)

    @property
    def feedback_html(self) -> Markup:
        return sdk.render_markdown(self.feedback)


class StatusSlot(sdk.db.Model):
    """Allocates status-list positions: an autoincrement that never hands out a number twice
    (``sqlite_autoincrement`` on SQLite, a sequence on PostgreSQL), even after deletions."""

    __tablename__ = "training_status_slot"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    allocated_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)


class Certificate(sdk.TenantMixin, sdk.db.Model):
    """A certificate: issued once per learner, course and cohort (the unique constraint is what
    makes issuing exactly-once when two jobs race). Never deleted: revoked with a reason."""

    __tablename__ = "training_certificate"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    status_index: Mapped[int] = mapped_column(Integer, unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey(USER_FK, ondelete="SET NULL"), index=True
    )
    course_id: Mapped[int] = mapped_column(ForeignKey("training_course.id", ondelete="CASCADE"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("training_cohort.id", ondelete="CASCADE"))
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_email: Mapped[str] = mapped_column(String(254))
    course_title: Mapped[str] = mapped_column(String(200))
    issuer_name: Mapped[str] = mapped_column(String(200))
    #: The signing key's short id: its status list is ``.../status-lists/<issuer_key>``.
    issuer_key: Mapped[str] = mapped_column(String(100), default="")
    grade: Mapped[Decimal | None] = mapped_column(SCORE)
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    credential: Mapped[Any] = mapped_column(JSON, default=dict)
    #: When the learner was told (the certificate-ready mail); empty while the mail is due.
    notified_at: Mapped[datetime | None]

    course: Mapped[Course] = relationship()
    cohort: Mapped[Cohort] = relationship()
    user = relationship("User")
    workspace = relationship("Workspace")

    def status_at(self, moment: datetime) -> str:
        return certificate_status(self.revoked_at, self.expires_at, moment)

    @property
    def status(self) -> str:
        return self.status_at(sdk.utcnow())


def certificate_status(
    revoked_at: datetime | None, expires_at: datetime | None, moment: datetime
) -> str:
    """``revoked`` wins over ``expired``; otherwise ``valid``."""
    if revoked_at is not None:
        return "revoked"
    if expires_at is not None and expires_at <= moment:
        return "expired"
    return "valid"


class LearnerPreference(sdk.db.Model):
    """Per-person choice, across workspaces: show my valid certificates beside my name."""

    __tablename__ = "training_learner_preference"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey(USER_FK, ondelete="CASCADE"), unique=True)
    show_badges: Mapped[bool] = mapped_column(Boolean, default=False)
