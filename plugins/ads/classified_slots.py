"""Boxes of the latest classified ads in other pages' slots.

- ``portal.sidebar`` (a platform slot): the latest ads of the portal page's sector (every
  board on the portal's home). The markup depends only on the ads listed (no token, no
  relative time), so the portal's ETag changes only when they do.
- ``publishing.article.aside``: the board of the article's sector on a publication's site.
- ``publishing.home.classifieds``: the same on the site's home (a slot this part declares in
  publishing's home template; docs/plugin_hooks.md).
"""

from __future__ import annotations

from typing import Any

from ent_plugins.ads.catalogues import CLASSIFIED_KINDS
from ent_plugins.ads.classified_boards import latest
from ent_plugins.ads.classifieds import boosted
from flask import render_template
from markupsafe import Markup

from ent_core import sdk

BOX_SIZE = 5
SLOTS = ("portal.sidebar", "publishing.article.aside", "publishing.home.classifieds")


def _site_sector(context: dict[str, Any]) -> str | None:
    """The article's first sector, else the publication's."""
    article = context.get("article")
    codes = list(getattr(article, "sectors", None) or [])
    if codes:
        first = codes[0]
        return str(getattr(first, "code", first))
    workspace = sdk.current_workspace()
    sectors = list(getattr(workspace, "sectors", None) or [])
    return sectors[0].code if sectors else None


def slot_markup(slot: str, context: dict[str, Any]) -> Markup | None:
    """The box for ``slot``, or None (nothing to show, or not a slot of ours)."""
    if slot not in SLOTS:
        return None
    if slot == "portal.sidebar":
        sector = context.get("sector")
    else:
        sector = _site_sector(context)
        if sector is None:
            return None
    ads = latest(sector, BOX_SIZE)
    if not ads:
        return None
    html = render_template(
        "ads/boards/_box.html",
        ads=ads,
        sector=sector,
        boosted=boosted,
        slot=slot,
        kinds=CLASSIFIED_KINDS,
        sector_label=sdk.sector_label,
    )
    return Markup(html)  # noqa: S704 - a template rendered with autoescape
