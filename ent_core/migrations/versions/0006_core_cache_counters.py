"""cache and counters: a plugin's cache generation per activation, the counter batches added

Revision ID: core_0006
Revises: core_0005
Create Date: 2026-12-07 09:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0006"
down_revision = "core_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counter_batch",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("counter", sa.String(length=130), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counter_batch")),
    )
    with op.batch_alter_table("counter_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_counter_batch_applied_at"), ["applied_at"])
    # Existing activations share one first generation; the next switch gives each its own.
    with op.batch_alter_table("plugin_activation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cache_generation", sa.String(length=16), nullable=False, server_default="0")
        )
    with op.batch_alter_table("plugin_activation", schema=None) as batch_op:
        batch_op.alter_column("cache_generation", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("plugin_activation", schema=None) as batch_op:
        batch_op.drop_column("cache_generation")
    with op.batch_alter_table("counter_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_counter_batch_applied_at"))
    op.drop_table("counter_batch")
