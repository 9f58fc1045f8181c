"""Changing a workspace's time zone, the same way from the settings page, the API and tests."""

from __future__ import annotations

from flask_babel import gettext as _

from ent_core.audit import record
from ent_core.db import db
from ent_core.identity.models import User
from ent_core.localtime import is_zone
from ent_core.workspaces.models import Workspace
from ent_core.workspaces.service import WorkspaceError


def set_timezone(workspace: Workspace, name: str, *, actor: User | None) -> None:
    """Give ``workspace`` the IANA zone ``name`` (audited); stored times do not move, only
    how they are typed and shown. An unknown name is refused, blaming the ``timezone`` field."""
    if not is_zone(name):
        raise WorkspaceError(
            "validation_error",
            _("Choose a time zone from the list, such as Africa/Casablanca."),
            field="timezone",
        )
    if name == workspace.timezone:
        return
    record(
        "workspace.timezone_changed",
        subject=workspace.slug,
        workspace=workspace,
        actor=actor,
        details={"from": workspace.timezone, "to": name},
    )
    workspace.timezone = name
    db.session.commit()
