"""The ad slots' markup: where a page joined the network, an empty box and ads.js.

Nothing is decided while the page renders (ads.js asks ``/ads/d`` from the reader's browser),
so the markup depends only on the place, the page's context and the language: pages stay
cacheable, and the portal's ETag, which covers its slots, changes only when they do.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.ads.models import AdPlacement
from ent_plugins.ads.settings import settings
from flask import render_template
from markupsafe import Markup

from ent_core import sdk


def _slots_by_template(slot: str) -> list[Any]:
    return [place for place in sdk.ad_slots().values() if place.slot == slot]


def slot_markup(slot: str, context: dict[str, Any]) -> Markup | None:
    """``ent_template_slot``: the boxes of the workspace's (or, on the portal, the régie's)
    active placements of the places that fill ``slot``; ``None`` where there are none."""
    places = _slots_by_template(slot)
    if not places:
        return None
    codes = [place.code for place in places]
    platform = any(place.platform for place in places)
    if platform:
        found, sectors = _regie_placements(codes), _context_sector(context)
    else:
        workspace = sdk.current_workspace()
        if workspace is None:
            return None
        found = sdk.db.session.scalars(
            sdk.scoped(AdPlacement)
            .where(AdPlacement.code.in_(codes), AdPlacement.active.is_(True))
            .order_by(AdPlacement.id)
        ).all()
        sectors = ",".join(s.code for s in workspace.sectors)
    if not found:
        return None
    tags, language = _context_subject(context)
    return Markup(  # noqa: S704 - a template of ours, rendered with autoescape
        render_template(
            "ads/delivery/_slot.html",
            placements=[(p.public_id, " ".join(p.sizes)) for p in found],
            sector=sectors,
            tags=",".join(tags),
            language=language,
        )
    )


def _regie_placements(codes: list[str]) -> list[Any]:
    """The régie's active placements of the portal's places, if it runs ads at all."""
    slug = settings().regie_workspace
    if not slug:
        return []
    regie = [found.id for found in sdk.workspace_names(slugs=[slug]).values()]
    if not regie:
        return []
    with sdk.all_workspaces():
        return list(
            sdk.db.session.scalars(
                sdk.db.select(AdPlacement)
                .where(
                    AdPlacement.code.in_(codes),
                    AdPlacement.active.is_(True),
                    AdPlacement.workspace_id.in_(sdk.public_workspace_ids("ads")),
                    AdPlacement.workspace_id == regie[0],
                )
                .order_by(AdPlacement.id)
            ).all()
        )


def _context_sector(context: dict[str, Any]) -> str:
    sector = context.get("sector")
    return sector if isinstance(sector, str) else ""


def _context_subject(context: dict[str, Any]) -> tuple[list[str], str]:
    """Tags and language of what the page shows (an ``article``, or any object of the
    context with ``tags``/``language``): what contextual targeting reads, nothing else."""
    tags: list[str] = []
    language = ""
    for value in context.values():
        found = getattr(value, "tags", None)
        if found and not tags and not isinstance(found, str):
            tags = [_tag_name(t) for t in found][:20]
        lang = getattr(value, "language", None)
        if isinstance(lang, str) and lang and not language:
            language = lang[:5]
    return [t for t in tags if t], language


def _tag_name(tag: Any) -> str:
    if isinstance(tag, str):
        return tag.strip().lower()
    for attribute in ("name", "slug", "label"):
        value = getattr(tag, attribute, None)
        if isinstance(value, str):
            return value.strip().lower()
    return ""
