"""URL rules of the marketplace plugin, and nothing else.

Sellers' pages under ``/w/<workspace>/marketplace/``, the seller's API under
``/api/v1/workspaces/<workspace>/marketplace/``; the platform's own addresses: the public
marketplace (``/marketplace/...``: home, categories, sectors, search, storefronts, listings,
feeds), the buyers' pages (``/marketplace/cart``, ``/marketplace/orders/...``, signed in),
the public read-only API (``/api/v1/marketplace/...``) and the operator's pages
(``/admin/marketplace/...``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ent_plugins.marketplace.parts import call
from ent_plugins.marketplace.views import home
from flask import Blueprint

from ent_core import sdk

GP = ["GET", "POST"]
P = ["POST"]

members = sdk.WorkspaceBlueprint("marketplace", __name__, template_folder="templates")
api_bp = sdk.ApiBlueprint("marketplace_api", __name__)
#: The public marketplace, platform-wide like the portal: no sign-in, outside the charter gate.
market_bp = Blueprint(
    "marketplace_public", __name__, url_prefix="/marketplace", template_folder="templates"
)
#: The buyers' pages (cart, checkout, their orders and messages): signed in, behind the
#: charter gate like every members' page.
buyer_bp = Blueprint(
    "marketplace_buyer", __name__, url_prefix="/marketplace", template_folder="templates"
)
#: The public read-only API of listings.
public_api_bp = Blueprint("marketplace_public_api", __name__, url_prefix="/api/v1/marketplace")
#: The operator: listings to approve, reports, payments to confirm, disputes, payouts.
admin_bp = sdk.PlatformBlueprint(
    "marketplace_admin", __name__, url_prefix="/admin/marketplace", template_folder="templates"
)
# Public pages and feeds stay outside the charter gate (CONVENTIONS.md), like the portal.
market_bp.public_pages = True  # type: ignore[attr-defined]
public_api_bp.public_pages = True  # type: ignore[attr-defined]

rule = members.add_url_rule
rule("/", view_func=home.index)


#: Blueprints of a part beyond the six above (a part's ``routes`` appends them).
EXTRA: list[Any] = []


def blueprints() -> list[Any]:
    return [members, api_bp, market_bp, buyer_bp, public_api_bp, admin_bp, *EXTRA]


@dataclass(frozen=True)
class Blueprints:
    """What a part's ``routes(bps)`` (in its ``hooks_<part>.py``) adds its URL rules to."""

    members: Any
    api: Any
    market: Any
    buyer: Any
    public_api: Any
    admin: Any
    extra: list[Any]


call("routes", Blueprints(members, api_bp, market_bp, buyer_bp, public_api_bp, admin_bp, EXTRA))
