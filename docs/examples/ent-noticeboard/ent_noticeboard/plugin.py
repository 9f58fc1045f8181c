"""The notice board: metadata and the hooks through which it joins the platform.

The platform imports this module through the ``ent.plugins`` entry point (pyproject.toml).
Everything else of the plugin is reached from here.
"""

from __future__ import annotations

from typing import Any

from ent_core import sdk
from flask import render_template
from markupsafe import Markup

from ent_noticeboard.blueprint import api_bp, members
from ent_noticeboard.forms import NoticeboardSettings
from ent_noticeboard.views import board

meta = sdk.PluginMeta(
    name="noticeboard",
    version="1.0.0",
    label=sdk._l("Notice board"),
    description=sdk._l("Pinned announcements for the workspace's members."),
    category="communication",
    compatibility=">=0.1,<1",
    settings_form=NoticeboardSettings,
)

#: The slot above the content of every members' page; the UI shell renders it.
BANNER_SLOT = "workspace.banner"
WIDGET_SIZE = 5


@sdk.hookimpl
def ent_blueprints() -> list[Any]:
    return [members, api_bp]


@sdk.hookimpl
def ent_permissions() -> list[Any]:
    return [
        sdk.Permission(
            "noticeboard.post", sdk._l("Post and pin notices"), ("owner", "admin", "editor")
        )
    ]


@sdk.hookimpl
def ent_nav_items(workspace: Any, user: Any) -> list[Any]:
    return [
        sdk.NavItem(
            sdk._l("Notice board"),
            "noticeboard.index",
            icon="pin",
            permission="workspace.view",
            order=200,
        )
    ]


@sdk.hookimpl
def ent_dashboard_widgets(workspace: Any, user: Any) -> list[Any]:
    body = render_template("noticeboard/_widget.html", notices=board(WIDGET_SIZE))
    return [sdk.Widget(sdk._l("Latest notices"), Markup(body), order=10)]  # noqa: S704


@sdk.hookimpl
def ent_template_slot(slot: str, context: dict[str, Any]) -> Any:
    if slot != BANNER_SLOT:
        return None
    limit = int(sdk.plugin_settings("noticeboard")["max_pinned"])
    pinned = [n for n in board(limit) if n.pinned]
    if not pinned:
        return None
    return Markup(render_template("noticeboard/_banner.html", notices=pinned))  # noqa: S704
