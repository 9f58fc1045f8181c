"""A test plugin that fills the publishing pages' slots, to prove the slots work.

Switched on per workspace like any plugin (``enable(ws, "slotfill")``); off, it says nothing.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ent_core import sdk

meta = sdk.PluginMeta(name="slotfill", version="1.0.0", label="Slot fill", compatibility=">=0.1")


@sdk.hookimpl
def ent_template_slot(slot: str, context: dict[str, Any]) -> Any:
    if slot == "publishing.article.aside":
        return Markup('<p class="slotfill-aside">aside for {}</p>').format(context["article"].title)
    if slot == "publishing.byline":
        names = ", ".join(a.name for a in context["authors"])
        return Markup('<span class="slotfill-byline">byline of {}</span>').format(names)
    if slot == "publishing.home.top":
        return Markup('<p class="slotfill-home">home of {}</p>').format(context["site"].name)
    return None
