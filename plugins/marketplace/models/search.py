"""The search document of each listing: its words folded (accents, Arabic marks) once, so
that a query finds "créé" as "cree" and "أخبار" as "اخبار" on both databases.

Not a tenant row: it is derived from a listing (same id) and read only joined to the
listings that ``visibility.visible_listings`` lets through.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ent_core import sdk


class ListingSearchDocument(sdk.db.Model):
    """Title, description, translations, category and location of a listing, folded."""

    __tablename__ = "marketplace_listing_search"
    __table_args__ = (
        # PostgreSQL: full-text index on the folded words ('simple': no stemming, any
        # language); SQLite matches the same column with LIKE (docs/marketplace.md, "Search").
        Index(
            "ix_marketplace_listing_search_tsv",
            text("to_tsvector('simple', document)"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )

    listing_id: Mapped[int] = mapped_column(
        ForeignKey("marketplace_listing.id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[str] = mapped_column(Text, default="")
