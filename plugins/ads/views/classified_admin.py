"""The moderators' queue of classified ads (``/admin/ads/classifieds``, platform admins only):
pending ads to approve or reject, reports to uphold or dismiss."""

from __future__ import annotations

from typing import Any

from ent_plugins.ads import classified_moderation as moderation
from ent_plugins.ads.catalogues import CLASSIFIED_KINDS, CLASSIFIED_STATUSES, REPORT_REASONS
from ent_plugins.ads.classified_boards import body_html
from ent_plugins.ads.classified_forms import ActionForm, RejectForm
from ent_plugins.ads.models import ClassifiedAd, ClassifiedReport
from flask import flash, redirect, render_template, url_for

from ent_core import sdk


def queue_context() -> dict[str, Any]:
    """What the queue's include draws, for any page of ``admin_bp`` (the moderation home
    includes it too): given to templates as ``classifieds_queue()``."""
    reports = moderation.open_reports()
    return {
        "pending": moderation.pending_queue(),
        "reports": reports,
        "ads_by_id": _ads_of(reports),
        "kinds": CLASSIFIED_KINDS,
        "statuses": CLASSIFIED_STATUSES,
        "reasons": REPORT_REASONS,
        "body_html": body_html,
        "sector_label": sdk.sector_label,
        "action_form": ActionForm(),
        "reject_form": RejectForm(),
    }


def template_helpers() -> dict[str, Any]:
    """``admin_bp``'s context processor: the queue's data, computed only when drawn."""
    return {"classifieds_queue": queue_context}


def queue() -> Any:
    return render_template("ads/admin/classifieds.html")


def _ads_of(reports: list[ClassifiedReport]) -> dict[int, ClassifiedAd]:
    ids = {r.classified_id for r in reports}
    if not ids:
        return {}
    rows = sdk.db.session.scalars(sdk.db.select(ClassifiedAd).where(ClassifiedAd.id.in_(ids)))
    return {ad.id: ad for ad in rows}


def _back() -> Any:
    return redirect(url_for("ads_admin.classifieds"), 303)


def _ad(classified_id: int) -> ClassifiedAd:
    ad = sdk.db.session.get(ClassifiedAd, classified_id)
    if ad is None:
        sdk.abort(404)
    return ad


def _report(report_id: int) -> ClassifiedReport:
    report = sdk.db.session.get(ClassifiedReport, report_id)
    if report is None:
        sdk.abort(404)
    return report


def approve(classified_id: int) -> Any:
    ad = _ad(classified_id)
    if not ActionForm().validate_on_submit():
        sdk.abort(400)
    with sdk.user_errors():
        moderation.approve(ad, sdk.current_user)
        sdk.db.session.commit()
        flash(sdk._("The ad is published."), "success")
    return _back()


def reject(classified_id: int) -> Any:
    ad = _ad(classified_id)
    form = RejectForm()
    if not form.validate_on_submit():
        flash(sdk._("Say why, for the author."), "error")
        return _back()
    with sdk.user_errors():
        moderation.reject(ad, sdk.current_user, form.reason.data)
        sdk.db.session.commit()
        flash(sdk._("The ad is rejected; its author is told why."), "success")
    return _back()


def uphold(report_id: int) -> Any:
    report = _report(report_id)
    if not ActionForm().validate_on_submit():
        sdk.abort(400)
    with sdk.user_errors():
        moderation.uphold(report, sdk.current_user)
        sdk.db.session.commit()
        flash(sdk._("The ad is removed from its board."), "success")
    return _back()


def dismiss(report_id: int) -> Any:
    report = _report(report_id)
    if not ActionForm().validate_on_submit():
        sdk.abort(400)
    with sdk.user_errors():
        moderation.dismiss(report, sdk.current_user)
        sdk.db.session.commit()
        flash(sdk._("The report is dismissed."), "success")
    return _back()
