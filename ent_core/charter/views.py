"""Reading and signing the charter; publishing versions and exporting signatories (admins)."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ent_core.charter import service
from ent_core.charter.forms import PublishForm, SignForm
from ent_core.charter.models import CharterSignature, CharterVersion
from ent_core.content import render_markdown
from ent_core.db import db
from ent_core.errors import user_errors
from ent_core.identity.views import safe_next
from ent_core.tenancy import CrossWorkspaceBlueprint

bp = Blueprint("charter", __name__, url_prefix="/charter")
admin_bp = CrossWorkspaceBlueprint("charter_admin", __name__, url_prefix="/admin/charter")


def _language() -> str:
    return str(get_locale() or service.REFERENCE_LANGUAGE)


@bp.get("/")
def read() -> Any:
    current = service.current_version()
    if current is None:
        abort(404)
    return _render_read(current, SignForm(next=safe_next(request.args.get("next")) or ""))


def _render_read(current: Any, form: SignForm, status: int = 200) -> Any:
    text = service.text_for(current, _language())
    signature = previous = diff = None
    if current_user.is_authenticated:
        signature = service.signature_for(current_user, current)
        last = service.last_signature(current_user)
        if signature is None and last is not None:
            previous = last.version
            old_text = service.text_for(previous, text.language).body
            diff = service.line_diff(old_text, text.body)
    form.version.data = current.version
    form.sha256.data = service.sha256_of(text.body)
    return render_template(
        "charter/read.html",
        charter=current,
        text=text,
        body=render_markdown(text.body),
        signature=signature,
        previous=previous,
        diff=diff,
        form=form,
        sha256=service.sha256_of(text.body),
    ), status


@bp.post("/sign")
@login_required
def sign() -> Any:
    current = service.current_version()
    if current is None:
        abort(404)
    form = SignForm()
    if not form.validate_on_submit():
        return _render_read(current, form, 422)
    with user_errors():  # a refusal (another version, another text) is flashed on the charter
        service.sign(
            current_user,
            form.version.data or "",
            language=_language(),
            ip_address=request.remote_addr,
            user_agent=request.user_agent.string,
            expected_sha256=form.sha256.data or None,
        )
        flash(_("Thank you: you have signed the charter."), "success")
        return redirect(safe_next(form.next.data) or url_for("platform.workspaces"))
    return redirect(url_for("charter.read"))


@bp.get("/versions/<version>")
def version(version: str) -> Any:
    found = service.get_version(version) or abort(404)
    text = service.text_for(found, _language())
    return render_template(
        "charter/version.html",
        charter=found,
        text=text,
        body=render_markdown(text.body),
        sha256=service.sha256_of(text.body),
    )


def _admin_only() -> None:
    if not current_user.is_admin:
        abort(403)


@admin_bp.route("/", methods=["GET", "POST"])
@login_required
def manage() -> Any:
    _admin_only()
    current = service.current_version()
    form = PublishForm()
    if request.method == "GET" and current is not None:
        for language in service.LANGUAGES:
            by_language = {t.language: t.body for t in current.texts}
            getattr(form, f"text_{language}").data = by_language.get(language, "")
    if form.validate_on_submit():
        with user_errors(form):
            published = service.publish(
                form.version.data or "",
                {lang: getattr(form, f"text_{lang}").data or "" for lang in service.LANGUAGES},
                summary=form.summary.data or "",
                actor=current_user,
            )
            flash(
                _(
                    "Version %(v)s is published; members will be asked to sign it.",
                    v=published.version,
                ),
                "success",
            )
            return redirect(url_for("charter_admin.manage"))
    versions = db.session.execute(
        db.select(CharterVersion, db.func.count(CharterSignature.id))
        .outerjoin(CharterSignature, CharterSignature.version_id == CharterVersion.id)
        .group_by(CharterVersion.id)
        .order_by(CharterVersion.published_at.desc())
    ).all()
    status = 422 if form.errors else 200
    return render_template("charter/admin.html", form=form, versions=versions), status


@admin_bp.get("/<version>/signatories.csv")
@login_required
def signatories_csv(version: str) -> Response:
    _admin_only()
    found = service.get_version(version) or abort(404)
    rows = service.signatories(found)
    buffer = io.StringIO()
    fields = [
        "email",
        "name",
        "version",
        "language",
        "sha256",
        "signed_at",
        "ip_address",
        "user_agent",
    ]
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        "\ufeff" + buffer.getvalue(),  # the BOM lets spreadsheet software read UTF-8 names
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="charter-{found.version}.csv"'},
    )
