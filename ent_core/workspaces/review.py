"""The platform admins' review queue of workspace applications (``/admin/workspaces/``)."""

from __future__ import annotations

import functools
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ent_core.audit import record
from ent_core.db import db
from ent_core.errors import user_errors
from ent_core.tenancy import CrossWorkspaceBlueprint
from ent_core.uploads import send_upload
from ent_core.workspaces import vetting
from ent_core.workspaces.forms import ConfirmForm, DecisionForm
from ent_core.workspaces.labels import STATUS_LABELS, label
from ent_core.workspaces.models import ApplicationDocument, Workspace

bp = CrossWorkspaceBlueprint("vetting_admin", __name__, url_prefix="/admin/workspaces")


def admins_only(view: Any) -> Any:
    @functools.wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def _workspace(slug: str) -> Workspace:
    workspace = db.session.scalar(db.select(Workspace).where(Workspace.slug == slug))
    if workspace is None:
        abort(404)
    return workspace


@bp.get("/")
@admins_only
def queue() -> Any:
    rows = vetting.review_queue()
    pending = sum(1 for w, _a in rows if w.status == "pending")
    return render_template("admin/vetting_queue.html", rows=rows, pending=pending)


def _review_page(workspace: Workspace, form: DecisionForm, status: int = 200) -> Any:
    return render_template(
        "admin/vetting_review.html",
        workspace=workspace,
        application=vetting.application_of(workspace),
        specs=vetting.IDENTIFIERS.get(workspace.kind, ()),
        form=form,
        approve_form=ConfirmForm(),
        owners=vetting.applicants(workspace),
    ), status


@bp.get("/<slug>")
@admins_only
def review(slug: str) -> Any:
    return _review_page(_workspace(slug), DecisionForm())


@bp.post("/<slug>/approve")
@admins_only
def approve(slug: str) -> Any:
    workspace = _workspace(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with user_errors():
        vetting.approve(workspace, actor=current_user._get_current_object())
        flash(
            _("%(name)s is approved; its owners are told by email.", name=workspace.name),
            "success",
        )
        return redirect(url_for("vetting_admin.queue"), 303)
    return redirect(url_for("vetting_admin.review", slug=slug), 303)


@bp.post("/<slug>/reject")
@admins_only
def reject(slug: str) -> Any:
    workspace = _workspace(slug)
    form = DecisionForm()
    if form.validate_on_submit():
        with user_errors(form):
            vetting.reject(
                workspace, actor=current_user._get_current_object(), reason=form.reason.data or ""
            )
            flash(
                _("%(name)s is rejected; its owners are told by email.", name=workspace.name),
                "success",
            )
            return redirect(url_for("vetting_admin.queue"), 303)
    return _review_page(workspace, form, 422)


@bp.post("/<slug>/suspension")
@admins_only
def suspension(slug: str) -> Any:
    """Suspend an approved workspace, or reinstate a suspended one (the reason is mailed)."""
    from ent_core.sanctions.service import reinstate_workspace, suspend_workspace

    workspace = _workspace(slug)
    form = DecisionForm()
    if form.validate_on_submit():
        change = suspend_workspace if workspace.approved else reinstate_workspace
        with user_errors(form):
            change(workspace, form.reason.data or "", actor=current_user._get_current_object())
            flash(
                _(
                    "%(name)s: %(status)s.",
                    name=workspace.name,
                    status=label(STATUS_LABELS, workspace.status),
                ),
                "success",
            )
            return redirect(url_for("vetting_admin.review", slug=slug), 303)
    return _review_page(workspace, form, 422)


@bp.get("/<slug>/documents/<int:document_id>")
@admins_only
def document(slug: str, document_id: int) -> Any:
    workspace = _workspace(slug)
    found = db.session.scalar(
        db.select(ApplicationDocument).where(
            ApplicationDocument.id == document_id,
            ApplicationDocument.workspace_id == workspace.id,
        )
    )
    if found is None:
        abort(404)
    # Identity documents are personal data: every reading by an administrator is traced.
    record(
        "admin.application_document_read",
        subject=f"document:{found.id}",
        workspace=workspace,
        actor=current_user._get_current_object(),
        details={"name": found.original_name},
    )
    db.session.commit()
    return send_upload(found.key, download_name=found.original_name)
