"""The edit lock: one person edits an article at a time; the lock expires on its own.

Opening the editor takes the lock (or shows who holds it); each save extends it; leaving the
editor with "Done" releases it. Editors may take over a lock held by someone else: the old
holder's next save is refused (their text is kept in the form) and the override is audited.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ent_plugins.publishing.models import Article
from ent_plugins.publishing.timezones import local_text

from ent_core import sdk

LOCK_DURATION = timedelta(minutes=20)


class LockHeld(sdk.UserError):
    """Someone else holds the article's edit lock: 409 ``locked``, saying who and until when."""

    default_status = 409

    def __init__(self, article: Article) -> None:
        holder = article.locked_by.display_name if article.locked_by else "?"
        expires = article.lock_expires_at
        message = sdk._(
            "%(name)s is editing this article until %(time)s.",
            name=holder,
            time=local_text(expires)[-5:],
        )
        details = {"locked_by": holder, "expires_at": expires.isoformat() if expires else None}
        super().__init__("locked", message, details=details)
        self.article = article
        self.holder = holder


def holder(article: Article) -> Any:
    """The user holding a live lock, or ``None`` when the article is free."""
    if article.locked_by_id is None or article.lock_expires_at is None:
        return None
    if _aware(article.lock_expires_at) <= sdk.utcnow():
        return None
    return article.locked_by


def held_by_other(article: Article, user: Any) -> bool:
    current = holder(article)
    return current is not None and current.id != user.id


def check_can_write(article: Article, user: Any) -> None:
    if held_by_other(article, user):
        raise LockHeld(article)


def acquire(article: Article, user: Any, *, override: bool = False) -> None:
    """Take (or extend) the lock; ``override`` takes it from someone else (editors only)."""
    if held_by_other(article, user):
        if not override:
            raise LockHeld(article)
        if not sdk.has_permission("publishing.override_lock"):
            raise PermissionError("publishing.override_lock")
        sdk.audit(
            "publishing.lock.overridden",
            subject=f"article:{article.id}",
            details={"previous_holder": article.locked_by_id},
        )
    refresh(article, user)
    sdk.db.session.commit()


def duration() -> timedelta:
    """How long a lock lasts in this workspace (setting ``lock_minutes``)."""
    try:
        minutes = int(sdk.plugin_settings("publishing").get("lock_minutes") or 0)
    except (RuntimeError, TypeError, ValueError):
        minutes = 0
    return timedelta(minutes=minutes) if minutes > 0 else LOCK_DURATION


def refresh(article: Article, user: Any) -> None:
    """Hold the lock for another ``duration()`` (not committed)."""
    article.locked_by_id = user.id
    article.lock_expires_at = sdk.utcnow() + duration()


def release(article: Article, user: Any) -> None:
    """Let go of the lock if ``user`` holds it (others' locks are left alone)."""
    if article.locked_by_id == user.id:
        article.locked_by_id = None
        article.lock_expires_at = None
        sdk.db.session.commit()


def _aware(value: Any) -> Any:
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
