"""workspace vetting: the application (legal identifiers, decision) and its documents

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-11-27 18:45:12.730665
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0002"
down_revision = "core_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workspace_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identifiers", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submission_count", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_workspace_application_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["user_account.id"],
            name=op.f("fk_workspace_application_submitted_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_workspace_application_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspace_application")),
        sa.UniqueConstraint("workspace_id", name=op.f("uq_workspace_application_workspace_id")),
    )
    with op.batch_alter_table("workspace_application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workspace_application_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "workspace_application_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["workspace_application.id"],
            name=op.f("fk_workspace_application_document_application_id_workspace_application"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_workspace_application_document_uploaded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_workspace_application_document_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspace_application_document")),
    )
    with op.batch_alter_table("workspace_application_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workspace_application_document_application_id"),
            ["application_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_workspace_application_document_workspace_id"),
            ["workspace_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("workspace_application_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workspace_application_document_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_workspace_application_document_application_id"))

    op.drop_table("workspace_application_document")
    with op.batch_alter_table("workspace_application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workspace_application_workspace_id"))

    op.drop_table("workspace_application")
