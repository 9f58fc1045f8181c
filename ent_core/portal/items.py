"""What the portal shows: ``PortalItem`` objects from every plugin, merged and filtered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app

from ent_core.db import db

#: At most this many hook rounds per page: hidden items make a round return fewer than asked.
MAX_ROUNDS = 5


@dataclass(frozen=True, slots=True)
class PortalItem:
    """One syndicated item: ``key`` is stable and unique across plugins (``plugin:kind:id``)."""

    key: str
    title: str
    url: str
    published_at: datetime
    sector: str
    workspace_name: str
    summary: str = ""
    language: str = "fr"
    kind: str = "article"
    image_url: str | None = None


@dataclass(frozen=True, slots=True)
class PortalPage:
    """A page of the portal: its items, newest first, and the cursor of the next page."""

    items: list[PortalItem]
    next_before: datetime | None


def _safe_url(url: str) -> bool:
    """Only web links and site paths reach an ``href`` (no ``javascript:``, no ``data:``)."""
    lowered = url.strip().lower()
    return lowered.startswith(("https://", "http://")) or (
        lowered.startswith("/") and not lowered.startswith("//")
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def hidden_keys() -> set[str]:
    from ent_core.portal.models import PortalHiddenItem

    return set(db.session.scalars(db.select(PortalHiddenItem.key)))


def _ask(sector: str | None, limit: int, before: datetime | None) -> list[PortalItem]:
    batches = current_app.extensions["ent"].hook.ent_portal_items(
        sector=sector, limit=limit, before=before
    )
    items = [i for batch in batches for i in batch or () if isinstance(i, PortalItem)]
    return [i for i in items if (sector is None or i.sector == sector) and _safe_url(i.url)]


def portal_page(sector: str | None, limit: int = 20, before: datetime | None = None) -> PortalPage:
    """The newest ``limit`` visible items of ``sector`` (every sector: ``None``) before a time.

    Each plugin answers at most ``limit + 1`` items; the core merges them newest first. When
    hidden items thin a round out, it asks again from the oldest item seen, a few times at most.
    """
    hidden = hidden_keys()
    kept: dict[str, PortalItem] = {}
    cursor = before
    for _round in range(MAX_ROUNDS):
        answered = _ask(sector, limit + 1, cursor)
        if not answered:
            break
        for item in answered:
            if item.key not in hidden:
                kept.setdefault(item.key, item)
        if len(kept) > limit or len(answered) <= limit:
            break
        cursor = min(_aware(i.published_at) for i in answered)
    ordered = sorted(kept.values(), key=lambda i: (_aware(i.published_at), i.key), reverse=True)
    page = ordered[:limit]
    more = len(ordered) > limit
    return PortalPage(page, _aware(page[-1].published_at) if more and page else None)


def public_workspace_ids(plugin: str) -> Any:
    """A subquery of the ids of approved workspaces where ``plugin`` is switched on.

    Platform-wide public listings (the portal) filter on it: no current workspace limits them.
    """
    from ent_core.workspaces.models import PluginActivation, Workspace

    return (
        db.select(PluginActivation.workspace_id)
        .join(Workspace, Workspace.id == PluginActivation.workspace_id)
        .where(
            PluginActivation.plugin == plugin,
            PluginActivation.enabled.is_(True),
            Workspace.status == "approved",
        )
        .execution_options(ent_all_workspaces=True)
        .scalar_subquery()
    )
