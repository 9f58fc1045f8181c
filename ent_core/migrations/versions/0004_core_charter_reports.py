"""charter reports

Revision ID: core_0004
Revises: core_0003
Create Date: 2026-12-07 06:21:17.581248
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0004"
down_revision = "core_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "charter_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("evidence_url", sa.String(length=2000), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["user_account.id"],
            name=op.f("fk_charter_report_closed_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["user_account.id"],
            name=op.f("fk_charter_report_person_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["user_account.id"],
            name=op.f("fk_charter_report_reporter_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_charter_report_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charter_report")),
    )
    with op.batch_alter_table("charter_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_charter_report_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_charter_report_reporter_id"), ["reporter_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_charter_report_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_charter_report_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("charter_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_charter_report_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_charter_report_status"))
        batch_op.drop_index(batch_op.f("ix_charter_report_reporter_id"))
        batch_op.drop_index(batch_op.f("ix_charter_report_person_id"))

    op.drop_table("charter_report")
