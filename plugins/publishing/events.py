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
    ),
    sdk.EventType(
        "article.promotion_requested",
        "An editor asked to promote a published article (the ads module drafts a campaign).",
        {
            "article_id": sdk.EventField(int, "the article's id"),
            "title": sdk.EventField(str, "the article's title"),
            "url": sdk.EventField(str, "the article's absolute public address"),
            "summary": sdk.EventField(str, "a plain-text summary of the article"),
            "image_url": sdk.EventField(
                str, "the absolute address of its cover picture", optional=True
            ),
            "image_key": sdk.EventField(
                str, "the cover's upload key, to copy it (sdk.open_upload)", optional=True
            ),
            "requested_by": sdk.EventField(int, "the user id of who asked"),
        },
    ),
]
#: Where promoting leads: a module subscribed to this event (the ads module drafts a campaign).
PROMOTION = "article.promotion_requested"


def may_promote(article: Any) -> bool:
    """A published article, in a workspace where some module hears the promotion request."""
    return article.publication_state == "published" and sdk.event_heard(
        PROMOTION, workspace=article.workspace
    )


def promotion_requested(article: Any, user: Any) -> None:
    """Emit ``article.promotion_requested`` (inside the transaction): the listener drafts."""
    from ent_plugins.publishing.seo import description_of

    cover = article.cover_key_for(960) if article.cover_key else None
    sdk.emit(
        PROMOTION,
        workspace=article.workspace,
        article_id=article.id,
        title=article.title,
        url=public_url(article),
        summary=description_of(article)[:300],
        image_url=sdk.external_url(
            "publishing_public.cover",
            workspace=article.workspace.slug,
            article_id=article.id,
            width=960,
        )
        if cover
        else None,
        image_key=cover,
        requested_by=user.id,
    )


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
