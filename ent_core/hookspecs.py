"""Every hook of the platform: one function and one line of docstring each.

Hooks marked *platform* fire for every installed plugin; hooks marked *workspace* fire only for
the plugins switched on in the workspace they are called for. docs/plugin_hooks.md documents
each one; tests/test_contract.py fails when a hook lacks documentation or a test.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("ent")


@hookspec
def ent_blueprints() -> list[Any]:
    """*Platform.* Return this plugin's Workspace-, Public- and ApiBlueprints."""


@hookspec
def ent_permissions() -> list[Any]:
    """*Platform.* Return the ``Permission`` objects this plugin checks, with their roles."""


@hookspec
def ent_roles() -> list[Any]:
    """*Platform.* Return the ``Role`` objects this plugin adds (trainer, advertiser...)."""


@hookspec
def ent_cli_commands(cli: Any) -> None:
    """*Platform.* Add click commands or groups to the ``ent`` command."""


@hookspec
def ent_schedules() -> list[Any]:
    """*Platform.* Return ``Schedule`` objects: jobs the worker runs periodically."""


@hookspec
def ent_installed() -> None:
    """*Platform.* The plugin's tables were just created by ``ent db upgrade``."""


@hookspec
def ent_upgraded(from_revision: str, to_revision: str) -> None:
    """*Platform.* ``ent db upgrade`` moved the plugin's tables from one revision to another."""


@hookspec
def ent_workspace_enabled(workspace: Any, settings: dict[str, Any]) -> None:
    """*Workspace.* The plugin was just switched on for ``workspace``."""


@hookspec
def ent_workspace_disabled(workspace: Any) -> None:
    """*Workspace.* The plugin was just switched off for ``workspace`` (its data stays)."""


@hookspec
def ent_nav_items(workspace: Any, user: Any) -> list[Any]:
    """*Workspace.* Return ``NavItem`` entries for the workspace's navigation (kept: see docs)."""


@hookspec
def ent_dashboard_widgets(workspace: Any, user: Any) -> list[Any]:
    """*Workspace.* Return ``Widget`` entries for the workspace dashboard."""


@hookspec
def ent_template_slot(slot: str, context: dict[str, Any]) -> Any:
    """*Workspace.* Return markup for the named slot of a page, or ``None`` to leave it alone."""


@hookspec
def ent_payment_providers() -> list[Any]:
    """*Platform.* Return ``sdk.PaymentProvider`` objects: more ways to pay and refund invoices."""


@hookspec
def ent_demo_data(workspaces: dict[str, Any], users: dict[str, Any]) -> list[str]:
    """*Platform.* ``ent demo`` ran: add this plugin's demo content, idempotently; say what."""


@hookspec
def ent_portal_items(sector: str | None, limit: int, before: Any) -> list[Any]:
    """*Platform.* Return up to ``limit`` newest ``PortalItem`` of ``sector`` published before."""


@hookspec
def ent_profile_badges(user: Any) -> list[Any]:
    """*Platform.* Return ``ProfileBadge`` entries ``user`` chose to show on public pages."""


@hookspec
def ent_trust_signals(workspace: Any) -> list[Any]:
    """*Platform.* Return ``TrustSignal`` entries: what this module proves about ``workspace``."""


@hookspec
def ent_event_types() -> list[Any]:
    """*Platform.* Return the ``EventType`` objects this plugin emits (docs: "Events")."""


@hookspec
def ent_event_subscriptions() -> list[Any]:
    """*Platform.* Return ``Subscription`` objects: events heard in the transaction or after it."""


@hookspec
def ent_ad_slots() -> list[Any]:
    """*Platform.* Return ``AdSlot`` objects: places of this plugin's pages that can carry ads."""


@hookspec
def ent_wsgi_middleware(app: Any) -> list[Any]:
    """*Platform.* Return ``wrap(wsgi_app) -> wsgi_app`` callables: paths answered before Flask."""
