"""Governance's share of the sector portal, and the events that propose articles.

The portal shows what an association chose to make public: approved and published minutes,
published project updates (of published projects) and published development plans, from
approved workspaces where governance is on. Publishing the minutes or an update also emits
``governance.minutes_published`` / ``governance.project_update_published``: where the workspace
has the publishing module on, it drafts an article from them for an editor to review
(docs/governance.md, "The portal and publishing").
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ent_plugins.governance.models import DevelopmentPlan, Minutes, Project, ProjectUpdate
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.routing import BuildError

from ent_core import sdk

SUMMARY_MAX = 300

EVENT_TYPES = [
    sdk.EventType(
        "governance.minutes_published",
        "An association published approved minutes on its public pages.",
        {
            "minutes_id": sdk.EventField(int, "the minutes' id"),
            "title": sdk.EventField(str, "their title, in their language"),
            "body": sdk.EventField(str, "their frozen text, Markdown"),
            "language": sdk.EventField(str, "their language (fr or ar)"),
            "sha256": sdk.EventField(str, "the SHA-256 of the frozen text"),
            "url": sdk.EventField(str, "their absolute public address"),
            "published_at": sdk.EventField(str, "when they went public, ISO 8601 in UTC"),
        },
    ),
    sdk.EventType(
        "governance.project_update_published",
        "An association published news of one of its projects.",
        {
            "update_id": sdk.EventField(int, "the update's id"),
            "project_id": sdk.EventField(int, "the project's id"),
            "project_title": sdk.EventField(str, "the project's title"),
            "title": sdk.EventField(str, "the update's title"),
            "body": sdk.EventField(str, "the update's text, Markdown"),
            "url": sdk.EventField(str, "the absolute public address of the project's page"),
            "published_at": sdk.EventField(str, "when it went public, ISO 8601 in UTC"),
        },
    ),
]


def workspace_model() -> Any:
    """The core's workspace class, reached through a relationship (plugins import no core)."""
    return Minutes.workspace.property.mapper.class_


# -- public addresses ------------------------------------------------------------------------
def minutes_url(minutes: Minutes) -> str:
    return sdk.external_url(
        "governance_public.minutes", workspace=minutes.workspace.slug, minutes_id=minutes.id
    )


def _public_url(slug: str, endpoint: str, **values: Any) -> str:
    """The page of a project or plan; the association's public home until that page exists."""
    try:
        return sdk.external_url(endpoint, workspace=slug, **values)
    except BuildError:
        return sdk.external_url("governance_public.index", workspace=slug)


def project_url(slug: str, project_id: int) -> str:
    return _public_url(slug, "governance_public.project", project_id=project_id)


def plan_url(slug: str, plan_id: int) -> str:
    return _public_url(slug, "governance_public.plan", plan_id=plan_id)


# -- events ----------------------------------------------------------------------------------
def announce_minutes(minutes: Minutes) -> None:
    """Emit ``governance.minutes_published`` (inside the publishing transaction)."""
    from ent_plugins.governance.minutes import title_of

    sdk.emit(
        "governance.minutes_published",
        workspace=minutes.workspace_id,
        minutes_id=minutes.id,
        title=title_of(minutes),
        body=minutes.body,
        language=minutes.language,
        sha256=minutes.frozen_hash or "",
        url=minutes_url(minutes),
        published_at=(minutes.published_at or sdk.utcnow()).isoformat(),
    )


def announce_project_update(update: ProjectUpdate) -> None:
    """Emit ``governance.project_update_published``; call it when an update is published,
    inside that transaction (a rollback takes the announcement back)."""
    project = update.project
    sdk.emit(
        "governance.project_update_published",
        workspace=update.workspace_id,
        update_id=update.id,
        project_id=project.id,
        project_title=project.title,
        title=update.title,
        body=update.body,
        url=project_url(_slug_of(update.workspace_id), project.id),
        published_at=(update.published_at or sdk.utcnow()).isoformat(),
    )


def _slug_of(workspace_id: int) -> str:
    workspace = workspace_model()
    return sdk.db.session.scalar(select(workspace.slug).where(workspace.id == workspace_id))


# -- the portal ------------------------------------------------------------------------------
def plain_summary(markdown: str) -> str:
    """The first words of a Markdown text as plain text (the portal escapes it)."""
    text = re.sub(r"[#*_>`|\[\]]+", " ", markdown)
    return " ".join(text.split())[:SUMMARY_MAX]


