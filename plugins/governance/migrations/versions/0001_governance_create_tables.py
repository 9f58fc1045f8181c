"""create tables

Revision ID: governance_0001
Revises: -
Create Date: 2026-12-07 13:22:11.744149
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "governance_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "governance_body",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("term_years", sa.Integer(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_body_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_body")),
    )
    with op.batch_alter_table("governance_body", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_body_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_electoral_roll",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cutoff_on", sa.Date(), nullable=False),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_electoral_roll_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_electoral_roll")),
    )
    with op.batch_alter_table("governance_electoral_roll", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_electoral_roll_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_funder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_funder_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_funder")),
    )
    with op.batch_alter_table("governance_funder", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_funder_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_member_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("pays_dues", sa.Boolean(), nullable=False),
        sa.Column("votes", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_member_category_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_member_category")),
        sa.UniqueConstraint(
            "workspace_id", "code", name=op.f("uq_governance_member_category_workspace_id")
        ),
    )
    with op.batch_alter_table("governance_member_category", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_member_category_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("starts_year", sa.Integer(), nullable=False),
        sa.Column("ends_year", sa.Integer(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_plan_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_plan")),
    )
    with op.batch_alter_table("governance_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_plan_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_receipt_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_receipt_counter_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_receipt_counter")),
        sa.UniqueConstraint(
            "workspace_id", "year", name=op.f("uq_governance_receipt_counter_workspace_id")
        ),
    )
    with op.batch_alter_table("governance_receipt_counter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_receipt_counter_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_dues_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["governance_member_category.id"],
            name=op.f("fk_governance_dues_rate_category_id_governance_member_category"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_dues_rate_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_dues_rate")),
        sa.UniqueConstraint(
            "category_id", "year", name=op.f("uq_governance_dues_rate_category_id")
        ),
    )
    with op.batch_alter_table("governance_dues_rate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_dues_rate_category_id"), ["category_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_dues_rate_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["governance_plan.id"],
            name=op.f("fk_governance_goal_plan_id_governance_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_goal_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_goal")),
    )
    with op.batch_alter_table("governance_goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_governance_goal_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_governance_goal_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=False),
        sa.Column("online_url", sa.String(length=500), nullable=False),
        sa.Column("notice_days", sa.Integer(), nullable=False),
        sa.Column("quorum", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("second_quorum", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("max_proxies", sa.Integer(), nullable=False),
        sa.Column("roll_id", sa.Integer(), nullable=True),
        sa.Column("first_convocation_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("convened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["governance_body.id"],
            name=op.f("fk_governance_meeting_body_id_governance_body"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["first_convocation_id"],
            ["governance_meeting.id"],
            name=op.f("fk_governance_meeting_first_convocation_id_governance_meeting"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["roll_id"],
            ["governance_electoral_roll.id"],
            name=op.f("fk_governance_meeting_roll_id_governance_electoral_roll"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_meeting_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_meeting")),
    )
    with op.batch_alter_table("governance_meeting", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_meeting_body_id"), ["body_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_meeting_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("cin", sa.String(length=20), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["governance_member_category.id"],
            name=op.f("fk_governance_member_category_id_governance_member_category"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_governance_member_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_member_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_member")),
        sa.UniqueConstraint(
            "workspace_id", "number", name=op.f("uq_governance_member_workspace_id")
        ),
    )
    with op.batch_alter_table("governance_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_member_category_id"), ["category_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_governance_member_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_governance_member_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_governance_member_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_office",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["governance_body.id"],
            name=op.f("fk_governance_office_body_id_governance_body"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_office_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_office")),
    )
    with op.batch_alter_table("governance_office", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_governance_office_body_id"), ["body_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_governance_office_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_agenda_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["governance_meeting.id"],
            name=op.f("fk_governance_agenda_item_meeting_id_governance_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_agenda_item_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_agenda_item")),
    )
    with op.batch_alter_table("governance_agenda_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_agenda_item_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_agenda_item_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_associate_badge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("shown", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["governance_member.id"],
            name=op.f("fk_governance_associate_badge_member_id_governance_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_associate_badge_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_associate_badge")),
        sa.UniqueConstraint("member_id", name=op.f("uq_governance_associate_badge_member_id")),
    )
    with op.batch_alter_table("governance_associate_badge", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_associate_badge_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_associate_badge_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("rsvp", sa.String(length=10), nullable=True),
        sa.Column("presence", sa.String(length=10), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["governance_meeting.id"],
            name=op.f("fk_governance_attendance_meeting_id_governance_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["governance_member.id"],
            name=op.f("fk_governance_attendance_member_id_governance_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_attendance_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_attendance")),
        sa.UniqueConstraint(
            "meeting_id", "member_id", name=op.f("uq_governance_attendance_meeting_id")
        ),
    )
    with op.batch_alter_table("governance_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_attendance_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_attendance_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_attendance_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_dues_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("receipt_number", sa.String(length=40), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["governance_member.id"],
            name=op.f("fk_governance_dues_payment_member_id_governance_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_governance_dues_payment_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_dues_payment_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_dues_payment")),
        sa.UniqueConstraint(
            "workspace_id", "receipt_number", name=op.f("uq_governance_dues_payment_workspace_id")
        ),
    )
    with op.batch_alter_table("governance_dues_payment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_dues_payment_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_dues_payment_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_meeting_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("file_key", sa.String(length=300), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["governance_meeting.id"],
            name=op.f("fk_governance_meeting_document_meeting_id_governance_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_meeting_document_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_meeting_document")),
    )
    with op.batch_alter_table("governance_meeting_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_meeting_document_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_meeting_document_workspace_id"),
            ["workspace_id"],
            unique=False,
        )

    op.create_table(
        "governance_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["governance_goal.id"],
            name=op.f("fk_governance_project_goal_id_governance_goal"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["governance_plan.id"],
            name=op.f("fk_governance_project_plan_id_governance_plan"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_project_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_project")),
    )
    with op.batch_alter_table("governance_project", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_project_goal_id"), ["goal_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_project_plan_id"), ["plan_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_project_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_proxy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["governance_member.id"],
            name=op.f("fk_governance_proxy_holder_id_governance_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["governance_meeting.id"],
            name=op.f("fk_governance_proxy_meeting_id_governance_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["principal_id"],
            ["governance_member.id"],
            name=op.f("fk_governance_proxy_principal_id_governance_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_proxy_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_proxy")),
        sa.UniqueConstraint(
            "meeting_id", "principal_id", name=op.f("uq_governance_proxy_meeting_id")
        ),
    )
    with op.batch_alter_table("governance_proxy", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_proxy_holder_id"), ["holder_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_proxy_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_proxy_principal_id"), ["principal_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_proxy_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_roll_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roll_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["governance_member.id"],
            name=op.f("fk_governance_roll_entry_member_id_governance_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["roll_id"],
            ["governance_electoral_roll.id"],
            name=op.f("fk_governance_roll_entry_roll_id_governance_electoral_roll"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_roll_entry_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_roll_entry")),
        sa.UniqueConstraint("roll_id", "member_id", name=op.f("uq_governance_roll_entry_roll_id")),
    )
    with op.batch_alter_table("governance_roll_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_roll_entry_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_roll_entry_roll_id"), ["roll_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_roll_entry_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_budget_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("planned", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("committed", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("spent", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["governance_project.id"],
            name=op.f("fk_governance_budget_line_project_id_governance_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_budget_line_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_budget_line")),
    )
    with op.batch_alter_table("governance_budget_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_budget_line_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_budget_line_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("funder_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("pledged", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("received", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["funder_id"],
            ["governance_funder.id"],
            name=op.f("fk_governance_contribution_funder_id_governance_funder"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["governance_project.id"],
            name=op.f("fk_governance_contribution_project_id_governance_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_contribution_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_contribution")),
    )
    with op.batch_alter_table("governance_contribution", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_contribution_funder_id"), ["funder_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_contribution_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_contribution_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("baseline", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("target", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["governance_project.id"],
            name=op.f("fk_governance_indicator_project_id_governance_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_indicator_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_indicator")),
    )
    with op.batch_alter_table("governance_indicator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_indicator_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_indicator_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["governance_project.id"],
            name=op.f("fk_governance_milestone_project_id_governance_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_milestone_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_milestone")),
    )
    with op.batch_alter_table("governance_milestone", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_milestone_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_milestone_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_project_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.Column("photos_alt", sa.Text(), server_default="", nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["governance_project.id"],
            name=op.f("fk_governance_project_update_project_id_governance_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_project_update_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_project_update")),
    )
    with op.batch_alter_table("governance_project_update", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_project_update_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_project_update_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("roll_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ballot", sa.String(length=10), nullable=False),
        sa.Column("majority", sa.String(length=20), nullable=False),
        sa.Column("abstentions_count", sa.Boolean(), nullable=False),
        sa.Column("max_choices", sa.Integer(), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["governance_agenda_item.id"],
            name=op.f("fk_governance_vote_agenda_item_id_governance_agenda_item"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["governance_meeting.id"],
            name=op.f("fk_governance_vote_meeting_id_governance_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["governance_office.id"],
            name=op.f("fk_governance_vote_office_id_governance_office"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["roll_id"],
            ["governance_electoral_roll.id"],
            name=op.f("fk_governance_vote_roll_id_governance_electoral_roll"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_vote_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_vote")),
    )
    with op.batch_alter_table("governance_vote", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_vote_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_vote_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_vote_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_ballot",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("receipt_hash", sa.String(length=64), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["governance_member.id"],
            name=op.f("fk_governance_ballot_member_id_governance_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["governance_vote.id"],
            name=op.f("fk_governance_ballot_vote_id_governance_vote"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_ballot_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_ballot")),
        sa.UniqueConstraint("receipt_hash", name=op.f("uq_governance_ballot_receipt_hash")),
    )
    with op.batch_alter_table("governance_ballot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_governance_ballot_vote_id"), ["vote_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_governance_ballot_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_mandate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("vote_id", sa.Integer(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["governance_member.id"],
            name=op.f("fk_governance_mandate_member_id_governance_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["governance_office.id"],
            name=op.f("fk_governance_mandate_office_id_governance_office"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["governance_vote.id"],
            name=op.f("fk_governance_mandate_vote_id_governance_vote"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_mandate_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_mandate")),
    )
    with op.batch_alter_table("governance_mandate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_mandate_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_mandate_office_id"), ["office_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_mandate_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_measurement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["governance_indicator.id"],
            name=op.f("fk_governance_measurement_indicator_id_governance_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_measurement_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_measurement")),
    )
    with op.batch_alter_table("governance_measurement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_measurement_indicator_id"), ["indicator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_measurement_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("approved_by_vote_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("frozen_hash", sa.String(length=64), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_vote_id"],
            ["governance_vote.id"],
            name=op.f("fk_governance_minutes_approved_by_vote_id_governance_vote"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["governance_meeting.id"],
            name=op.f("fk_governance_minutes_meeting_id_governance_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_minutes_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_minutes")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_governance_minutes_meeting_id")),
    )
    with op.batch_alter_table("governance_minutes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_minutes_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_minutes_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_participation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("cast_by_id", sa.Integer(), nullable=False),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cast_by_id"],
            ["governance_member.id"],
            name=op.f("fk_governance_participation_cast_by_id_governance_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["governance_member.id"],
            name=op.f("fk_governance_participation_member_id_governance_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["governance_vote.id"],
            name=op.f("fk_governance_participation_vote_id_governance_vote"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_participation_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_participation")),
        sa.UniqueConstraint(
            "vote_id", "member_id", name=op.f("uq_governance_participation_vote_id")
        ),
    )
    with op.batch_alter_table("governance_participation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_participation_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_participation_vote_id"), ["vote_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_participation_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_vote_option",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=True),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["governance_member.id"],
            name=op.f("fk_governance_vote_option_candidate_id_governance_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["governance_vote.id"],
            name=op.f("fk_governance_vote_option_vote_id_governance_vote"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_vote_option_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_vote_option")),
    )
    with op.batch_alter_table("governance_vote_option", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_vote_option_vote_id"), ["vote_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_vote_option_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_manual_tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["governance_vote_option.id"],
            name=op.f("fk_governance_manual_tally_option_id_governance_vote_option"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vote_id"],
            ["governance_vote.id"],
            name=op.f("fk_governance_manual_tally_vote_id_governance_vote"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_manual_tally_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_manual_tally")),
        sa.UniqueConstraint(
            "vote_id", "option_id", name=op.f("uq_governance_manual_tally_vote_id")
        ),
    )
    with op.batch_alter_table("governance_manual_tally", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_manual_tally_vote_id"), ["vote_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_manual_tally_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "governance_minutes_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("office_role", sa.String(length=40), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["governance_member.id"],
            name=op.f("fk_governance_minutes_signature_member_id_governance_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["minutes_id"],
            ["governance_minutes.id"],
            name=op.f("fk_governance_minutes_signature_minutes_id_governance_minutes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_governance_minutes_signature_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_minutes_signature")),
        sa.UniqueConstraint(
            "minutes_id", "office_role", name=op.f("uq_governance_minutes_signature_minutes_id")
        ),
    )
    with op.batch_alter_table("governance_minutes_signature", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_minutes_signature_minutes_id"), ["minutes_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_minutes_signature_workspace_id"),
            ["workspace_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("governance_minutes_signature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_minutes_signature_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_minutes_signature_minutes_id"))

    op.drop_table("governance_minutes_signature")
    with op.batch_alter_table("governance_manual_tally", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_manual_tally_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_manual_tally_vote_id"))

    op.drop_table("governance_manual_tally")
    with op.batch_alter_table("governance_vote_option", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_vote_option_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_vote_option_vote_id"))

    op.drop_table("governance_vote_option")
    with op.batch_alter_table("governance_participation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_participation_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_participation_vote_id"))
        batch_op.drop_index(batch_op.f("ix_governance_participation_member_id"))

    op.drop_table("governance_participation")
    with op.batch_alter_table("governance_minutes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_minutes_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_minutes_meeting_id"))

    op.drop_table("governance_minutes")
    with op.batch_alter_table("governance_measurement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_measurement_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_measurement_indicator_id"))

    op.drop_table("governance_measurement")
    with op.batch_alter_table("governance_mandate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_mandate_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_mandate_office_id"))
        batch_op.drop_index(batch_op.f("ix_governance_mandate_member_id"))

    op.drop_table("governance_mandate")
    with op.batch_alter_table("governance_ballot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_ballot_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_ballot_vote_id"))

    op.drop_table("governance_ballot")
    with op.batch_alter_table("governance_vote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_vote_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_vote_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_governance_vote_agenda_item_id"))

    op.drop_table("governance_vote")
    with op.batch_alter_table("governance_project_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_project_update_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_project_update_project_id"))

    op.drop_table("governance_project_update")
    with op.batch_alter_table("governance_milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_milestone_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_milestone_project_id"))

    op.drop_table("governance_milestone")
    with op.batch_alter_table("governance_indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_indicator_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_indicator_project_id"))

    op.drop_table("governance_indicator")
    with op.batch_alter_table("governance_contribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_contribution_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_contribution_project_id"))
        batch_op.drop_index(batch_op.f("ix_governance_contribution_funder_id"))

    op.drop_table("governance_contribution")
    with op.batch_alter_table("governance_budget_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_budget_line_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_budget_line_project_id"))

    op.drop_table("governance_budget_line")
    with op.batch_alter_table("governance_roll_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_roll_entry_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_roll_entry_roll_id"))
        batch_op.drop_index(batch_op.f("ix_governance_roll_entry_member_id"))

    op.drop_table("governance_roll_entry")
    with op.batch_alter_table("governance_proxy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_proxy_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_proxy_principal_id"))
        batch_op.drop_index(batch_op.f("ix_governance_proxy_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_governance_proxy_holder_id"))

    op.drop_table("governance_proxy")
    with op.batch_alter_table("governance_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_project_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_project_plan_id"))
        batch_op.drop_index(batch_op.f("ix_governance_project_goal_id"))

    op.drop_table("governance_project")
    with op.batch_alter_table("governance_meeting_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_meeting_document_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_meeting_document_meeting_id"))

    op.drop_table("governance_meeting_document")
    with op.batch_alter_table("governance_dues_payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_dues_payment_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_dues_payment_member_id"))

    op.drop_table("governance_dues_payment")
    with op.batch_alter_table("governance_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_attendance_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_attendance_member_id"))
        batch_op.drop_index(batch_op.f("ix_governance_attendance_meeting_id"))

    op.drop_table("governance_attendance")
    with op.batch_alter_table("governance_associate_badge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_associate_badge_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_associate_badge_member_id"))

    op.drop_table("governance_associate_badge")
    with op.batch_alter_table("governance_agenda_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_agenda_item_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_agenda_item_meeting_id"))

    op.drop_table("governance_agenda_item")
    with op.batch_alter_table("governance_office", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_office_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_office_body_id"))

    op.drop_table("governance_office")
    with op.batch_alter_table("governance_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_member_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_member_user_id"))
        batch_op.drop_index(batch_op.f("ix_governance_member_email"))
        batch_op.drop_index(batch_op.f("ix_governance_member_category_id"))

    op.drop_table("governance_member")
    with op.batch_alter_table("governance_meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_meeting_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_meeting_body_id"))

    op.drop_table("governance_meeting")
    with op.batch_alter_table("governance_goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_goal_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_goal_plan_id"))

    op.drop_table("governance_goal")
    with op.batch_alter_table("governance_dues_rate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_dues_rate_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_dues_rate_category_id"))

    op.drop_table("governance_dues_rate")
    with op.batch_alter_table("governance_receipt_counter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_receipt_counter_workspace_id"))

    op.drop_table("governance_receipt_counter")
    with op.batch_alter_table("governance_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_plan_workspace_id"))

    op.drop_table("governance_plan")
    with op.batch_alter_table("governance_member_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_member_category_workspace_id"))

    op.drop_table("governance_member_category")
    with op.batch_alter_table("governance_funder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_funder_workspace_id"))

    op.drop_table("governance_funder")
    with op.batch_alter_table("governance_electoral_roll", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_electoral_roll_workspace_id"))

    op.drop_table("governance_electoral_roll")
    with op.batch_alter_table("governance_body", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_body_workspace_id"))

    op.drop_table("governance_body")
