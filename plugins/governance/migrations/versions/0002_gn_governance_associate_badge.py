"""associate badge choice

Revision ID: governance_0002_gn
Revises: governance_0001
Create Date: 2026-12-07 12:40:14.328067
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "governance_0002_gn"
down_revision = "governance_0002_gp"
branch_labels = None
depends_on = None


def upgrade() -> None:
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


def downgrade() -> None:
    with op.batch_alter_table("governance_associate_badge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_associate_badge_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_governance_associate_badge_member_id"))

    op.drop_table("governance_associate_badge")