def _limited(
    statement: Any, model: Any, column: Any, sector: str | None, limit: int, before: Any
) -> Any:
    """Public rows of ``model`` only, newest ``column`` first, in ``sector``, before ``before``."""
    workspace = workspace_model()
    statement = (
        statement.join(workspace, workspace.id == model.workspace_id)
        .where(model.workspace_id.in_(sdk.public_workspace_ids("governance")))
        .order_by(column.desc())
        .limit(max(0, min(limit, 500)))
        .execution_options(ent_all_workspaces=True)
    )
    if sector is not None:
        statement = statement.where(workspace.sectors.any(code=sector))
    if before is not None:
        statement = statement.where(column < before)
    return statement


def _sectors(workspace: Any, sector: str | None) -> str:
    if sector is not None:
        return sector
    return workspace.sectors[0].code if workspace.sectors else ""


def portal_minutes(sector: str | None, limit: int, before: datetime | None) -> list[Any]:
    from ent_plugins.governance.minutes import title_of

    statement = select(Minutes).where(
        Minutes.published.is_(True), Minutes.status == "approved", Minutes.published_at.is_not(None)
    )
    statement = _limited(statement, Minutes, Minutes.published_at, sector, limit, before).options(
        joinedload(Minutes.meeting),
        joinedload(Minutes.workspace).selectinload(workspace_model().sectors),
    )
    return [
        sdk.PortalItem(
            key=f"governance:minutes:{m.id}",
            title=title_of(m),
            url=minutes_url(m),
            published_at=m.published_at,
            sector=_sectors(m.workspace, sector),
            workspace_name=m.workspace.name,
            summary=plain_summary(m.body),
            language=m.language,
            kind="minutes",
        )
        for m in sdk.db.session.scalars(statement).unique()
    ]


def portal_updates(sector: str | None, limit: int, before: datetime | None) -> list[Any]:
    workspace = workspace_model()
    statement = (
        select(ProjectUpdate, workspace)
        .join(Project, Project.id == ProjectUpdate.project_id)
        .where(
            ProjectUpdate.published.is_(True),
            ProjectUpdate.published_at.is_not(None),
            Project.published.is_(True),
        )
        .options(joinedload(ProjectUpdate.project), selectinload(workspace.sectors))
    )
    statement = _limited(
        statement, ProjectUpdate, ProjectUpdate.published_at, sector, limit, before
    )
    return [
        sdk.PortalItem(
            key=f"governance:project_update:{u.id}",
            title=f"{u.project.title}: {u.title}",
            url=project_url(ws.slug, u.project_id),
            published_at=u.published_at,
            sector=_sectors(ws, sector),
            workspace_name=ws.name,
            summary=plain_summary(u.body),
            kind="project_update",
        )
        for u, ws in sdk.db.session.execute(statement).unique()
    ]


def portal_plans(sector: str | None, limit: int, before: datetime | None) -> list[Any]:
    workspace = workspace_model()
    # A plan has no publication time: its last change stands for it (a revised plan is news).
    statement = (
        select(DevelopmentPlan, workspace)
        .where(DevelopmentPlan.published.is_(True))
        .options(selectinload(workspace.sectors))
    )
    statement = _limited(
        statement, DevelopmentPlan, DevelopmentPlan.updated_at, sector, limit, before
    )
    return [
        sdk.PortalItem(
            key=f"governance:plan:{p.id}",
            title=p.title,
            url=plan_url(ws.slug, p.id),
            published_at=p.updated_at,
            sector=_sectors(ws, sector),
            workspace_name=ws.name,
            summary=plain_summary(p.summary),
            kind="plan",
        )
        for p, ws in sdk.db.session.execute(statement).unique()
    ]


def portal_items(sector: str | None, limit: int, before: datetime | None) -> list[Any]:
    """The newest ``limit`` items of the three kinds together, newest first."""
    items = [
        *portal_minutes(sector, limit, before),
        *portal_updates(sector, limit, before),
        *portal_plans(sector, limit, before),
    ]
    items.sort(key=lambda item: (_aware(item.published_at), item.key), reverse=True)
    return items[: max(0, limit)]


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
