"""refunds: a credit note remembers the refund its provider made

Revision ID: core_0007
Revises: core_0006
Create Date: 2026-12-07 09:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0007"
down_revision = "core_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("billing_credit_note", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refund_provider", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("refund_reference", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("billing_credit_note", schema=None) as batch_op:
        batch_op.drop_column("refunded_at")
        batch_op.drop_column("refund_reference")
        batch_op.drop_column("refund_provider")
