"""The marketplace's trust signals: sales completed and how fast the seller answers.

Answers ``ent_trust_signals`` (plugin.py) with the figures transactions keep on the seller's
profile; the storefront and the listing pages show every module's signals together.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import SellerProfile

from ent_core import sdk

#: Codes this module answers with, explained on /marketplace/trust.
COMPLETED, RESPONSE = "completed_orders", "response_time"


def response_time(minutes: int) -> str:
    """A median answer time as people say it: minutes, hours, then days."""
    if minutes < 60:  # an answer within the minute is "1 minute", never "0 minutes"
        return sdk.ngettext("%(num)d minute", "%(num)d minutes", max(minutes, 1))
    if minutes < 48 * 60:
        return sdk.ngettext("%(num)d hour", "%(num)d hours", round(minutes / 60))
    return sdk.ngettext("%(num)d day", "%(num)d days", round(minutes / 1440))


def public_seller(workspace_id: int) -> bool:
    """Approved, with the marketplace on: the only sellers public pages may show."""
    public = sdk.public_workspace_ids("marketplace").subquery()
    with sdk.all_workspaces():  # activations of every workspace, filtered to this one
        found = sdk.db.session.scalar(
            sdk.db.select(public.c.workspace_id).where(public.c.workspace_id == workspace_id)
        )
    return found is not None


def trust_signals(workspace: Any) -> list[sdk.TrustSignal]:
    """A public seller's figures; nothing where the marketplace is off (it is invisible)."""
    if not public_seller(workspace.id):
        return []
    with sdk.in_workspace(workspace.id):
        profile = sdk.db.session.scalar(sdk.db.select(SellerProfile))
    if profile is None:
        return []
    signals = []
    if profile.completed_orders:
        signals.append(
            sdk.TrustSignal(
                COMPLETED,
                sdk.ngettext(
                    "%(num)d completed sale", "%(num)d completed sales", profile.completed_orders
                ),
                sdk._(
                    "Orders paid through the platform and delivered to the buyer's satisfaction."
                ),
            )
        )
    if profile.response_minutes is not None:
        signals.append(
            sdk.TrustSignal(
                RESPONSE,
                sdk._("Answers in %(time)s", time=response_time(profile.response_minutes)),
                sdk._("The median time the seller took to answer a buyer for the first time."),
            )
        )
    return signals
