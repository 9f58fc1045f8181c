"""Marketplace: metadata and the hooks through which sellers and buyers join the platform."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import models  # noqa: F401 - the tables, for migrations and mappers
from ent_plugins.marketplace.blueprint import blueprints
from ent_plugins.marketplace.settings import MarketplaceSettings

from ent_core import sdk

meta = sdk.PluginMeta(
    name="marketplace",
    version="0.1.0",
    label=sdk._l("Marketplace"),
    description=sdk._l(
        "Sell products, services and bookings to newsrooms, associations and companies: "
        "listings, quotes, orders paid through the platform, payouts and reviews."
    ),
    category="commerce",
    compatibility=">=0.1,<1",
    plan_feature="marketplace",
    quotas=(sdk.PlanQuota("marketplace_listings_per_month", sdk._l("Listings a month")),),
    operator_settings=MarketplaceSettings,
)


@sdk.hookimpl
def ent_blueprints() -> list[Any]:
    return blueprints()


@sdk.hookimpl
def ent_roles() -> list[Any]:
    from ent_plugins.marketplace.permissions import roles

    return roles()


@sdk.hookimpl
def ent_permissions() -> list[Any]:
    from ent_plugins.marketplace.permissions import declared

    return declared()


@sdk.hookimpl
def ent_nav_items(workspace: Any, user: Any) -> list[Any]:
    return [
        sdk.NavItem(
            sdk._l("Marketplace"),
            "marketplace.index",
            icon="store",
            permission="workspace.view",
            order=270,
        )
    ]


# -- the hooks several parts answer: one implementation each, calling every part --
@sdk.hookimpl
def ent_schedules() -> list[Any]:
    """Timeouts of orders, reviews published at their deadline, payout periods closed."""
    from ent_plugins.marketplace.parts import collect

    return collect("schedules")


@sdk.hookimpl
def ent_event_types() -> list[Any]:
    from ent_plugins.marketplace.parts import collect

    return collect("event_types")


@sdk.hookimpl
def ent_event_subscriptions() -> list[Any]:
    from ent_plugins.marketplace.parts import collect

    return collect("subscriptions")


@sdk.hookimpl
def ent_template_slot(slot: str, context: dict[str, Any]) -> Any:
    """Listings on the portal and in the publications' slots; the operator's link on /admin/."""
    from ent_plugins.marketplace.parts import collect
    from markupsafe import Markup

    parts = [m for m in collect("template_slot", slot, context) if m]
    return Markup("").join(parts) if parts else None


@sdk.hookimpl
def ent_portal_items(sector: str | None, limit: int, before: Any) -> list[Any]:
    from ent_plugins.marketplace.parts import collect

    return collect("portal_items", sector, limit, before)


@sdk.hookimpl
def ent_dashboard_widgets(workspace: Any, user: Any) -> list[Any]:
    from ent_plugins.marketplace.parts import collect

    return collect("dashboard_widgets", workspace, user)


@sdk.hookimpl
def ent_cli_commands(cli: Any) -> None:
    """``ent marketplace ...``: one group, each part adds its commands."""
    from ent_plugins.marketplace.parts import call

    call("cli_commands", cli)


@sdk.hookimpl
def ent_demo_data(workspaces: dict[str, Any], users: dict[str, Any]) -> list[str]:
    from ent_plugins.marketplace.parts import collect

    return collect("demo_data", workspaces, users)


@sdk.hookimpl
def ent_payment_providers() -> list[Any]:
    """``marketplace_offset``: commission invoices settled by deduction from a payout."""
    from ent_plugins.marketplace.payments import MarketplaceOffset

    return [MarketplaceOffset()]


@sdk.hookimpl
def ent_trust_signals(workspace: Any) -> list[Any]:
    """Completed sales and the median answer time (the reviews part, trust.py)."""
    from ent_plugins.marketplace.parts import collect

    return collect("trust_signals", workspace)
