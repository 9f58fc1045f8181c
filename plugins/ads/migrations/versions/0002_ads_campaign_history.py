"""campaign history

Revision ID: ads_0002_cs
Revises: ads_0001
Create Date: 2026-12-07 16:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ads_0002_cs"
down_revision = "ads_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ads_campaign_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_status", sa.String(length=10), nullable=False),
        sa.Column("to_status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_ads_campaign_history_actor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["ads_campaign.id"],
            name=op.f("fk_ads_campaign_history_campaign_id_ads_campaign"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_ads_campaign_history_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads_campaign_history")),
    )
    with op.batch_alter_table("ads_campaign_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ads_campaign_history_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ads_campaign_history_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ads_campaign_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_campaign_history_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_ads_campaign_history_campaign_id"))
    op.drop_table("ads_campaign_history")
