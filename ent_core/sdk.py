"""The public facade for plugin authors: import everything from here, nothing else of ent_core.

Names listed in ``__all__`` are stable; a name is retired only through ``deprecated`` (one
release with a warning). tests/test_sdk.py fails when a public name disappears.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import Form

from ent_core.api.errors import ApiError
from ent_core.app import render_slot, workspace_hooks
from ent_core.audit import record as audit
from ent_core.db import Base, TenantMixin, db, utcnow
from ent_core.jobs import Schedule, enqueue
from ent_core.mail import send_mail
from ent_core.permissions import Permission, Role, has_permission, require_permission
from ent_core.plugins import PluginMeta, hookimpl
from ent_core.tenancy import (
    ApiBlueprint,
    PublicBlueprint,
    WorkspaceBlueprint,
    current_membership,
    current_workspace,
)
from ent_core.ui import NavItem, Widget
from ent_core.version import __version__

#: Alias so plugin code reads naturally: ``_("Text")`` in views, ``_l`` in module constants.
_ = gettext
_l = lazy_gettext


class SettingsForm(Form):
    """Base of a plugin's settings form: fields with defaults, validated for UI and API."""


def plugin_settings(name: str) -> dict[str, Any]:
    """The settings of plugin ``name`` for the current workspace (with defaults applied)."""
    from ent_core.workspaces.service import plugin_settings as _settings

    workspace = current_workspace()
    if workspace is None:
        raise RuntimeError("plugin_settings() needs a current workspace")
    return _settings(workspace, name)


def get_or_404(model: type[Any], ident: Any) -> Any:
    """Load a row by primary key or answer 404; tenant rows of other workspaces are invisible."""
    obj = db.session.execute(
        db.select(model).where(model.__mapper__.primary_key[0] == ident)
    ).scalar_one_or_none()
    if obj is None:
        abort(404)
    return obj


def scoped(model: type[Any]) -> Any:
    """``select(model)`` for the current workspace (the filter is applied automatically too)."""
    workspace = current_workspace()
    if workspace is None:
        raise RuntimeError("scoped() needs a current workspace")
    return db.select(model).where(model.workspace_id == workspace.id)


__all__ = [
    "ApiBlueprint",
    "ApiError",
    "Base",
    "FlaskForm",
    "NavItem",
    "Permission",
    "PluginMeta",
    "PublicBlueprint",
    "Role",
    "Schedule",
    "SettingsForm",
    "TenantMixin",
    "Widget",
    "WorkspaceBlueprint",
    "_",
    "__version__",
    "_l",
    "abort",
    "audit",
    "current_membership",
    "current_user",
    "current_workspace",
    "db",
    "enqueue",
    "get_or_404",
    "gettext",
    "has_permission",
    "hookimpl",
    "lazy_gettext",
    "login_required",
    "ngettext",
    "plugin_settings",
    "render_slot",
    "require_permission",
    "scoped",
    "send_mail",
    "utcnow",
    "workspace_hooks",
]
