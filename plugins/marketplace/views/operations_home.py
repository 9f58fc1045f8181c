"""The operator's marketplace home (``/admin/marketplace/``): each part's cards (listings to
approve, payments to confirm, disputes, payouts, categories)."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import seller_home
from ent_plugins.marketplace.parts import collect
from flask import render_template


def admin_index() -> Any:
    """Platform administrators only (``admin_bp`` refuses the others before this runs)."""
    return render_template(
        "marketplace/operations/admin_index.html",
        cards=seller_home.cards(collect("admin_sections")),
    )
