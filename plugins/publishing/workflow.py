"""The two state machines of an article: the editorial one and the publication one.

Editorial: draft → in_review → changes_requested | approved (``submit``, ``request_changes``,
``approve``). Publication: unpublished | withdrawn → scheduled → published → withdrawn
(``publish``, ``schedule``, ``unschedule``, ``withdraw``). They are kept apart so that a
published article can go back through review while readers still see the published text.

Who may apply a transition is a permission (see plugin.py): contributors write and submit,
authors publish their own articles, editors (and owners, admins) review and publish any —
straight from draft if they wish.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ent_plugins.publishing.events import article_published
from ent_plugins.publishing.models import Article
from sqlalchemy import update

from ent_core import sdk

TRANSITIONS = (
    "submit",
    "request_changes",
    "approve",
    "publish",
    "schedule",
    "unschedule",
    "withdraw",
)


@dataclass(frozen=True, slots=True)
class Rule:
    """A transition: the field it moves, the states it leaves from and the state it reaches."""

    field: str
    sources: tuple[str, ...]
    target: str


RULES: dict[str, Rule] = {
    "submit": Rule("editorial_state", ("draft", "changes_requested"), "in_review"),
    "request_changes": Rule("editorial_state", ("in_review", "approved"), "changes_requested"),
    "approve": Rule("editorial_state", ("in_review",), "approved"),
    "publish": Rule("publication_state", ("unpublished", "scheduled", "withdrawn"), "published"),
    "schedule": Rule("publication_state", ("unpublished", "scheduled", "withdrawn"), "scheduled"),
    "unschedule": Rule("publication_state", ("scheduled",), "unpublished"),
    "withdraw": Rule("publication_state", ("published",), "withdrawn"),
}


class TransitionError(sdk.UserError):
    """A refused transition; ``details.allowed`` lists the transitions that remain possible.

    A schedule without a valid time blames the ``at`` field.
    """

    default_status = 409

    def __init__(self, code: str, message: str, status: int, allowed: list[str]) -> None:
        field = "at" if code == "validation_error" else None
        super().__init__(code, message, status, field=field, details={"allowed": allowed})
        self.allowed = allowed


def is_own(article: Article, user: Any) -> bool:
    """The user wrote it: created it, or is one of its bylines."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if article.created_by_id == user.id:
        return True
    return any(author.user_id == user.id for author in article.authors)


def may_publish(article: Article, user: Any) -> bool:
    """Editors publish any article; authors their own; contributors none."""
    if sdk.has_permission("publishing.publish"):
        return True
    return sdk.has_permission("publishing.publish_own") and is_own(article, user)


def may_apply(article: Article, name: str, user: Any) -> bool:
    """Whether ``user`` holds the right for ``name`` on this article (states aside)."""
    if name == "submit":
        return sdk.has_permission("publishing.review") or (
            sdk.has_permission("publishing.write") and is_own(article, user)
        )
    if name in ("request_changes", "approve"):
        return sdk.has_permission("publishing.review")
    return may_publish(article, user)


def state_allows(article: Article, name: str) -> bool:
    rule = RULES.get(name)
    return rule is not None and getattr(article, rule.field) in rule.sources


def allowed_transitions(article: Article, user: Any) -> list[str]:
    """The transitions ``user`` may apply now, in the order of ``TRANSITIONS``."""
    return [
        name
        for name in TRANSITIONS
        if state_allows(article, name) and may_apply(article, name, user)
    ]


def check(article: Article, name: str, user: Any, *, at: datetime | None = None) -> datetime | None:
    """Refuse what may not happen (``TransitionError``); returns ``at`` in UTC for a schedule.

    Refused by the states: 409 ``invalid_transition``; by the role: 403 ``forbidden``; a
    schedule without a future time: 422 ``validation_error``. All carry ``allowed``.
    """
    allowed = allowed_transitions(article, user)
    if not state_allows(article, name):
        raise TransitionError(
            "invalid_transition",
            sdk._("This transition is not possible from the article's current state."),
            409,
            allowed,
        )
    if not may_apply(article, name, user):
        raise TransitionError(
            "forbidden", sdk._("Your role does not allow this transition."), 403, allowed
        )
    if name != "schedule":
        return None
    if at is None:
        raise TransitionError(
            "validation_error", sdk._("Give the date and time of publication."), 422, allowed
        )
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    if at <= sdk.utcnow():
        raise TransitionError(
            "validation_error", sdk._("The publication time must be in the future."), 422,
            allowed,
        )  # fmt: skip
    return at


def apply(article: Article, name: str, user: Any, *, at: datetime | None = None) -> None:
    """Check, then move the article (not committed); raises ``TransitionError`` when refused."""
    at = check(article, name, user, at=at)
    _move(article, name, at)


def _move(article: Article, name: str, at: datetime | None) -> None:
    now = sdk.utcnow()
    rule = RULES[name]
    before = getattr(article, rule.field)
    setattr(article, rule.field, rule.target)
    if name == "publish":
        # Publishing is an approval by someone entitled to publish.
        article.editorial_state = "approved"
        article.publish_at = None
        article.published_at = article.published_at or now
        article_published(article, scheduled=False)
    elif name == "schedule":
        article.editorial_state = "approved"
        article.publish_at = at
    elif name == "unschedule":
        article.publish_at = None
    if rule.field == "publication_state":
        sdk.audit(
            f"publishing.article.{name}",
            subject=f"article:{article.id}",
            details={
                "from": before,
                "to": rule.target,
                "publish_at": at.isoformat() if at else None,
            },
        )
    article.updated_at = now


def _claim(article: Article, name: str) -> bool:
    """Move the state column in the database only if nobody moved it meanwhile.

    Two editors pressing "Publish" at once (or a double click) both pass ``check``; the
    conditional UPDATE lets exactly one of them through, the other gets a 409.
    """
    rule = RULES[name]
    column = getattr(Article, rule.field)
    result = sdk.db.session.execute(
        update(Article)
        .where(Article.id == article.id, column == getattr(article, rule.field))
        .values({rule.field: rule.target})
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def run(article: Article, name: str, user: Any, *, at: datetime | None = None) -> None:
    """Check, claim, apply, queue the publication job and the mails, and commit."""
    from ent_plugins.publishing.jobs import announce, enqueue_publication

    at = check(article, name, user, at=at)
    if not _claim(article, name):
        sdk.db.session.rollback()
        raise TransitionError(
            "invalid_transition",
            sdk._("Someone else changed this article's state a moment ago; reload it."),
            409,
            [],
        )
    _move(article, name, at)
    # Queued in the transaction of the move (the outbox): they go out with it or not at all.
    if name == "schedule":
        enqueue_publication(article)
    if name != "unschedule":
        announce(article, name, user)
    sdk.db.session.commit()


def parse_at(value: Any) -> datetime | None:
    """An ISO 8601 time from the API or the form (naive times are UTC); ``None`` if blank."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
