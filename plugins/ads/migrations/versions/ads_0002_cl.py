"""classified ads: body format, reporter key, payments

Revision ID: ads_0002_cl
Revises: ads_0002_cs
Create Date: 2026-12-07 16:05:41.272575
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ads_0002_cl"
down_revision = "ads_0002_cs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ads_classified_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("classified_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=8), nullable=False),
        sa.Column("invoice_number", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["classified_id"],
            ["ads_classified.id"],
            name=op.f("fk_ads_classified_payment_classified_id_ads_classified"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_ads_classified_payment_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ads_classified_payment")),
        sa.UniqueConstraint(
            "invoice_number", name=op.f("uq_ads_classified_payment_invoice_number")
        ),
    )
    with op.batch_alter_table("ads_classified_payment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ads_classified_payment_classified_id"), ["classified_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ads_classified_payment_workspace_id"), ["workspace_id"], unique=False
        )

    with op.batch_alter_table("ads_classified", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("body_format", sa.String(length=8), nullable=False, server_default="text")
        )

    with op.batch_alter_table("ads_classified_report", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reporter_key", sa.String(length=80), nullable=False, server_default="")
        )
        batch_op.create_index(
            batch_op.f("ix_ads_classified_report_reporter_key"), ["reporter_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ads_classified_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_classified_report_reporter_key"))
        batch_op.drop_column("reporter_key")

    with op.batch_alter_table("ads_classified", schema=None) as batch_op:
        batch_op.drop_column("body_format")

    with op.batch_alter_table("ads_classified_payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ads_classified_payment_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_ads_classified_payment_classified_id"))

    op.drop_table("ads_classified_payment")
