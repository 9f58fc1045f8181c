"""A plugin the Marketplace add-on entitles, counting a quota of its own (the real one is not
installed in the core's tests: without it the add-on would be neither shown nor sold)."""

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
