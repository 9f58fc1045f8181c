"""Reading the audit trail, newest first, a page at a time (keyset pagination on the id)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import aliased

from ent_core.audit.models import AuditEvent
from ent_core.db import db
from ent_core.identity.models import User
from ent_core.workspaces.models import Workspace

PAGE_SIZE = 50


def events_page(
    *,
    workspace: Workspace | None = None,
    workspace_slug: str | None = None,
    action: str = "",
    before: int | None = None,
    limit: int = PAGE_SIZE,
) -> tuple[list[dict[str, Any]], int | None]:
    """Events (as dicts with actor email and workspace slug) and the id to continue from."""
    actor = aliased(User)
    stmt = (
        db.select(AuditEvent, actor.email, Workspace.slug)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .outerjoin(Workspace, Workspace.id == AuditEvent.workspace_id)
        .order_by(AuditEvent.id.desc())
        .limit(limit + 1)
    )
    if workspace is not None:
        stmt = stmt.where(AuditEvent.workspace_id == workspace.id)
    if workspace_slug:
        stmt = stmt.where(Workspace.slug == workspace_slug)
    if action:
        # "auth" matches every auth.* action; "auth.sign_in" only that one.
        stmt = stmt.where(
            (AuditEvent.action == action) | AuditEvent.action.startswith(action.rstrip(".") + ".")
        )
    if before is not None:
        stmt = stmt.where(AuditEvent.id < before)
    rows = db.session.execute(stmt).all()
    events = [
        {
            "id": event.id,
            "created_at": event.created_at,
            "action": event.action,
            "actor": email,
            "workspace": slug,
            "subject": event.subject,
            "ip_address": event.ip_address,
            "request_id": event.request_id,
            "details": event.details,
        }
        for event, email, slug in rows[:limit]
    ]
    next_before = events[-1]["id"] if len(rows) > limit else None
    return events, next_before
