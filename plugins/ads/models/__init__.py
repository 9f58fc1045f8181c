"""Tables of the ads plugin, one module per part of the régie.

Every tenant table carries ``workspace_id`` (``sdk.TenantMixin``) and the ``ads_`` prefix:
placements belong to the publisher's workspace, campaigns and creatives to the advertiser's,
statistics are kept twice (the advertiser's rows and the publisher's rows) so that each side
reads only its own workspace. Money is ``Numeric(12, 2)`` read as ``Decimal`` in dirhams
(MAD); what delivery counts per event (a CPM impression costs a fraction of a centime) is an
integer of micro-dirhams (1 MAD = 1,000,000 µMAD), exact in Redis counters.
"""

from __future__ import annotations

from ent_plugins.ads.models.campaigns import AdvertiserTerms, Campaign, Creative
from ent_plugins.ads.models.classifieds import ClassifiedAd, ClassifiedImage, ClassifiedReport
from ent_plugins.ads.models.history import CampaignHistory  # campaigns (helper cs)
from ent_plugins.ads.models.inventory import AdPlacement
from ent_plugins.ads.models.stats import AdBillingPeriod, CampaignStat, PlacementStat

__all__ = [
    "AdBillingPeriod",
    "AdPlacement",
    "AdvertiserTerms",
    "Campaign",
    "CampaignHistory",
    "CampaignStat",
    "ClassifiedAd",
    "ClassifiedImage",
    "ClassifiedReport",
    "Creative",
    "PlacementStat",
]
