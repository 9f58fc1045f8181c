"""Record security- and money-relevant actions in the audit trail."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user

from ent_core.audit.models import AuditEvent
from ent_core.db import db, utcnow

__all__ = ["AuditEvent", "record", "retry_after"]


def record(
    action: str,
    *,
    subject: str = "",
    workspace: Any = None,
    actor: Any = None,
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Add an audit event to the session; it is saved with the caller's commit.

    ``ip_address``: the client's, for a job acting on a request it no longer sees."""
    ip, req_id = ip_address, None
    if has_request_context():
        ip = request.remote_addr
        req_id = g.get("request_id")
        if actor is None and current_user and current_user.is_authenticated:
            actor = current_user
    if workspace is None and has_request_context():
        workspace = g.get("ent_workspace")
    event = AuditEvent(
        action=action,
        subject=subject[:254],
        actor_id=actor.id if actor is not None else None,
        workspace_id=workspace.id if workspace is not None else None,
        ip_address=ip,
        request_id=req_id,
        details=details or {},
    )
    db.session.add(event)
    return event


def retry_after(action: str, criterion: Any, *, limit: int, window: timedelta) -> int | None:
    """Seconds until another ``action`` matching ``criterion`` is allowed, when ``limit`` of
    them already happened within ``window``; else None.

    Counted in the audit log, so every web process and worker agrees on the limit. The limit
    lifts when the oldest of the last ``limit`` events leaves the window.
    """
    now = utcnow()
    recent = db.session.scalars(
        db.select(AuditEvent.created_at)
        .where(AuditEvent.action == action, criterion, AuditEvent.created_at > now - window)
        .order_by(AuditEvent.created_at.desc())
        .limit(max(limit, 1))
    ).all()
    if len(recent) < limit:
        return None
    return max(1, math.ceil((recent[-1] + window - now).total_seconds()))
