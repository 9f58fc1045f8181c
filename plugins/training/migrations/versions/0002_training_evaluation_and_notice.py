"""evaluation requests and certificate notices

Revision ID: training_0002
Revises: training_0001
Create Date: 2026-11-27 21:50:00.000000

``training_enrolment.evaluation_requested_at``: the learners the cohort's certificate job has
to look at (one job per cohort instead of one per learner). ``training_certificate.notified_at``:
certificate-ready mails still due; certificates issued before this revision count as told.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "training_0002"
down_revision = "training_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("training_enrolment") as batch:
        batch.add_column(
            sa.Column("evaluation_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.create_index(
            batch.f("ix_training_enrolment_evaluation_requested_at"), ["evaluation_requested_at"]
        )
    with op.batch_alter_table("training_certificate") as batch:
        batch.add_column(sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE training_certificate SET notified_at = issued_at")


def downgrade() -> None:
    with op.batch_alter_table("training_certificate") as batch:
        batch.drop_column("notified_at")
    with op.batch_alter_table("training_enrolment") as batch:
        batch.drop_index(batch.f("ix_training_enrolment_evaluation_requested_at"))
        batch.drop_column("evaluation_requested_at")
