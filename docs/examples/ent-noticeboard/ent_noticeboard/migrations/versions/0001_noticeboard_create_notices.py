"""Notice board: the notices table.

Revision ID: noticeboard_0001
Revises: -
Create Date: 2026-11-27 16:02:49.709413
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "noticeboard_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "noticeboard_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_noticeboard_notice_author_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_noticeboard_notice_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_noticeboard_notice")),
    )
    with op.batch_alter_table("noticeboard_notice", schema=None) as batch_op:
        batch_op.create_index(
            "ix_noticeboard_notice_listing", ["workspace_id", "pinned", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_noticeboard_notice_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("noticeboard_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_noticeboard_notice_workspace_id"))
        batch_op.drop_index("ix_noticeboard_notice_listing")

    op.drop_table("noticeboard_notice")
