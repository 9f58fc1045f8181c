"""The platform's categories of listings, per sector, with the commission on each."""

from __future__ import annotations

from decimal import Decimal

from ent_plugins.marketplace.catalogues import DEFAULT_CATEGORIES
from ent_plugins.marketplace.models import MarketplaceCategory

from ent_core import sdk


def seed_categories() -> int:
    """Insert the default categories that are missing (by code); returns how many. The first
    migration inserts them too; tests and ``ent demo`` call this after wiping tables."""
    known = set(sdk.db.session.scalars(sdk.db.select(MarketplaceCategory.code)))
    added = 0
    for position, (code, sector, fr, en, ar, rate) in enumerate(DEFAULT_CATEGORIES):
        if code in known:
            continue
        sdk.db.session.add(
            MarketplaceCategory(
                code=code,
                sector=sector,
                names={"fr": fr, "en": en, "ar": ar},
                commission_rate=Decimal(rate),
                position=position,
                active=True,
            )
        )
        added += 1
    if added:
        sdk.db.session.flush()
    return added


def active_categories(sector: str | None = None) -> list[MarketplaceCategory]:
    """The categories listings may use, in the operator's order (of one sector if given)."""
    query = sdk.db.select(MarketplaceCategory).where(MarketplaceCategory.active.is_(True))
    if sector:
        query = query.where(MarketplaceCategory.sector == sector)
    return list(
        sdk.db.session.scalars(
            query.order_by(MarketplaceCategory.position, MarketplaceCategory.code)
        )
    )


def category_by_code(code: str) -> MarketplaceCategory | None:
    return sdk.db.session.scalar(
        sdk.db.select(MarketplaceCategory).where(MarketplaceCategory.code == code)
    )
