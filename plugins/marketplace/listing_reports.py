"""Reports of listings by anyone (signed in or not) and the operator's answer to them.

One report per person and listing: ``reporter_key`` is a keyed hash of the account, or of the
address for visitors without one, so that no address is stored. Upholding a report removes the
listing (``removed``) and closes its other open reports; dismissing closes that report.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from ent_plugins.marketplace.catalogues import REPORT_REASONS
from ent_plugins.marketplace.listing_lifecycle import audit, guarded
from ent_plugins.marketplace.listing_mail import tell_sellers
from ent_plugins.marketplace.models import Listing, ListingReport
from flask import current_app

from ent_core import sdk

TEXT_MAX = 2000
#: Reports one person may file in an hour, whatever the listings.
REPORTS_PER_HOUR = 5
REMOVABLE = ("draft", "pending", "published", "rejected", "withdrawn")


def reporter_key(user: Any, address: str | None) -> str:
    """A keyed hash naming the reporter: their account, else their address."""
    if user is not None and getattr(user, "is_authenticated", False):
        who = f"user:{user.id}"
    else:
        who = f"addr:{address or '-'}"
    secret = str(current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(secret, who.encode(), hashlib.sha256).hexdigest()


def public_listing(listing_id: int) -> Listing | None:
    """A listing anyone may see: published, of an approved workspace with the marketplace on."""
    with sdk.all_workspaces():
        return sdk.db.session.scalar(
            sdk.db.select(Listing).where(
                Listing.id == listing_id,
                Listing.status == "published",
                Listing.workspace_id.in_(sdk.public_workspace_ids("marketplace")),
            )
        )


def file_report(
    listing: Listing, *, reason: str, text: str, key: str, reporter: Any = None
) -> tuple[ListingReport, bool]:
    """``(report, created)``: the same person reporting the same listing again gets their
    report back; beyond ``REPORTS_PER_HOUR`` an hour, 429 ``rate_limited``."""
    if reason not in REPORT_REASONS:
        raise sdk.UserError(
            "validation_error",
            sdk._("Choose what is wrong with this listing."),
            422,
            field="reason",
        )
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise sdk.UserError(
            "validation_error",
            sdk._("At most %(num)d characters.", num=TEXT_MAX),
            422,
            field="text",
        )
    with sdk.in_workspace(listing.workspace_id):
        same = sdk.db.session.scalar(
            sdk.db.select(ListingReport).where(
                ListingReport.listing_id == listing.id, ListingReport.reporter_key == key
            )
        )
        if same is not None:
            return same, False
    with sdk.all_workspaces():
        recent = sdk.db.session.scalar(
            sdk.db.select(sdk.db.func.count(ListingReport.id)).where(
                ListingReport.reporter_key == key,
                ListingReport.created_at > sdk.utcnow() - timedelta(hours=1),
            )
        )
    if int(recent or 0) >= REPORTS_PER_HOUR:
        raise sdk.UserError(
            "rate_limited",
            sdk._("You sent many reports in the last hour; please try again later."),
            429,
            details={"retry_after": 3600},
        )
    with sdk.in_workspace(listing.workspace_id):
        report = ListingReport(
            listing_id=listing.id,
            reason=reason,
            text=text,
            reporter_id=getattr(reporter, "id", None),
            reporter_key=key,
        )
        sdk.db.session.add(report)
        sdk.db.session.flush()
    audit("reported", listing, reporter, reason=reason, report=report.id)
    return report, True


def open_reports() -> list[ListingReport]:
    """Open reports, oldest first (operator pages: across workspaces)."""
    return list(
        sdk.db.session.scalars(
            sdk.db.select(ListingReport)
            .where(ListingReport.status == "open")
            .order_by(ListingReport.created_at, ListingReport.id)
        )
    )


def _close(report: ListingReport, status: str, operator: Any) -> bool:
    done = sdk.db.session.execute(
        sdk.db.update(ListingReport)
        .where(ListingReport.id == report.id, ListingReport.status == "open")
        .values(status=status, decided_by_id=operator.id, decided_at=sdk.utcnow())
        .execution_options(synchronize_session=False)
    )
    sdk.db.session.refresh(report)
    return bool(done.rowcount)  # type: ignore[attr-defined]


def _already_decided() -> sdk.UserError:
    return sdk.UserError("invalid_state", sdk._("This report was already decided."), 409)


def uphold(report: ListingReport, operator: Any) -> Listing:
    """Remove the listing; its other open reports close with this one."""
    listing = sdk.db.session.get(Listing, report.listing_id)
    assert listing is not None  # a report goes with its listing (ON DELETE CASCADE)
    if not _close(report, "upheld", operator):
        raise _already_decided()
    reason = str(REPORT_REASONS.get(report.reason, report.reason))
    if listing.status in REMOVABLE:
        guarded(listing, REMOVABLE, status="removed", pending_changes={})
        audit("removed", listing, operator, report=report.id, reason=report.reason)
        tell_sellers(listing, "removed", reason)
    for other in sdk.db.session.scalars(
        sdk.db.select(ListingReport).where(
            ListingReport.listing_id == listing.id, ListingReport.status == "open"
        )
    ):
        _close(other, "upheld", operator)
    return listing


def dismiss(report: ListingReport, operator: Any) -> None:
    if not _close(report, "dismissed", operator):
        raise _already_decided()
    listing = sdk.db.session.get(Listing, report.listing_id)
    if listing is not None:
        audit("report_dismissed", listing, operator, report=report.id)
