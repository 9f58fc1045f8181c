"""rating: each listing's stored average rating, and the index the rating sort reads

Revision ID: marketplace_rating
Revises: marketplace_discovery
Create Date: 2026-12-08 00:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "marketplace_rating"
down_revision = "marketplace_discovery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "marketplace_listing", sa.Column("rating_average", sa.Numeric(3, 2), nullable=True)
    )
    # round(sum / count, 2) half up, on integers (the same rule as listing_rating.average).
    op.execute(
        "UPDATE marketplace_listing SET rating_average = "
        "CAST((rating_sum * 200 + rating_count) / (rating_count * 2) AS NUMERIC(7, 2)) / 100 "
        "WHERE rating_count > 0"
    )
    if op.get_bind().dialect.name == "postgresql":
        # NULLS LAST: unrated listings after the rated ones (SQLite's indexes cannot say it).
        op.execute(
            "CREATE INDEX ix_marketplace_listing_rating ON marketplace_listing "
            "(rating_average DESC NULLS LAST, rating_count DESC, published_at DESC, id DESC)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_marketplace_listing_rating", table_name="marketplace_listing")
    op.drop_column("marketplace_listing", "rating_average")
