"""Project updates: the description of their photos (alt text)

Revision ID: governance_0002_gp
Revises: governance_0001
Create Date: 2026-12-07 12:51:27.979237
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "governance_0002_gp"
down_revision = "governance_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("governance_project_update", schema=None) as batch_op:
        batch_op.add_column(sa.Column("photos_alt", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("governance_project_update", schema=None) as batch_op:
        batch_op.drop_column("photos_alt")
