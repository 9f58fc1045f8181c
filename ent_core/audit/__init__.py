"""Record security- and money-relevant actions in the audit trail."""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user

from ent_core.audit.models import AuditEvent
from ent_core.db import db

__all__ = ["AuditEvent", "record"]


def record(
    action: str,
    *,
    subject: str = "",
    workspace: Any = None,
    actor: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session; it is saved with the caller's commit."""
    ip = req_id = None
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
