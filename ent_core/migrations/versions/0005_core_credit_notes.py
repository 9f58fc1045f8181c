"""credit notes

Revision ID: core_0005
Revises: core_0004
Create Date: 2026-12-07 06:57:28.421848
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ent_core.billing.money

revision = "core_0005"
down_revision = "core_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "billing_credit_note_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_billing_credit_note_counter")),
    )
    op.create_table(
        "billing_credit_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("subtotal", ent_core.billing.money.Money(precision=14, scale=2), nullable=False),
        sa.Column("vat_total", ent_core.billing.money.Money(precision=14, scale=2), nullable=False),
        sa.Column("total", ent_core.billing.money.Money(precision=14, scale=2), nullable=False),
        sa.Column(
            "sponsor_share", ent_core.billing.money.Money(precision=14, scale=2), nullable=False
        ),
        sa.Column(
            "subscriber_share", ent_core.billing.money.Money(precision=14, scale=2), nullable=False
        ),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["billing_invoice.id"],
            name=op.f("fk_billing_credit_note_invoice_id_billing_invoice"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["user_account.id"],
            name=op.f("fk_billing_credit_note_issued_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["billing_subsidy_programme.id"],
            name=op.f("fk_billing_credit_note_programme_id_billing_subsidy_programme"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_billing_credit_note_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_credit_note")),
        sa.UniqueConstraint("number", name=op.f("uq_billing_credit_note_number")),
    )
    with op.batch_alter_table("billing_credit_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_billing_credit_note_invoice_id"), ["invoice_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_billing_credit_note_workspace_id"), ["workspace_id"], unique=False
        )

    with op.batch_alter_table("billing_invoice", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "credited",
                ent_core.billing.money.Money(precision=14, scale=2),
                server_default="0",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("billing_invoice", schema=None) as batch_op:
        batch_op.drop_column("credited")

    with op.batch_alter_table("billing_credit_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_credit_note_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_billing_credit_note_invoice_id"))

    op.drop_table("billing_credit_note")
    op.drop_table("billing_credit_note_counter")
