"""create tables

Revision ID: training_0001
Revises: -
Create Date: 2026-11-27 19:17:37.855499
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "training_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_status_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("allocated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_status_slot")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "training_learner_preference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("show_badges", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_training_learner_preference_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_learner_preference")),
        sa.UniqueConstraint("user_id", name=op.f("uq_training_learner_preference_user_id")),
    )
    op.create_table(
        "training_programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_programme_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_programme")),
    )
    with op.batch_alter_table("training_programme", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_programme_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_course",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("criteria", sa.Text(), nullable=False),
        sa.Column("pass_mark", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("lessons_share", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("attendance_share", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("validity_months", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["training_programme.id"],
            name=op.f("fk_training_course_programme_id_training_programme"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_course_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_course")),
    )
    with op.batch_alter_table("training_course", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_course_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_course_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("weight", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("time_limit_minutes", sa.Integer(), nullable=True),
        sa.Column("submission_kind", sa.String(length=16), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_course.id"],
            name=op.f("fk_training_assessment_course_id_training_course"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_assessment_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_assessment")),
    )
    with op.batch_alter_table("training_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_assessment_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_assessment_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_cohort",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_course.id"],
            name=op.f("fk_training_cohort_course_id_training_course"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_cohort_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_cohort")),
    )
    with op.batch_alter_table("training_cohort", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_cohort_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_cohort_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_course_trainer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_course.id"],
            name=op.f("fk_training_course_trainer_course_id_training_course"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_training_course_trainer_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_course_trainer_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_course_trainer")),
        sa.UniqueConstraint(
            "course_id", "user_id", name=op.f("uq_training_course_trainer_course_id")
        ),
    )
    with op.batch_alter_table("training_course_trainer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_course_trainer_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_module",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_course.id"],
            name=op.f("fk_training_module_course_id_training_course"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_module_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_module")),
    )
    with op.batch_alter_table("training_module", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_module_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_module_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_prerequisite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("required_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_course.id"],
            name=op.f("fk_training_prerequisite_course_id_training_course"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["required_id"],
            ["training_course.id"],
            name=op.f("fk_training_prerequisite_required_id_training_course"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_prerequisite_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_prerequisite")),
        sa.UniqueConstraint(
            "course_id", "required_id", name=op.f("uq_training_prerequisite_course_id")
        ),
    )
    with op.batch_alter_table("training_prerequisite", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_prerequisite_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("status_index", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("recipient_name", sa.String(length=200), nullable=False),
        sa.Column("recipient_email", sa.String(length=254), nullable=False),
        sa.Column("course_title", sa.String(length=200), nullable=False),
        sa.Column("issuer_name", sa.String(length=200), nullable=False),
        sa.Column("issuer_key", sa.String(length=100), nullable=False),
        sa.Column("grade", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=False),
        sa.Column("credential", sa.JSON(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["training_cohort.id"],
            name=op.f("fk_training_certificate_cohort_id_training_cohort"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_course.id"],
            name=op.f("fk_training_certificate_course_id_training_course"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_training_certificate_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_certificate_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_certificate")),
        sa.UniqueConstraint("number", name=op.f("uq_training_certificate_number")),
        sa.UniqueConstraint("status_index", name=op.f("uq_training_certificate_status_index")),
        sa.UniqueConstraint(
            "user_id", "course_id", "cohort_id", name=op.f("uq_training_certificate_user_id")
        ),
    )
    with op.batch_alter_table("training_certificate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_certificate_user_id"), ["user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_certificate_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["training_cohort.id"],
            name=op.f("fk_training_enrolment_cohort_id_training_cohort"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_training_enrolment_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_enrolment_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_enrolment")),
        sa.UniqueConstraint("cohort_id", "user_id", name=op.f("uq_training_enrolment_cohort_id")),
    )
    with op.batch_alter_table("training_enrolment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_enrolment_cohort_id"), ["cohort_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_enrolment_user_id"), ["user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_enrolment_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_lesson",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("video_url", sa.String(length=500), nullable=False),
        sa.Column("attachment_key", sa.String(length=200), nullable=True),
        sa.Column("attachment_name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["training_module.id"],
            name=op.f("fk_training_lesson_module_id_training_module"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_lesson_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_lesson")),
    )
    with op.batch_alter_table("training_lesson", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_lesson_module_id"), ["module_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_lesson_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("multiple", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["training_assessment.id"],
            name=op.f("fk_training_question_assessment_id_training_assessment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_question_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_question")),
    )
    with op.batch_alter_table("training_question", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_question_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_question_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["training_cohort.id"],
            name=op.f("fk_training_session_cohort_id_training_cohort"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_session_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_session")),
    )
    with op.batch_alter_table("training_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_session_cohort_id"), ["cohort_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_session_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["training_enrolment.id"],
            name=op.f("fk_training_attendance_enrolment_id_training_enrolment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_session.id"],
            name=op.f("fk_training_attendance_session_id_training_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_attendance_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_attendance")),
        sa.UniqueConstraint(
            "session_id", "enrolment_id", name=op.f("uq_training_attendance_session_id")
        ),
    )
    with op.batch_alter_table("training_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_attendance_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["training_question.id"],
            name=op.f("fk_training_choice_question_id_training_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_choice_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_choice")),
    )
    with op.batch_alter_table("training_choice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_choice_question_id"), ["question_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_choice_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_lesson_completion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["training_enrolment.id"],
            name=op.f("fk_training_lesson_completion_enrolment_id_training_enrolment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lesson_id"],
            ["training_lesson.id"],
            name=op.f("fk_training_lesson_completion_lesson_id_training_lesson"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_lesson_completion_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_lesson_completion")),
        sa.UniqueConstraint(
            "enrolment_id", "lesson_id", name=op.f("uq_training_lesson_completion_enrolment_id")
        ),
    )
    with op.batch_alter_table("training_lesson_completion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_lesson_completion_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_quiz_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("layout", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["training_assessment.id"],
            name=op.f("fk_training_quiz_attempt_assessment_id_training_assessment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["training_enrolment.id"],
            name=op.f("fk_training_quiz_attempt_enrolment_id_training_enrolment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_training_quiz_attempt_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_quiz_attempt_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_quiz_attempt")),
        sa.UniqueConstraint(
            "assessment_id",
            "user_id",
            "number",
            name=op.f("uq_training_quiz_attempt_assessment_id"),
        ),
    )
    with op.batch_alter_table("training_quiz_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_quiz_attempt_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_quiz_attempt_enrolment_id"), ["enrolment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_quiz_attempt_user_id"), ["user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_quiz_attempt_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "training_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("file_key", sa.String(length=200), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("grade", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("graded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("graded_by_id", sa.Integer(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["training_assessment.id"],
            name=op.f("fk_training_submission_assessment_id_training_assessment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["training_enrolment.id"],
            name=op.f("fk_training_submission_enrolment_id_training_enrolment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["graded_by_id"],
            ["user_account.id"],
            name=op.f("fk_training_submission_graded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_training_submission_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_submission")),
        sa.UniqueConstraint(
            "assessment_id", "enrolment_id", name=op.f("uq_training_submission_assessment_id")
        ),
    )
    with op.batch_alter_table("training_submission", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_submission_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_submission_enrolment_id"), ["enrolment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_submission_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("training_submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_submission_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_training_submission_enrolment_id"))
        batch_op.drop_index(batch_op.f("ix_training_submission_assessment_id"))

    op.drop_table("training_submission")
    with op.batch_alter_table("training_quiz_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_quiz_attempt_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_training_quiz_attempt_user_id"))
        batch_op.drop_index(batch_op.f("ix_training_quiz_attempt_enrolment_id"))
        batch_op.drop_index(batch_op.f("ix_training_quiz_attempt_assessment_id"))

    op.drop_table("training_quiz_attempt")
    with op.batch_alter_table("training_lesson_completion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_lesson_completion_workspace_id"))

    op.drop_table("training_lesson_completion")
    with op.batch_alter_table("training_choice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_choice_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_training_choice_question_id"))

    op.drop_table("training_choice")
    with op.batch_alter_table("training_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_attendance_workspace_id"))

    op.drop_table("training_attendance")
    with op.batch_alter_table("training_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_session_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_training_session_cohort_id"))

    op.drop_table("training_session")
    with op.batch_alter_table("training_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_question_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_training_question_assessment_id"))

    op.drop_table("training_question")
    with op.batch_alter_table("training_lesson", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_lesson_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_training_lesson_module_id"))

    op.drop_table("training_lesson")
    with op.batch_alter_table("training_enrolment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_enrolment_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_training_enrolment_user_id"))
        batch_op.drop_index(batch_op.f("ix_training_enrolment_cohort_id"))

    op.drop_table("training_enrolment")
    with op.batch_alter_table("training_certificate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_certificate_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_training_certificate_user_id"))

    op.drop_table("training_certificate")
    with op.batch_alter_table("training_prerequisite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_prerequisite_workspace_id"))

    op.drop_table("training_prerequisite")
    with op.batch_alter_table("training_module", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_module_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_training_module_course_id"))

    op.drop_table("training_module")
    with op.batch_alter_table("training_course_trainer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_course_trainer_workspace_id"))

    op.drop_table("training_course_trainer")
    with op.batch_alter_table("training_cohort", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_cohort_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_training_cohort_course_id"))

    op.drop_table("training_cohort")
    with op.batch_alter_table("training_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_assessment_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_training_assessment_course_id"))

    op.drop_table("training_assessment")
    with op.batch_alter_table("training_course", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_course_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_training_course_programme_id"))

    op.drop_table("training_course")
    with op.batch_alter_table("training_programme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_programme_workspace_id"))

    op.drop_table("training_programme")
    op.drop_table("training_learner_preference")
    op.drop_table("training_status_slot")
