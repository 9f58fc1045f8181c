"""The marketplace home of a seller's workspace (``/w/<slug>/marketplace/``): each part's
cards (listings, orders, payouts...) and the steps left before the first sale."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import seller_home
from ent_plugins.marketplace.permissions import VIEW
from flask import render_template

from ent_core import sdk


@sdk.require_permission(VIEW)
def index() -> Any:
    workspace = sdk.current_workspace()
    steps = seller_home.getting_started(workspace)
    return render_template(
        "marketplace/index.html",
        cards=seller_home.seller_cards(workspace),
        steps=steps,
        steps_left=sum(1 for step in steps if not step.done),
    )
