"""Mails to the sellers about the operator's decisions on their listings."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Listing
from ent_plugins.marketplace.permissions import MANAGE_LISTINGS
from flask_babel import force_locale

from ent_core import sdk

_l = sdk._l

SUBJECTS: dict[str, Any] = {
    "approved": _l("Your listing is published"),
    "changes_approved": _l("The changes to your listing are applied"),
    "rejected": _l("Your listing was not accepted"),
    "changes_rejected": _l("The changes to your listing were not accepted"),
    "removed": _l("Your listing was removed"),
}


def _text(listing: Listing, decision: str, reason: str) -> Any:
    if decision == "approved":
        return _l("“%(title)s” is now on the marketplace.", title=listing.title)
    if decision == "changes_approved":
        return _l("The new price or category of “%(title)s” now applies.", title=listing.title)
    if decision == "rejected":
        return _l(
            "“%(title)s” was not accepted by the platform: %(reason)s. You may change it and "
            "submit it again.",
            title=listing.title,
            reason=reason,
        )
    if decision == "changes_rejected":
        return _l(
            "The new price or category of “%(title)s” was not accepted: %(reason)s. The "
            "listing keeps selling at its approved values.",
            title=listing.title,
            reason=reason,
        )
    return _l(
        "“%(title)s” was removed from the marketplace after a report: %(reason)s.",
        title=listing.title,
        reason=reason,
    )


def tell_sellers(listing: Listing, decision: str, reason: str = "") -> None:
    """One mail to each member who manages the listings, in their own language."""
    workspace = listing.workspace
    link = sdk.external_url("marketplace.listing", workspace=workspace.slug, listing_id=listing.id)
    for member in sdk.workspace_members(workspace, permission=MANAGE_LISTINGS):
        if not member.email:
            continue
        with force_locale(getattr(member, "locale", None) or "fr"):
            sdk.send_mail(
                member.email,
                str(SUBJECTS[decision]),
                "\n\n".join([str(_text(listing, decision, reason)), link]),
            )
