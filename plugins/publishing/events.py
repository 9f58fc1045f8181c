"""The events the newsroom announces (docs/plugin_hooks.md, "Events")."""

from __future__ import annotations

from typing import Any

from ent_plugins.publishing.urls import public_url

from ent_core import sdk

EVENT_TYPES = [
    sdk.EventType(
        "article.published",
        "An article went public: published by an editor, or by the schedule when its time came.",
        {
            "article_id": sdk.EventField(int, "the article's id"),
            "title": sdk.EventField(str, "the article's title"),
            "url": sdk.EventField(str, "the article's absolute public address"),
            "published_at": sdk.EventField(str, "when it went public, ISO 8601 in UTC"),
            "scheduled": sdk.EventField(bool, "true when the schedule published it"),
        },
    )
]


def article_published(article: Any, *, scheduled: bool) -> None:
    """Emit ``article.published`` for ``article`` in its workspace (inside the transaction)."""
    sdk.emit(
        "article.published",
        workspace=article.workspace,
        article_id=article.id,
        title=article.title,
        url=public_url(article),
        published_at=article.published_at.isoformat(),
        scheduled=scheduled,
    )
