"""Scheduled publishing: a job at each article's time, and a periodic sweep as a safety net.

Both end in ``publish_if_due``, a conditional UPDATE (``WHERE publication_state = 'scheduled'
AND publish_at <= now``): whichever run comes first publishes, every later one finds nothing to
do, so an article is published exactly once however many jobs, retries or workers there are.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ent_plugins.publishing.events import article_published
from ent_plugins.publishing.models import Article, ReviewComment
from sqlalchemy import func, update

from ent_core import sdk


def enqueue_publication(article: Article) -> Any:
    """Queue the article's publication at ``publish_at`` (one job per scheduled time)."""
    if article.publish_at is None:
        return None
    stamp = int(article.publish_at.timestamp())
    return sdk.enqueue(
        publish_scheduled_article,
        article.id,
        article.publish_at.isoformat(),
        at=article.publish_at,
        job_id=f"publishing-publish-{article.id}-{stamp}",
    )


def publish_scheduled_article(article_id: int, due: str) -> bool:
    """The job queued by ``schedule`` to run at ``due``: publish if still scheduled by then.

    Due means ``publish_at <= due``: an article moved to a later time waits for its own job,
    one unscheduled or already published is left alone.
    """
    moment = datetime.fromisoformat(due)
    return publish_if_due(article_id, now=max(moment, sdk.utcnow()))


def publish_due_articles() -> int:
    """The periodic sweep (``ent_schedules``): publish every article whose time has come.

    It catches what the per-article jobs missed (Redis lost, inline scheduler restarted).
    """
    now = sdk.utcnow()
    due = sdk.db.session.scalars(
        sdk.db.select(Article.id)
        .where(Article.publication_state == "scheduled", Article.publish_at <= now)
        .order_by(Article.publish_at)
        .execution_options(ent_all_workspaces=True)
    ).all()
    return sum(1 for article_id in due if publish_if_due(article_id, now=now))


def publish_if_due(article_id: int, *, now: datetime | None = None) -> bool:
    """Publish one scheduled article whose time has come; ``False`` if another run did it."""
    now = now or sdk.utcnow()
    result = sdk.db.session.execute(
        update(Article)
        .where(
            Article.id == article_id,
            Article.publication_state == "scheduled",
            Article.publish_at <= now,
            # A workspace that switched publishing off keeps its schedule; the sweep publishes
            # the article once the module is back on.
            Article.workspace_id.in_(sdk.public_workspace_ids("publishing")),
        )
        .values(
            publication_state="published",
            published_at=func.coalesce(Article.published_at, Article.publish_at),
            publish_at=None,
            updated_at=now,
        )
        # A job: no workspace is current; the article is named by id, in a public workspace.
        .execution_options(synchronize_session=False, ent_all_workspaces=True)
    )
    if result.rowcount != 1:
        sdk.db.session.rollback()
        return False
    workspace_id = sdk.db.session.scalar(
        sdk.db.select(Article.workspace_id)
        .where(Article.id == article_id)
        .execution_options(ent_all_workspaces=True)
    )
    sdk.audit(
        "publishing.article.published_on_schedule",
        subject=f"article:{article_id}",
        workspace=_WorkspaceRef(workspace_id),
        details={"job_id": sdk.current_job_id()},
    )
    with sdk.all_workspaces():
        article = sdk.db.session.get(Article, article_id, populate_existing=True)
        article_published(article, scheduled=True)
    sdk.db.session.commit()
    announce_id(article_id)
    return True


def announce_id(article_id: int) -> None:
    sdk.enqueue(notify_workflow, article_id, "published", None)


class _WorkspaceRef:
    """What ``sdk.audit`` needs of a workspace (its id), without loading the row."""

    __slots__ = ("id",)

    def __init__(self, workspace_id: int) -> None:
        self.id = workspace_id


#: Who hears about what: reviewers when a text is submitted, writers when it moves on.
NOTIFY_REVIEWERS = frozenset({"submit"})
NOTIFY_WRITERS = frozenset(
    {"request_changes", "approve", "publish", "schedule", "withdraw", "comment", "published"}
)


def notify_workflow(article_id: int, event: str, actor_id: int | None) -> int:
    """Mail the people an event concerns, each in their language; returns how many mails.

    Runs after the commit (a job: inline or in a worker); reloads the article and skips the
    person who acted.
    """
    from flask import current_app
    from flask_babel import force_locale

    article = sdk.db.session.scalar(
        sdk.db.select(Article)
        .where(Article.id == article_id)
        .execution_options(ent_all_workspaces=True)
    )
    if article is None:
        return 0
    workspace = article.workspace
    if event in NOTIFY_REVIEWERS:
        people = sdk.workspace_members(workspace, permission="publishing.review")
    elif event in NOTIFY_WRITERS:
        ids = {article.created_by_id} | {a.user_id for a in article.authors}
        if event == "comment":  # and whoever took part in the discussion
            ids |= set(
                sdk.db.session.scalars(
                    sdk.db.select(ReviewComment.user_id)
                    .where(ReviewComment.article_id == article.id)
                    .execution_options(ent_all_workspaces=True)
                )
            )
        people = [u for u in sdk.workspace_members(workspace) if u.id in ids]
    else:
        return 0
    link = sdk.external_url("publishing.show", workspace=workspace.slug, article_id=article.id)
    default = current_app.config.get("BABEL_DEFAULT_LOCALE", "fr")
    sent = 0
    for person in people:
        if person.id == actor_id:
            continue
        with force_locale(person.locale or default):
            subject = sdk._(
                "[%(workspace)s] %(event)s: %(title)s",
                workspace=workspace.name,
                event=_event_label(event),
                title=article.title,
            )
            text = sdk._(
                "%(event)s: “%(title)s”.\n\nOpen the article in the newsroom: %(link)s",
                event=_event_label(event),
                title=article.title,
                link=link,
            )
        sdk.send_mail(person.email, subject, text)
        sent += 1
    return sent


def _event_label(event: str) -> str:
    return {
        "submit": sdk._("Submitted for review"),
        "request_changes": sdk._("Changes requested"),
        "approve": sdk._("Approved"),
        "publish": sdk._("Published"),
        "published": sdk._("Published"),
        "schedule": sdk._("Scheduled"),
        "withdraw": sdk._("Withdrawn"),
        "comment": sdk._("New review comment"),
    }.get(event, event)


def announce(article: Article, event: str, actor: Any) -> None:
    """Queue the notification of ``event``; call it before the commit of the change, so the
    mail goes out with it (the outbox, docs/jobs.md)."""
    sdk.enqueue(notify_workflow, article.id, event, getattr(actor, "id", None))
