"""election office of a vote

Revision ID: governance_0004_gv
Revises: governance_0002_gp
Create Date: 2026-12-07 12:25:52.566454
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "governance_0004_gv"
down_revision = "governance_0002_gn"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("governance_vote", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_governance_vote_office_id_governance_office"),
            "governance_office",
            ["office_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("governance_vote", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_governance_vote_office_id_governance_office"), type_="foreignkey"
        )
        batch_op.drop_column("office_id")
