"""refunds of paid-out orders taken back from a later payout (existing rows: nothing)

Revision ID: marketplace_0004
Revises: marketplace_rating
Create Date: 2026-12-08 01:06:14.193172
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "marketplace_0004"
down_revision = "marketplace_rating"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("marketplace_payout", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "taken_back",
                sa.Numeric(precision=12, scale=2),
                nullable=False,
                server_default="0",
            )
        )

    with op.batch_alter_table("marketplace_refund", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "clawback",
                sa.Numeric(precision=12, scale=2),
                nullable=False,
                server_default="0",
            )
        )
        batch_op.add_column(sa.Column("taken_back_in_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_marketplace_refund_taken_back_in_id"), ["taken_back_in_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_marketplace_refund_taken_back_in_id_marketplace_payout"),
            "marketplace_payout",
            ["taken_back_in_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("marketplace_refund", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_marketplace_refund_taken_back_in_id_marketplace_payout"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_marketplace_refund_taken_back_in_id"))
        batch_op.drop_column("taken_back_in_id")
        batch_op.drop_column("clawback")

    with op.batch_alter_table("marketplace_payout", schema=None) as batch_op:
        batch_op.drop_column("taken_back")
