"""Small value objects plugins return from UI hooks, and the helpers that collect them."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from ent_core.permissions import has_permission
from ent_core.tenancy import current_workspace, signed_in_user


@dataclass(frozen=True, slots=True)
class NavItem:
    """An entry of the workspace navigation; ``endpoint`` is built with ``url_for``."""

    label: Any
    endpoint: str
    icon: str = ""
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True, slots=True)
class Widget:
    """A dashboard card; ``body`` is markup (use ``render_template`` to build it)."""

    title: Any
    body: Any
    order: int = 100


def workspace_hooks() -> Any:
    """Hooks filtered to the current workspace's plugins, or platform hooks outside one."""
    registry = current_app.extensions["ent"]
    workspace = current_workspace()
    if workspace is None:
        return registry.hook
    return registry.workspace_hooks(workspace)


#: Slots of the platform's own pages, filled by every installed plugin (docs/plugin_hooks.md).
PLATFORM_SLOT_PREFIXES = ("portal.", "admin.")


def render_slot(name: str, **context: Any) -> Markup:
    """Fill the named slot with what the workspace's plugins return, in hook order; a
    platform slot (``portal.*``) with what every installed plugin returns."""
    if name.startswith(PLATFORM_SLOT_PREFIXES):
        hooks = current_app.extensions["ent"].hook
    elif current_workspace() is None:
        return Markup("")
    else:
        hooks = workspace_hooks()
    parts = hooks.ent_template_slot(slot=name, context=context)
    return Markup("").join(escape(p) for p in parts if p)


def workspace_nav_items() -> list[Any]:
    """The workspace navigation the user may follow, sorted by ``order`` (stable)."""
    workspace = current_workspace()
    user = signed_in_user()
    if workspace is None or not user.is_authenticated:
        return []
    items = [
        item
        for batch in workspace_hooks().ent_nav_items(workspace=workspace, user=user)
        for item in batch or ()
        if item.permission is None or has_permission(item.permission)
    ]
    items.sort(key=_by_order)
    return items


_by_order = attrgetter("order")
