"""Publishing: metadata and the hooks through which it joins the platform."""

from __future__ import annotations

from ent_core import sdk

meta = sdk.PluginMeta(
    name="publishing",
    version="0.1.0",
    label=sdk._l("Publishing"),
    description=sdk._l("Newsroom workflow, public site, feeds and the sector portal."),
    category="content",
    compatibility=">=0.1,<1",
)
