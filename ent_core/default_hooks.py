"""The core's own behaviour, registered through the same hooks as any plugin."""

from __future__ import annotations

from typing import Any

from ent_core.jobs.calls import Schedule
from ent_core.lazytext import lazy_gettext as _l
from ent_core.permissions import Permission, Role
from ent_core.plugins import hookimpl
from ent_core.ui import NavItem


@hookimpl
def ent_schedules() -> list[Schedule]:
    from ent_core.counters import FLUSH_EVERY, flush_counters

    return [Schedule("counters.flush", flush_counters, FLUSH_EVERY)]


@hookimpl
def ent_roles() -> list[Role]:
    return [
        Role("owner", _l("Owner"), _l("Everything, including the workspace's owners.")),
        Role("admin", _l("Administrator"), _l("Members, modules and settings.")),
        Role("editor", _l("Editor"), _l("Creates and publishes content.")),
        Role("member", _l("Member"), _l("Reads the workspace and takes part.")),
    ]


@hookimpl
def ent_permissions() -> list[Permission]:
    everyone = ("owner", "admin", "editor", "member")
    return [
        Permission("workspace.view", _l("See the workspace"), everyone),
        Permission("workspace.manage", _l("Change the workspace's settings"), ("owner", "admin")),
        Permission("workspace.manage_members", _l("Invite and manage members"), ("owner", "admin")),
        Permission("workspace.manage_plugins", _l("Switch modules on and off"), ("owner", "admin")),
        Permission(
            "workspace.view_audit", _l("Read the workspace's audit log"), ("owner", "admin")
        ),
    ]


@hookimpl
def ent_nav_items(workspace: Any, user: Any) -> list[NavItem]:
    return [
        NavItem(_l("Dashboard"), "workspace.dashboard", icon="home", order=0),
        NavItem(
            _l("Members"),
            "workspace.members",
            icon="users",
            permission="workspace.manage_members",
            order=900,
        ),
        NavItem(
            _l("Application"),
            "workspace.application",
            icon="file",
            permission="workspace.manage",
            order=905,
        ),
        NavItem(
            _l("Settings"),
            "workspace.settings",
            icon="settings",
            permission="workspace.manage",
            order=907,
        ),
        NavItem(
            _l("Modules"),
            "workspace.modules",
            icon="grid",
            permission="workspace.manage_plugins",
            order=910,
        ),
        NavItem(
            _l("Audit log"),
            "audit.workspace_log",
            icon="list",
            permission="workspace.view_audit",
            order=920,
        ),
    ]


@hookimpl
def ent_blueprints() -> list[Any]:
    from ent_core.admin import bp as admin_bp
    from ent_core.api.views import bp as api_bp
    from ent_core.api.views import workspace_api
    from ent_core.audit.views import platform_audit_bp, workspace_audit_bp
    from ent_core.health import bp as health_bp
    from ent_core.identity.views import account_bp, auth_bp
    from ent_core.portal.views import admin_bp as portal_admin_bp
    from ent_core.portal.views import bp as portal_bp
    from ent_core.workspaces import api as vetting_api  # noqa: F401 - attaches its API routes
    from ent_core.workspaces.review import bp as vetting_admin_bp
    from ent_core.workspaces.views import platform_bp, workspace_bp

    return [
        health_bp,
        auth_bp,
        account_bp,
        platform_bp,
        workspace_bp,
        api_bp,
        workspace_api,
        workspace_audit_bp,
        platform_audit_bp,
        admin_bp,
        vetting_admin_bp,
        portal_bp,
        portal_admin_bp,
    ]


@hookimpl
def ent_cli_commands(cli: Any) -> None:
    from ent_core.audit.cli import audit_group
    from ent_core.identity.cli import token_group, user_group
    from ent_core.jobs.cli import jobs_group, worker_command
    from ent_core.workspaces.cli import plugin_group, workspace_group

    for command in (
        user_group,
        token_group,
        workspace_group,
        plugin_group,
        worker_command,
        jobs_group,
        audit_group,
    ):
        cli.add_command(command)


@hookimpl
def ent_event_types() -> list[Any]:
    from ent_core.events.core import CORE_EVENT_TYPES

    return CORE_EVENT_TYPES


@hookimpl
def ent_ad_slots() -> list[Any]:
    """The sector portal's places: a column beside the items, a banner after the list."""
    from ent_core.adslots import AdSlot

    return [
        AdSlot(
            "portal.sidebar",
            _l("Sector portal: column"),
            ("300x250", "300x600", "160x600"),
            platform=True,
        ),
        AdSlot(
            "portal.after_items",
            _l("Sector portal: after the list"),
            ("728x90", "970x250", "320x50"),
            platform=True,
        ),
    ]
