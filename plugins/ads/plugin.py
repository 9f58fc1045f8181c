"""Ads: metadata and the hooks through which the régie joins the platform."""

from __future__ import annotations

from typing import Any

from ent_plugins.ads import models  # noqa: F401 - the tables, for migrations and mappers
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


# -- delivery (helper dv) --
from ent_plugins.ads import counting  # noqa: E402,F401 - declares the delivery counter


@sdk.hookimpl
def ent_wsgi_middleware(app: Any) -> list[Any]:
    from ent_plugins.ads.serve import middleware

    return [middleware(app)]


@sdk.hookimpl
def ent_template_slot(slot: str, context: dict[str, Any]) -> Any:
    from ent_plugins.ads.delivery_slots import slot_markup

    return slot_markup(slot, context)


# -- end of delivery --


# -- decision engine (helper de) --
@sdk.hookimpl
def ent_workspace_enabled(workspace: Any, settings: dict[str, Any]) -> None:
    from ent_plugins.ads.index import workspace_switched

    workspace_switched(workspace)


@sdk.hookimpl
def ent_workspace_disabled(workspace: Any) -> None:
    from ent_plugins.ads.index import workspace_switched

    workspace_switched(workspace)


@sdk.hookimpl
def ent_schedules() -> list[Any]:
    from datetime import timedelta

    from ent_plugins.ads.caps import end_campaigns

    return [sdk.Schedule("ads.end_campaigns", end_campaigns, timedelta(minutes=1))]


# -- end of decision engine --
