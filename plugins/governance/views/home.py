"""The association's home in the members' area, and its public home page."""

from __future__ import annotations

from typing import Any

from ent_plugins.governance.permissions import VIEW
from flask import render_template

from ent_core import sdk


@sdk.require_permission(VIEW)
def index() -> Any:
    return render_template("governance/index.html")


def public_index() -> Any:
    return render_template("governance/public/index.html")
