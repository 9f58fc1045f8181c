"""A plugin that requires alpha and fills the same slot (ordering checks)."""

from __future__ import annotations

from typing import Any

from ent_core import sdk

meta = sdk.PluginMeta(name="beta", version="0.1.0", label="Beta", requires=("alpha",))


@sdk.hookimpl
def ent_template_slot(slot: str, context: dict[str, Any]) -> Any:
    if slot == "test.slot":
        return "<i>beta</i>"
    return None
