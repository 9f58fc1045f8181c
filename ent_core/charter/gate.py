"""The charter gate: until a user signs the current version, the members' area is closed.

Registered once as a ``before_request`` function; it runs after the tenancy guard, so
strangers still get their 404 first. Reading and signing the charter, signing in and out,
health checks, public pages and the few API endpoints of CONVENTIONS.md stay open.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ent_core.api.errors import ApiError
from ent_core.charter.service import gate_state
from ent_core.links import base_url

OPEN_BLUEPRINTS = frozenset({"auth", "charter", "charter_api", "health", "portal"})
OPEN_ENDPOINTS = frozenset({"static", "plugin_static", "platform.home", "api.openapi", "api.me"})


def charter_url() -> str:
    return base_url() + url_for("charter.read")


def _is_open(endpoint: str) -> bool:
    if endpoint in OPEN_ENDPOINTS:
        return True
    blueprint = endpoint.rsplit(".", 1)[0] if "." in endpoint else ""
    if blueprint in OPEN_BLUEPRINTS:
        return True
    bp = current_app.blueprints.get(blueprint)
    # A workspace's public site, or a plugin's platform-wide public pages and feeds (the sector
    # boards of classified ads) that say so with ``public_pages = True``.
    return getattr(bp, "area", None) == "public" or getattr(bp, "public_pages", False) is True


def enforce_charter() -> Any:
    endpoint = request.endpoint
    if endpoint is None or _is_open(endpoint) or not current_user.is_authenticated:
        return None
    if gate_state(current_user).signed:
        return None
    if request.path.startswith("/api/"):
        raise ApiError(
            "charter_required",
            _("Sign the current version of the ethics charter first."),
            403,
            {"charter_url": charter_url()},
        )
    return redirect(url_for("charter.read", next=request.full_path.rstrip("?")))
