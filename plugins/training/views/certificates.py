"""Certificates: issuing and revoking them for a cohort or one by one, reading them, and the
learner's choice to show them beside their name."""

from __future__ import annotations

from typing import Any

from ent_plugins.training import certificates as certs
from ent_plugins.training import service
from ent_plugins.training.forms import BadgeSettingsForm, RevokeForm
from ent_plugins.training.models import Certificate, Cohort, LearnerPreference
from ent_plugins.training.permissions import (
    MANAGE_COURSE,
    VIEW_CERTIFICATE,
    course_of,
    visible_certificates,
)
from ent_plugins.training.views.base import VIEW, form_page, posted
from flask import Response, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ent_core import sdk


@sdk.require_object_permission(MANAGE_COURSE, Cohort, "cohort_id", via=course_of)
def cohort_issue(cohort: Cohort) -> Any:
    posted()
    service.request_evaluations(
        cohort.id, [e.id for e in cohort.enrolments if e.status == service.ACTIVE]
    )
    flash(sdk._("Certificates are being issued to every learner who met the rule."), "success")
    return redirect(url_for(".cohort", cohort_id=cohort.id))


@sdk.require_object_permission(MANAGE_COURSE, Cohort, "cohort_id", via=course_of)
def cohort_revoke(cohort: Cohort) -> Any:
    form = RevokeForm()
    ids = {int(v) for v in request.form.getlist("certificate") if v.isdigit()}
    if not form.validate_on_submit() or not ids:
        flash(sdk._("Choose certificates and give a reason."), "error")
        return redirect(url_for(".cohort", cohort_id=cohort.id))
    chosen = sdk.db.session.scalars(
        sdk.scoped(Certificate).where(Certificate.cohort_id == cohort.id, Certificate.id.in_(ids))
    ).all()
    count = sum(1 for c in chosen if certs.revoke(c, form.reason.data))
    flash(
        sdk.ngettext("%(num)d certificate revoked.", "%(num)d certificates revoked.", count),
        "success",
    )
    return redirect(url_for(".cohort", cohort_id=cohort.id))


@sdk.require_permission(VIEW)
def certificate_list() -> Any:
    statement = visible_certificates(sdk.scoped(Certificate).order_by(Certificate.issued_at.desc()))
    return render_template(
        "training/certificates.html",
        certificates=sdk.db.session.scalars(statement.limit(500)).all(),
    )


def _certificate_page(item: Certificate, form: RevokeForm) -> str:
    return render_template(
        "training/certificate.html",
        certificate=item,
        revoke_form=form,
        verify_url=certs.verify_url(item),
        credential_url=certs.credential_url(item),
    )


@sdk.require_object_permission(VIEW_CERTIFICATE, Certificate, "certificate_id")
def certificate(certificate: Certificate) -> Any:
    return _certificate_page(certificate, RevokeForm())


@sdk.require_object_permission(MANAGE_COURSE, Certificate, "certificate_id", via=course_of)
def certificate_revoke(certificate: Certificate) -> Any:
    form = RevokeForm()
    if form.validate_on_submit():
        certs.revoke(certificate, form.reason.data)
        flash(sdk._("The certificate is revoked."), "success")
        return redirect(url_for(".certificate", certificate_id=certificate.id))
    return _certificate_page(certificate, form), 422


@sdk.require_object_permission(VIEW_CERTIFICATE, Certificate, "certificate_id")
def certificate_pdf(certificate: Certificate) -> Any:
    return Response(
        certs.certificate_pdf(certificate),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="certificate-{certificate.number}.pdf"'},
    )


@sdk.require_permission(VIEW)
def badges() -> Any:
    pref = sdk.db.session.scalar(
        select(LearnerPreference).where(LearnerPreference.user_id == sdk.current_user.id)
    )
    # An unticked box sends nothing: never fall back on the saved value when posting.
    form = BadgeSettingsForm(obj=pref) if request.method == "GET" else BadgeSettingsForm()
    if form.validate_on_submit():
        if pref is None:
            pref = LearnerPreference(user_id=sdk.current_user.id)
            sdk.db.session.add(pref)
        pref.show_badges = form.show_badges.data
        sdk.db.session.commit()
        flash(sdk._("Your choice is saved."), "success")
        return redirect(url_for(".badges"))
    return form_page(form, sdk._("Certificates beside my name"), url_for(".index"))
