"""A plugin the Marketplace add-on entitles besides the bundled marketplace, counting the same
quota under the same label: the core's tests of plans, add-ons and quotas do not depend on
the marketplace plugin's own metadata."""

from __future__ import annotations

from ent_core import sdk

meta = sdk.PluginMeta(
    name="stall",
    version="0.1.0",
    label="Stall",
    plan_feature="marketplace",
    quotas=(sdk.PlanQuota("marketplace_listings_per_month", "Listings a month"),),
    order=210,
)
