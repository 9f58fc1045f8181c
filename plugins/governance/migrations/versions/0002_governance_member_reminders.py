"""members: when the last dues reminder was mailed

Revision ID: governance_0002_gm
Revises: governance_0001
Create Date: 2026-12-07 12:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "governance_0002_gm"
down_revision = "governance_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("governance_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("governance_member", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
