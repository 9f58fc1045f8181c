"""Operations' answers to the marketplace's shared hooks: the seller's and the operator's
homes, the categories' admin pages and API, the ``ent marketplace`` group, the demo."""

from __future__ import annotations

from typing import Any

from flask import render_template
from markupsafe import Markup

from ent_core import sdk

GP = ["GET", "POST"]


def routes(bps: Any) -> None:
    from ent_plugins.marketplace.api.operations_categories import admin_api
    from ent_plugins.marketplace.views import operations_categories as categories
    from ent_plugins.marketplace.views import operations_home as home

    bps.admin.add_url_rule("/", endpoint="index", view_func=home.admin_index)
    bps.admin.add_url_rule("/categories", endpoint="categories", view_func=categories.listing)
    bps.admin.add_url_rule(
        "/categories/new", endpoint="category_new", view_func=categories.new, methods=GP
    )
    bps.admin.add_url_rule(
        "/categories/<code>", endpoint="category_edit", view_func=categories.edit, methods=GP
    )
    bps.extra.append(admin_api)


def admin_sections() -> list[Any]:
    from ent_plugins.marketplace.category_editing import all_categories

    count = len(all_categories())
    return [(sdk._l("Categories and commission"), "marketplace_admin.categories", count)]


def template_slot(slot: str, context: dict[str, Any]) -> list[Any]:
    """The operator's card on /admin/ (the platform slot ``admin.tools``)."""
    if slot != "admin.tools":
        return []
    return [Markup(render_template("marketplace/operations/_tool.html"))]  # noqa: S704


def dashboard_widgets(workspace: Any, user: Any) -> list[Any]:
    """The seller's cards and steps left, on the workspace's dashboard."""
    from ent_plugins.marketplace import seller_home
    from ent_plugins.marketplace.permissions import VIEW

    if not sdk.has_permission(VIEW):
        return []
    steps = seller_home.getting_started(workspace)
    body = render_template(
        "marketplace/operations/_widget.html",
        cards=seller_home.seller_cards(workspace),
        steps_left=sum(1 for step in steps if not step.done),
    )
    return [sdk.Widget(sdk._l("Marketplace"), Markup(body), order=70)]  # noqa: S704


def cli_commands(cli: Any) -> None:
    """``ent marketplace``: the group and the operator's commands (a part that ran first and
    made a group of its own keeps its commands: ``cli.group`` merges them)."""
    from ent_plugins.marketplace.cli import group

    group(cli)


def demo_data(workspaces: dict[str, Any], users: dict[str, Any]) -> list[str]:
    from ent_plugins.marketplace.demo import load_demo

    return load_demo(workspaces, users)
