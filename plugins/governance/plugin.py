"""Governance: metadata and the hooks through which it joins the platform."""

from __future__ import annotations

from typing import Any

from ent_plugins.governance import models  # noqa: F401 - the tables, for migrations and mappers
from ent_plugins.governance.associates import AssociatesSettings
from ent_plugins.governance.blueprint import api_bp, members, public_bp
from ent_plugins.governance.forms import GovernanceSettings

from ent_core import sdk

meta = sdk.PluginMeta(
    name="governance",
    version="0.1.0",
    label=sdk._l("Governance"),
    description=sdk._l(
        "An association's members and dues, general assemblies, votes, minutes and "
        "development plans."
    ),
    category="organisation",
    compatibility=">=0.1,<1",
    plan_feature="governance",
    settings_form=GovernanceSettings,
    operator_settings=AssociatesSettings,
)


@sdk.hookimpl
def ent_blueprints() -> list[Any]:
    return [members, public_bp, api_bp]


@sdk.hookimpl
def ent_roles() -> list[Any]:
    from ent_plugins.governance.permissions import roles

    return roles()


@sdk.hookimpl
def ent_permissions() -> list[Any]:
    from ent_plugins.governance.permissions import declared

    return declared()


@sdk.hookimpl
def ent_nav_items(workspace: Any, user: Any) -> list[Any]:
    return [
        sdk.NavItem(
            sdk._l("Association"),
            "governance.index",
            icon="users",
            permission="workspace.view",
            order=250,
        )
    ]


# -- members and dues (registry) --
@sdk.hookimpl
def ent_workspace_enabled(workspace: Any, settings: dict[str, Any]) -> None:
    """The association starts with the usual categories (founding, active, honorary)."""
    from ent_plugins.governance.members import ensure_default_categories

    ensure_default_categories(workspace)


# -- end of members and dues --


@sdk.hookimpl
def ent_demo_data(workspaces: dict[str, Any], users: dict[str, Any]) -> list[str]:
    from ent_plugins.governance.demo import load_demo

    return load_demo(workspaces, users)


# -- minutes, the portal, events and the platform's associates (helper gn) ------------------
@sdk.hookimpl
def ent_portal_items(sector: str | None, limit: int, before: Any) -> list[Any]:
    """Published minutes, project updates and development plans of approved associations."""
    from ent_plugins.governance.portal import portal_items

    return portal_items(sector, limit, before)


@sdk.hookimpl
def ent_event_types() -> list[Any]:
    from ent_plugins.governance.portal import EVENT_TYPES

    return EVENT_TYPES


@sdk.hookimpl
def ent_profile_badges(user: Any) -> list[Any]:
    """The associate badge: member of the platform's associates, up to date with dues."""
    from ent_plugins.governance.associates import badges_for

    return badges_for(user)


# -- votes (issue #16 item 4) --
@sdk.hookimpl
def ent_schedules() -> list[Any]:
    """Every minute, open the votes whose opening time has come and close those that are due;
    daily, remind late members of their dues (at most once per ``reminder_days``)."""
    from datetime import timedelta

    from ent_plugins.governance.payments import remind_all
    from ent_plugins.governance.votes import open_and_close_votes

    return [
        sdk.Schedule("governance.votes", open_and_close_votes, timedelta(minutes=1)),
        sdk.Schedule("governance.dues_reminders", remind_all, timedelta(days=1)),
    ]


@sdk.hookimpl
def ent_cli_commands(cli: Any) -> None:
    """``ent governance members|payments|remind|votes``."""
    from ent_plugins.governance.cli import governance_cli

    cli.add_command(governance_cli)
