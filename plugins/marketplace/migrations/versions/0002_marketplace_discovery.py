"""discovery: the search documents of listings (folded words; a GIN index on PostgreSQL)

Revision ID: marketplace_discovery
Revises: marketplace_0001
Create Date: 2026-12-08 00:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "marketplace_discovery"
down_revision = "marketplace_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "marketplace_listing_search",
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["marketplace_listing.id"],
            name=op.f("fk_marketplace_listing_search_listing_id_marketplace_listing"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("listing_id", name=op.f("pk_marketplace_listing_search")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_marketplace_listing_search_tsv ON marketplace_listing_search "
            "USING gin (to_tsvector('simple', document))"
        )
    # No listing predates this revision (it ships in the marketplace's first release);
    # from here on an ORM event writes each listing's document at flush.


def downgrade() -> None:
    op.drop_table("marketplace_listing_search")
