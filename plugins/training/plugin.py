"""Training: metadata and the hooks through which it joins the platform."""

from __future__ import annotations

from ent_core import sdk

meta = sdk.PluginMeta(
    name="training",
    version="0.1.0",
    label=sdk._l("Training"),
    description=sdk._l("Courses, cohorts, assessments and verifiable certificates."),
    category="training",
    compatibility=">=0.1,<1",
)
