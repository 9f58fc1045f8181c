"""dues: when the last reminder was mailed, receipt counters per year

Revision ID: governance_0005_gm
Revises: governance_0004_gv
Create Date: 2026-12-07 12:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "governance_0005_gm"
down_revision = "governance_0004_gv"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("governance_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
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


def downgrade() -> None:
    with op.batch_alter_table("governance_receipt_counter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_receipt_counter_workspace_id"))
    op.drop_table("governance_receipt_counter")
    with op.batch_alter_table("governance_member", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
