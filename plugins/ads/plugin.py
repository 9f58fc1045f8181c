"""Ads: metadata and the hooks through which the régie joins the platform."""

from __future__ import annotations

from typing import Any

from ent_plugins.ads import (
    counting,  # noqa: F401 - declares the delivery counter
    models,  # noqa: F401 - the tables, for migrations and mappers
)
from ent_plugins.ads.blueprint import blueprints
from ent_plugins.ads.settings import AdsSettings

from ent_core import sdk

meta = sdk.PluginMeta(
    name="ads",
    version="0.1.0",
    label=sdk._l("Advertising"),
    description=sdk._l(
        "The platform's ad network: self-serve campaigns on the member publications and the "
        "sector portal, targeted by context, and free classified ads for subscribers."
    ),
    category="promotion",
    compatibility=">=0.1,<1",
    plan_feature="ads",
    quotas=(sdk.PlanQuota("classified_ads_per_month", sdk._l("Free classified ads a month")),),
    operator_settings=AdsSettings,
)


@sdk.hookimpl
def ent_blueprints() -> list[Any]:
    return blueprints()


@sdk.hookimpl
def ent_roles() -> list[Any]:
    from ent_plugins.ads.permissions import roles

    return roles()


@sdk.hookimpl
def ent_permissions() -> list[Any]:
    from ent_plugins.ads.permissions import declared

    return declared()


@sdk.hookimpl
def ent_nav_items(workspace: Any, user: Any) -> list[Any]:
    return [
        sdk.NavItem(
            sdk._l("Advertising"),
            "ads.index",
            icon="megaphone",
            permission="workspace.view",
            order=260,
        )
    ]


# -- the hooks several parts answer: one implementation each, calling every part --
@sdk.hookimpl
def ent_workspace_enabled(workspace: Any, settings: dict[str, Any]) -> None:
    """What may be served changed: every process rebuilds its delivery index."""
    from ent_plugins.ads.index import workspace_switched

    workspace_switched(workspace)


@sdk.hookimpl
def ent_workspace_disabled(workspace: Any) -> None:
    from ent_plugins.ads.index import workspace_switched

    workspace_switched(workspace)


@sdk.hookimpl
def ent_event_subscriptions() -> list[Any]:
    """Payments of campaigns' invoices; "promote this" requests from publishing; a paid
    invoice publishes, renews or boosts the classified ad it was issued for; a module switched
    on or off changes the places served."""
    from ent_plugins.ads.campaign_hooks import subscriptions
    from ent_plugins.ads.classifieds import on_invoice_paid
    from ent_plugins.ads.inventory import module_switched

    return [
        *subscriptions(),
        sdk.Subscription("invoice.paid", on_invoice_paid, sdk.AFTER_COMMIT),
        sdk.Subscription("workspace.plugin_switched", module_switched, sdk.IN_TRANSACTION),
    ]


@sdk.hookimpl
def ent_schedules() -> list[Any]:
    """Campaigns that reached their end or budget end; monthly invoicing; classified ads past
    their date become expired (every 10 minutes)."""
    from datetime import timedelta

    from ent_plugins.ads.campaign_hooks import schedules
    from ent_plugins.ads.caps import end_campaigns
    from ent_plugins.ads.classifieds import expire_classifieds

    return [
        sdk.Schedule("ads.end_campaigns", end_campaigns, timedelta(minutes=1)),
        *schedules(),
        sdk.Schedule("ads.classifieds_expire", expire_classifieds, timedelta(minutes=10)),
    ]


@sdk.hookimpl
def ent_template_slot(slot: str, context: dict[str, Any]) -> Any:
    """The moderators' link on /admin/, the ad boxes of the places that joined the network,
    the boxes of the latest classified ads on the portal and the publications' sites."""
    from ent_plugins.ads.campaign_hooks import slot_markup as admin_link
    from ent_plugins.ads.classified_slots import slot_markup as classified_box
    from ent_plugins.ads.delivery_slots import slot_markup as ad_box
    from markupsafe import Markup

    parts = [m for m in (f(slot, context) for f in (admin_link, ad_box, classified_box)) if m]
    return Markup("").join(parts) if parts else None


@sdk.hookimpl
def ent_cli_commands(cli: Any) -> None:
    """``ent ads placements|campaigns|stats``."""
    from ent_plugins.ads.cli import ads_cli

    cli.add_command(ads_cli)


@sdk.hookimpl
def ent_dashboard_widgets(workspace: Any, user: Any) -> list[Any]:
    from ent_plugins.ads.dashboard import widgets

    return widgets(workspace, user)


@sdk.hookimpl
def ent_demo_data(workspaces: dict[str, Any], users: dict[str, Any]) -> list[str]:
    """Le Matin Tech's places in the network, Atlas Digital's two campaigns there, and a few
    classified ads on the IT board (atlas-digital, lematin-tech)."""
    from ent_plugins.ads.campaign_demo import load_demo as campaigns_demo
    from ent_plugins.ads.classified_demo import load_demo as classifieds_demo

    return [*campaigns_demo(workspaces, users), *classifieds_demo(workspaces, users)]


@sdk.hookimpl
def ent_wsgi_middleware(app: Any) -> list[Any]:
    """Decisions and viewability beacons answered before Flask (docs/ads.md, "Delivery")."""
    from ent_plugins.ads.serve import middleware

    return [middleware(app)]
