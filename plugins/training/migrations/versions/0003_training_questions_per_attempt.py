"""questions per attempt

Revision ID: training_0003
Revises: training_0002
Create Date: 2026-11-27 22:10:00.000000

``training_assessment.questions_per_attempt``: a quiz may draw a random subset of its questions
for each attempt (empty or 0: every question, as before this revision).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "training_0003"
down_revision = "training_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("training_assessment") as batch:
        batch.add_column(sa.Column("questions_per_attempt", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("training_assessment") as batch:
        batch.drop_column("questions_per_attempt")
