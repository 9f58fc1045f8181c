"""What the public may see of the marketplace: the one rule every page, feed, API and hook
of discovery goes through.

Visible: published listings of approved workspaces (a suspended or pending one is not
approved) where the marketplace is switched on (``sdk.public_workspace_ids``), whatever
workspace is current: the statement crosses workspaces explicitly. A workspace that switches
the module off drops out of the subquery, so its listings vanish on the next request.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Listing
from sqlalchemy import literal, select

from ent_core import sdk

PLUGIN = "marketplace"


def public_sellers() -> Any:
    """The subquery of the ids of workspaces whose listings the public sees."""
    return sdk.public_workspace_ids(PLUGIN)


def visible_listings() -> Any:
    """``select(Listing)`` of the listings the public sees (no order, no loading options)."""
    return (
        select(Listing)
        .where(Listing.status == "published", Listing.workspace_id.in_(public_sellers()))
        .execution_options(ent_all_workspaces=True)
    )


def is_public_seller(workspace_id: int) -> bool:
    found = sdk.db.session.scalar(
        select(literal(1)).where(literal(workspace_id).in_(public_sellers()))
    )
    return found is not None
