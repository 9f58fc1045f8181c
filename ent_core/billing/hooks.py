"""Billing's pages, API, commands, permission and schedules, through the core's own hooks."""

from __future__ import annotations

from typing import Any

from ent_core.billing import models as _models  # noqa: F401 - tables join the metadata
from ent_core.lazytext import lazy_gettext as _l
from ent_core.permissions import Permission
from ent_core.plugins import hookimpl
from ent_core.ui import NavItem


@hookimpl
def ent_permissions() -> list[Permission]:
    return [
        Permission(
            "workspace.manage_billing",
            _l("See invoices and change the subscription"),
            ("owner", "admin"),
        )
    ]


@hookimpl
def ent_nav_items(workspace: Any, user: Any) -> list[NavItem]:
    return [
        NavItem(
            _l("Subscription"),
            "billing.overview",
            icon="credit-card",
            permission="workspace.manage_billing",
            order=915,
        )
    ]


@hookimpl
def ent_blueprints() -> list[Any]:
    from ent_core.billing.api import admin_billing_api, plans_api, workspace_billing_api
    from ent_core.billing.views import admin_bp, bp

    return [bp, admin_bp, plans_api, workspace_billing_api, admin_billing_api]


@hookimpl
def ent_cli_commands(cli: Any) -> None:
    from ent_core.billing.cli import plan_group, subscription_group

    cli.add_command(plan_group)
    cli.add_command(subscription_group)


@hookimpl
def ent_schedules() -> list[Any]:
    from ent_core.billing.jobs import schedules

    return schedules()
