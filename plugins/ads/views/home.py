"""The advertising home of a workspace: its campaigns, placements, classified ads, reports."""

from __future__ import annotations

from typing import Any

from ent_plugins.ads.permissions import VIEW
from flask import render_template

from ent_core import sdk


@sdk.require_permission(VIEW)
def index() -> Any:
    return render_template("ads/index.html")
