"""A plugin with its own static file, a public page on the public layout (every block filled)
and the portal's slots filled (tests/test_assets.py)."""

from __future__ import annotations

from typing import Any

from flask import render_template
from markupsafe import Markup, escape

from ent_core import sdk

meta = sdk.PluginMeta(name="easel", version="1.0.0", label="Easel", compatibility=">=0.1")

public = sdk.PublicBlueprint("easel_public", __name__, template_folder="templates")


@public.get("/")
def page() -> str:
    return render_template("easel/page.html")


@sdk.hookimpl
def ent_blueprints() -> list[Any]:
    return [public]


@sdk.hookimpl
def ent_template_slot(slot: str, context: dict[str, Any]) -> Any:
    if slot == "portal.head":
        href = sdk.asset_url("easel/easel.css", plugin="easel")
        return Markup('<link rel="stylesheet" href="%s">') % href
    if slot == "portal.sidebar":
        return Markup('<p class="easel-sidebar">sidebar of %s</p>') % (context["sector"] or "all")
    if slot == "portal.after_items":
        count = len(context["page"].items)
        return Markup('<p class="easel-after">%s items</p>') % escape(count)
    return None
