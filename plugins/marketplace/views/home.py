"""The marketplace home of a seller's workspace: its listings, orders, payouts."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.permissions import VIEW
from flask import render_template

from ent_core import sdk


@sdk.require_permission(VIEW)
def index() -> Any:
    return render_template("marketplace/index.html")
