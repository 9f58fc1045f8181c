"""The régie's settings, set by the platform's operator (``[plugins.ads]`` in ent.toml or
``ENT_PLUGIN_ADS__<SETTING>``; docs/ads.md, "Operating the régie")."""

from __future__ import annotations

from decimal import Decimal

from ent_core import sdk


class AdsSettings(sdk.OperatorSettings):
    """The rate card, the publishers' share and the classified ads' rules."""

    #: The slug of the workspace that runs the régie: it owns the sector portal's placements
    #: and earns their share ("": the portal carries no ads).
    regie_workspace: str = ""
    #: Rate card, HT in dirhams: per 1,000 impressions, per click, per day of a flat campaign.
    cpm_price: Decimal = Decimal("40.00")
    cpc_price: Decimal = Decimal("2.50")
    flat_day_price: Decimal = Decimal("300.00")
    #: The smallest budget a self-serve campaign may have (HT).
    minimum_budget: Decimal = Decimal("200.00")
    #: VAT rate on advertising (Morocco: 20 %).
    vat_rate: Decimal = Decimal("0.20")
    #: The publishers' share of what is spent on their placements (0..1).
    publisher_share: Decimal = Decimal("0.60")
    #: Classified ads: days online, price of one beyond the free quota, of a boost and its days.
    classified_days: int = 30
    classified_price: Decimal = Decimal("30.00")
    boost_price: Decimal = Decimal("50.00")
    boost_days: int = 7
    #: Classified ads wait for a moderator before they are published.
    premoderate_classifieds: bool = False


def settings() -> AdsSettings:
    return sdk.operator_settings("ads")  # type: ignore[no-any-return]
