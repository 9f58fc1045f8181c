"""The platform administrators' entry page: one place that links every admin tool."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template
from flask_login import current_user, login_required

from ent_core.tenancy import CrossWorkspaceBlueprint

bp = CrossWorkspaceBlueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@login_required
def index() -> Any:
    if not current_user.is_admin:
        abort(403)
    return render_template("admin/index.html")
