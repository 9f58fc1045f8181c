"""The marketplace's rules, set by the platform's operator (``[plugins.marketplace]`` in
ent.toml or ``ENT_PLUGIN_MARKETPLACE__<SETTING>``; docs/marketplace.md, "Operating")."""

from __future__ import annotations

from decimal import Decimal

from ent_core import sdk


class MarketplaceSettings(sdk.OperatorSettings):
    """Timeouts, review rules and payouts; commissions are per category (admin pages)."""

    #: The VAT rate a listing gets unless its seller says otherwise (Morocco: 20 %).
    default_vat_rate: Decimal = Decimal("0.20")
    #: The operator reviews a seller's first listings, this many, before they publish.
    first_listings_reviewed: int = 3
    #: Minutes a booking's slot is held while the buyer pays.
    hold_minutes: int = 15
    #: Days an unpaid order keeps its stock (bank transfers take a few days).
    payment_days: int = 5
    #: Days a seller has to answer an inquiry before it expires.
    inquiry_days: int = 7
    #: Days a quote stays valid for the buyer to accept.
    quote_days: int = 14
    #: Days after delivery an order completes if the buyer neither confirms nor disputes.
    complete_after_days: int = 7
    #: Days after completion both reviews are published even if one is missing.
    review_days: int = 14
    #: Hours a download link works, and how many downloads an order line allows.
    download_hours: int = 48
    download_limit: int = 5
    #: Payout periods: ``month`` (calendar months).
    payout_period: str = "month"


def settings() -> MarketplaceSettings:
    return sdk.operator_settings("marketplace")  # type: ignore[no-any-return]
