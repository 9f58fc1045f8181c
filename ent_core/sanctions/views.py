"""The report form (anyone signed in) and the administrators' queue of reports."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ent_core.db import db
from ent_core.errors import user_errors
from ent_core.identity.models import User
from ent_core.sanctions import service
from ent_core.sanctions.forms import ReinstatementForm, ReportDecisionForm, ReportForm
from ent_core.sanctions.models import CharterReport
from ent_core.tenancy import CrossWorkspaceBlueprint
from ent_core.workspaces.models import Workspace
from ent_core.workspaces.review import admins_only

bp = Blueprint("sanctions", __name__, url_prefix="/reports")
admin_bp = CrossWorkspaceBlueprint("sanctions_admin", __name__, url_prefix="/admin/reports")


def _target() -> tuple[Workspace | None, User | None]:
    """What the form reports, from ``?workspace=<slug>`` or ``?person=<signed token>``."""
    slug, token = request.args.get("workspace"), request.args.get("person")
    workspace = service.reportable_workspace(slug) if slug else None
    person = service.person_from_token(token) if token and not slug else None
    if workspace is None and person is None:
        abort(404)
    return workspace, person


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_report() -> Any:
    workspace, person = _target()
    form = ReportForm()
    status = 200
    if form.validate_on_submit():
        with user_errors(form) as refused:
            service.file_report(
                current_user._get_current_object(),  # type: ignore[attr-defined]
                workspace=workspace,
                person=person,
                reason=form.reason.data or "",
                details=form.details.data or "",
                evidence_url=form.evidence_url.data,
            )
            flash(_("Thank you. The platform's administrators will read your report."), "success")
            return redirect(url_for("platform.home"), 303)
        status = refused.status()
    elif form.is_submitted():
        status = 422
    return render_template(
        "sanctions/report.html", form=form, workspace=workspace, person=person
    ), status


@admin_bp.get("/")
@admins_only
def queue() -> Any:
    status = request.args.get("status", "open")
    if status not in ("open", "closed", "all"):
        status = "open"
    found = service.reports(None if status == "all" else status)
    open_count = db.session.scalar(
        db.select(db.func.count(CharterReport.id)).where(CharterReport.status == "open")
    )
    return render_template(
        "sanctions/admin_queue.html", reports=found, status=status, open_count=open_count
    )


def _report(report_id: int) -> CharterReport:
    report = db.session.get(CharterReport, report_id)
    if report is None:
        abort(404)
    return report


def _detail(
    report: CharterReport,
    form: ReportDecisionForm,
    status: int = 200,
    reinstatement: ReinstatementForm | None = None,
) -> Any:
    others = db.session.scalar(
        db.select(db.func.count(CharterReport.id)).where(
            CharterReport.id != report.id,
            CharterReport.workspace_id == report.workspace_id
            if report.workspace_id
            else CharterReport.person_id == report.person_id,
        )
    )
    target = report.workspace or report.person
    suspended = target is not None and (
        target.suspended if report.workspace is not None else not target.is_active_account
    )
    return render_template(
        "sanctions/admin_report.html",
        report=report,
        form=form,
        others=others,
        reinstatement=(reinstatement or ReinstatementForm()) if suspended else None,
    ), status


@admin_bp.get("/<int:report_id>")
@admins_only
def detail(report_id: int) -> Any:
    return _detail(_report(report_id), ReportDecisionForm())


@admin_bp.post("/<int:report_id>/decision")
@admins_only
def decide(report_id: int) -> Any:
    report = _report(report_id)
    form = ReportDecisionForm()
    if form.validate_on_submit():
        with user_errors(form) as refused:
            service.decide(
                report,
                form.action.data or "",
                form.reason.data or "",
                actor=current_user._get_current_object(),  # type: ignore[attr-defined]
            )
            flash(_("The report is closed; whom it concerns is told by email."), "success")
            return redirect(url_for("sanctions_admin.queue"), 303)
        return _detail(_report(report_id), form, 409 if refused.status() == 409 else 422)
    return _detail(report, form, 422)


@admin_bp.post("/<int:report_id>/reinstatement")
@admins_only
def reinstate(report_id: int) -> Any:
    """An appeal after the report was closed: reinstate the workspace or the account it names."""
    report = _report(report_id)
    form = ReinstatementForm()
    if form.validate_on_submit():
        with user_errors(form):
            service.reinstate_target(
                report,
                form.reason.data or "",
                actor=current_user._get_current_object(),  # type: ignore[attr-defined]
            )
            flash(_("Reinstated; whom it concerns is told by email."), "success")
            return redirect(url_for("sanctions_admin.detail", report_id=report_id), 303)
    return _detail(_report(report_id), ReportDecisionForm(), 422, form)


@bp.app_context_processor
def report_helpers() -> dict[str, Any]:
    """Labels of reasons and outcomes, and the report link every public page carries."""
    from ent_core.workspaces.labels import label

    def report_url(**values: Any) -> str:
        from ent_core.sdk import report_url as build

        return build(**values)

    return {
        "reason_label": lambda code: label(service.REASON_LABELS, code),
        "outcome_label": lambda code: label(service.OUTCOME_LABELS, code),
        "report_url": report_url,
    }
