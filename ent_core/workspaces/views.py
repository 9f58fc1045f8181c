"""Workspace pages: the list, creation, the dashboard, members and modules."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ent_core.app import workspace_hooks
from ent_core.permissions import require_permission
from ent_core.tenancy import WorkspaceBlueprint, current_workspace

platform_bp = Blueprint("platform", __name__)
workspace_bp = WorkspaceBlueprint("workspace", __name__)


@platform_bp.get("/")
def home() -> Any:
    return render_template("home.html")


@workspace_bp.get("/")
@login_required
@require_permission("workspace.view")
def dashboard() -> Any:
    workspace = current_workspace()
    widgets = sorted(
        (
            w
            for batch in workspace_hooks().ent_dashboard_widgets(
                workspace=workspace, user=current_user
            )
            for w in batch or ()
        ),
        key=lambda w: w.order,
    )
    return render_template("workspaces/dashboard.html", widgets=widgets)


# Skeleton endpoints the shell links to; the workspaces work replaces them.
@platform_bp.get("/workspaces")
def workspaces() -> str:
    return ""


@workspace_bp.get("/members")
def members() -> str:
    return ""


@workspace_bp.get("/modules")
def modules() -> str:
    return ""
