"""Tables of the marketplace plugin (``marketplace_`` prefix), one module per part.

Every tenant row belongs to the **seller's** workspace: listings, orders, their messages,
reviews and payouts. Categories are the platform's. Money is ``Numeric(12, 2)`` read as
``Decimal`` in dirhams (MAD); rates are fractions (``Numeric(5, 4)``: 0.2000 = 20 %).
"""

from __future__ import annotations

from ent_plugins.marketplace.models.listings import (
    Listing,
    ListingImage,
    ListingReport,
    ListingSlot,
    ListingTranslation,
    ListingVariant,
    MarketplaceCategory,
    SellerProfile,
)
from ent_plugins.marketplace.models.money import Payout, Refund
from ent_plugins.marketplace.models.orders import (
    Order,
    OrderAttachment,
    OrderEvent,
    OrderLine,
    OrderMessage,
)
from ent_plugins.marketplace.models.reviews import Review, ReviewReport

__all__ = [
    "Listing",
    "ListingImage",
    "ListingReport",
    "ListingSlot",
    "ListingTranslation",
    "ListingVariant",
    "MarketplaceCategory",
    "Order",
    "OrderAttachment",
    "OrderEvent",
    "OrderLine",
    "OrderMessage",
    "Payout",
    "Refund",
    "Review",
    "ReviewReport",
    "SellerProfile",
]
