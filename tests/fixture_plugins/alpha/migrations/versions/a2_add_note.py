"""alpha: add alpha_item.note

Revision ID: a2
Revises: a1
"""

import sqlalchemy as sa
from alembic import op

revision = "a2"
down_revision = "a1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alpha_item") as batch:
        batch.add_column(sa.Column("note", sa.String(200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("alpha_item") as batch:
        batch.drop_column("note")
