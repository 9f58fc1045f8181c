"""The audit trail as pages: a workspace's own log and the platform-wide log for admins."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from flask_login import current_user, login_required

from ent_core.audit.queries import PAGE_SIZE, events_page
from ent_core.permissions import require_permission
from ent_core.tenancy import CrossWorkspaceBlueprint, WorkspaceBlueprint, current_workspace

workspace_audit_bp = WorkspaceBlueprint("audit", __name__, url_prefix="/audit")
platform_audit_bp = CrossWorkspaceBlueprint("admin_audit", __name__, url_prefix="/admin/audit")


def _filters() -> dict[str, Any]:
    before = request.args.get("before", type=int)
    return {"action": (request.args.get("action") or "").strip(), "before": before}


@workspace_audit_bp.get("/")
@login_required
@require_permission("workspace.view_audit")
def workspace_log() -> Any:
    filters = _filters()
    events, next_before = events_page(workspace=current_workspace(), **filters)
    return render_template(
        "audit/list.html",
        events=events,
        next_before=next_before,
        filters=filters,
        page_size=PAGE_SIZE,
        platform=False,
    )


@platform_audit_bp.get("/")
@login_required
def platform_log() -> Any:
    if not current_user.is_admin:
        abort(403)
    filters = _filters()
    slug = (request.args.get("ws") or "").strip()
    events, next_before = events_page(workspace_slug=slug or None, **filters)
    return render_template(
        "audit/list.html",
        events=events,
        next_before=next_before,
        filters={**filters, "ws": slug},
        page_size=PAGE_SIZE,
        platform=True,
    )
