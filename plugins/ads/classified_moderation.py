"""Moderating classified ads: the pending queue, readers' reports and their resolution.

Platform moderators (``admin_bp``) approve or reject what waits under pre-moderation, uphold a
report (the ad is removed) or dismiss it. Every decision is audited and mailed to the author.
Reports come from anyone, signed in or not; see :func:`file_report` for the protection.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from ent_plugins.ads.catalogues import REPORT_REASONS
from ent_plugins.ads.classified_mail import tell_decision
from ent_plugins.ads.classifieds import _aware, _guarded, invalid
from ent_plugins.ads.models import ClassifiedAd, ClassifiedReport
from ent_plugins.ads.settings import settings
from flask import current_app

from ent_core import sdk

#: Reports one reader (an account, or an address on a given day) may file in an hour.
REPORTS_PER_HOUR = 5
DETAILS_MAX = 2000
REASON_MAX = 500


def _audit(action: str, ad: ClassifiedAd, actor: Any, **details: Any) -> None:
    sdk.audit(
        action,
        subject=f"classified:{ad.id}",
        workspace=ad.workspace,
        actor=actor,
        details=details or None,
    )


# -- pre-moderation --------------------------------------------------------------------------
def pending_queue() -> list[ClassifiedAd]:
    """Ads waiting for a decision, oldest first (across workspaces: moderators' pages)."""
    return list(
        sdk.db.session.scalars(
            sdk.db.select(ClassifiedAd)
            .where(ClassifiedAd.status == "pending")
            .order_by(ClassifiedAd.updated_at, ClassifiedAd.id)
        )
    )


def approve(ad: ClassifiedAd, moderator: Any) -> None:
    """Publish a pending ad; a first publication starts its days online."""
    now = sdk.utcnow()
    values: dict[str, Any] = {"status": "published", "moderated_by_id": moderator.id}
    if ad.published_at is None or ad.expires_at is None or _aware(ad.expires_at) <= now:
        values["published_at"] = now
        values["expires_at"] = now + timedelta(days=settings().classified_days)
    if not _guarded(ad, ("pending",), **values):
        raise invalid(ad)
    _audit("ads.classified_approved", ad, moderator)
    tell_decision(ad, "approved")


def reject(ad: ClassifiedAd, moderator: Any, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_MAX:
        raise sdk.UserError(
            "validation_error", sdk._("Say why, for the author."), 422, field="reason"
        )
    if not _guarded(
        ad, ("pending",), status="rejected", rejection_reason=reason, moderated_by_id=moderator.id
    ):
        raise invalid(ad)
    _audit("ads.classified_rejected", ad, moderator, reason=reason)
    tell_decision(ad, "rejected", reason)


# -- reports ---------------------------------------------------------------------------------
def reporter_key(user: Any, address: str | None) -> str:
    """``user:<id>`` for a signed-in reader; otherwise a keyed hash of the address and the day,
    so that the address itself is never stored and the key changes every day."""
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.id}"
    secret = str(current_app.config.get("SECRET_KEY") or "").encode()
    day = sdk.utcnow().date().isoformat()
    digest = hmac.new(secret, f"{address or '-'}|{day}".encode(), hashlib.sha256)
    return "addr:" + digest.hexdigest()[:40]


def file_report(
    ad: ClassifiedAd, *, reason: str, details: str, key: str, reporter: Any = None
) -> tuple[ClassifiedReport, bool]:
    """Put a report in the moderators' queue: ``(report, created)``.

    The same reader reporting the same ad again gets their open report back (nothing new);
    beyond :data:`REPORTS_PER_HOUR` reports an hour they get 429 ``rate_limited``.
    """
    if reason not in REPORT_REASONS:
        raise sdk.UserError(
            "validation_error", sdk._("Choose what is wrong with this ad."), 422, field="reason"
        )
    details = (details or "").strip()
    if len(details) > DETAILS_MAX:
        raise sdk.UserError(
            "validation_error",
            sdk._("At most %(num)d characters.", num=DETAILS_MAX),
            422,
            field="details",
        )
    same = sdk.db.session.scalar(
        sdk.db.select(ClassifiedReport).where(
            ClassifiedReport.classified_id == ad.id,
            ClassifiedReport.reporter_key == key,
            ClassifiedReport.status == "open",
        )
    )
    if same is not None:
        return same, False
    since = sdk.utcnow() - timedelta(hours=1)
    recent = sdk.db.session.scalar(
        sdk.db.select(sdk.db.func.count(ClassifiedReport.id)).where(
            ClassifiedReport.reporter_key == key, ClassifiedReport.created_at > since
        )
    )
    if int(recent or 0) >= REPORTS_PER_HOUR:
        raise sdk.UserError(
            "rate_limited",
            sdk._("You sent many reports in the last hour; please try again later."),
            429,
            details={"retry_after": 3600},
        )
    report = ClassifiedReport(
        classified_id=ad.id,
        reason=reason,
        details=details,
        reporter_id=getattr(reporter, "id", None),
        reporter_key=key,
    )
    sdk.db.session.add(report)
    sdk.db.session.flush()
    _audit("ads.classified_reported", ad, reporter, reason=reason, report=report.id)
    return report, True


def open_reports() -> list[ClassifiedReport]:
    """Open reports, oldest first, with their ads."""
    return list(
        sdk.db.session.scalars(
            sdk.db.select(ClassifiedReport)
            .where(ClassifiedReport.status == "open")
            .order_by(ClassifiedReport.id)
        )
    )


def _close_report(report: ClassifiedReport, status: str, moderator: Any) -> bool:
    table = ClassifiedReport.__table__
    done = sdk.db.session.execute(
        table.update()
        .where(table.c.id == report.id, table.c.status == "open")
        .values(status=status, resolved_by_id=moderator.id, resolved_at=sdk.utcnow())
    ).rowcount
    sdk.db.session.refresh(report)
    return bool(done == 1)


def uphold(report: ClassifiedReport, moderator: Any) -> ClassifiedAd:
    """The report is right: the ad is removed from its board, and every open report of it is
    closed as upheld."""
    ad = sdk.db.session.get(ClassifiedAd, report.classified_id)
    if ad is None or not _close_report(report, "upheld", moderator):
        raise _already_decided()
    others = sdk.db.session.scalars(
        sdk.db.select(ClassifiedReport).where(
            ClassifiedReport.classified_id == ad.id, ClassifiedReport.status == "open"
        )
    )
    for other in others:
        _close_report(other, "upheld", moderator)
    removable = ("unpaid", "pending", "published", "expired", "rejected", "withdrawn")
    _guarded(ad, removable, status="removed", moderated_by_id=moderator.id)
    reason = REPORT_REASONS.get(report.reason, report.reason)  # lazy: in the author's language
    _audit("ads.classified_removed", ad, moderator, report=report.id, reason=report.reason)
    tell_decision(ad, "removed", reason)
    return ad


def dismiss(report: ClassifiedReport, moderator: Any) -> None:
    if not _close_report(report, "dismissed", moderator):
        raise _already_decided()
    ad = sdk.db.session.get(ClassifiedAd, report.classified_id)
    if ad is not None:
        _audit("ads.classified_report_dismissed", ad, moderator, report=report.id)


def _already_decided() -> sdk.UserError:
    return sdk.UserError("invalid_transition", sdk._("This report was already decided."), 409)
