"""Who may do what in the marketplace, declared once (docs/marketplace.md, "Who may do what").

In the seller's workspace: owners and admins hold everything; ``seller`` (a plugin role) and
editors manage listings and answer orders; payouts and the payout account are the owners' and
admins'. Buyers are people: whoever placed an order, or a member of the workspace it was placed
for, sees it (``orders.buyer_orders``). Operator decisions are platform administrators'
(``sdk.PlatformBlueprint`` pages).
"""

from __future__ import annotations

from typing import Any

from ent_core import sdk

VIEW = "workspace.view"
MANAGE_LISTINGS = "marketplace.manage_listings"
HANDLE_ORDERS = "marketplace.handle_orders"
MANAGE_PAYOUTS = "marketplace.manage_payouts"
BUY = "marketplace.buy"

ADMINS = ("owner", "admin")


def roles() -> list[Any]:
    return [
        sdk.Role(
            "seller",
            sdk._l("Seller"),
            sdk._l("Manages the marketplace listings and answers the orders and inquiries."),
        )
    ]


def declared() -> list[Any]:
    """The plugin's answer to ``ent_permissions``."""
    return [
        sdk.Permission(
            MANAGE_LISTINGS,
            sdk._l("Create and edit the marketplace listings"),
            (*ADMINS, "seller", "editor"),
        ),
        sdk.Permission(
            HANDLE_ORDERS,
            sdk._l("Answer inquiries, quote, deliver and message buyers"),
            (*ADMINS, "seller", "editor"),
        ),
        sdk.Permission(
            MANAGE_PAYOUTS,
            sdk._l("See payouts and set the account they are paid to"),
            ADMINS,
        ),
        sdk.Permission(
            BUY,
            sdk._l("Buy on the marketplace for this workspace"),
            (*ADMINS, "editor", "seller"),
        ),
    ]
