"""Bodies, offices and mandates: the pages of who holds which office, and when."""

from __future__ import annotations

from typing import Any

from ent_plugins.governance import mandates as service
from ent_plugins.governance.forms import choices
from ent_plugins.governance.meeting_forms import (
    BodyForm,
    EndMandateForm,
    HoldersForm,
    MandateForm,
    OfficeForm,
    RenewForm,
)
from ent_plugins.governance.models import Body, Mandate, Office, Vote
from ent_plugins.governance.permissions import MANAGE_MEMBERS, VIEW
from flask import flash, redirect, render_template, request, url_for

from ent_core import sdk

FORM = "governance/meetings/form.html"


def form_page(form: Any, title: str, back: str, **extra: Any) -> Any:
    return render_template(FORM, form=form, title=title, back=back, **extra), (
        422 if form.errors else 200
    )


def election_choices() -> list[tuple[int, str]]:
    votes = sdk.db.session.scalars(
        sdk.scoped(Vote).where(Vote.kind == "election").order_by(Vote.id.desc())
    )
    return [(0, sdk._("None")), *((v.id, v.title) for v in votes)]


@sdk.require_permission(VIEW)
def bodies() -> Any:
    rows = list(sdk.db.session.scalars(sdk.scoped(Body).order_by(Body.id)))
    return render_template(
        "governance/meetings/bodies.html",
        bodies=rows,
        kinds=service.BODY_KINDS,
        roles=service.ROLE_LABELS,
        manages=sdk.has_permission(MANAGE_MEMBERS),
    )


@sdk.require_permission(MANAGE_MEMBERS)
def body_new() -> Any:
    form = BodyForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            body = service.create_body(form.kind.data, form.name.data, form.term_years.data)
            sdk.db.session.commit()
            flash(sdk._("Body created."), "success")
            return redirect(url_for(".body", body_id=body.id), 303)
    return form_page(form, sdk._("New body"), url_for(".bodies"))


@sdk.require_permission(VIEW)
def body(body_id: int) -> Any:
    row = sdk.get_or_404(Body, body_id)
    history = list(
        sdk.db.session.scalars(
            sdk.scoped(Mandate)
            .join(Mandate.office)
            .where(Office.body_id == row.id)
            .order_by(Mandate.starts_on.desc(), Mandate.id.desc())
        )
    )
    today = sdk.local_today()
    return render_template(
        "governance/meetings/body.html",
        body=row,
        kinds=service.BODY_KINDS,
        roles=service.ROLE_LABELS,
        holders=service.holders_on(today, row),
        history=history,
        today=today,
        manages=sdk.has_permission(MANAGE_MEMBERS),
    )


@sdk.require_permission(MANAGE_MEMBERS)
def body_edit(body_id: int) -> Any:
    row = sdk.get_or_404(Body, body_id)
    form = BodyForm(obj=row)
    form.kind.render_kw = {"disabled": True}
    if request.method == "POST":
        form.kind.data = row.kind
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.update_body(row, name=form.name.data, term_years=form.term_years.data)
            sdk.db.session.commit()
            flash(sdk._("Body saved."), "success")
            return redirect(url_for(".body", body_id=row.id), 303)
    return form_page(form, sdk._("Edit the body"), url_for(".body", body_id=row.id))


@sdk.require_permission(MANAGE_MEMBERS)
def office_new(body_id: int) -> Any:
    row = sdk.get_or_404(Body, body_id)
    form = OfficeForm()
    if request.method == "GET":
        form.position.data = max((o.position for o in row.offices), default=-1) + 1
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.create_office(
                row,
                title=form.title.data,
                role=form.role.data or None,
                seats=form.seats.data,
                position=form.position.data or 0,
            )
            sdk.db.session.commit()
            flash(sdk._("Office added."), "success")
            return redirect(url_for(".body", body_id=row.id), 303)
    return form_page(form, sdk._("New office"), url_for(".body", body_id=row.id))


@sdk.require_permission(MANAGE_MEMBERS)
def office_edit(office_id: int) -> Any:
    office = sdk.get_or_404(Office, office_id)
    form = OfficeForm(obj=office)
    if request.method == "GET":
        form.role.data = office.role or ""
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.update_office(
                office,
                title=form.title.data,
                role=form.role.data or None,
                seats=form.seats.data,
                position=form.position.data or 0,
            )
            sdk.db.session.commit()
            flash(sdk._("Office saved."), "success")
            return redirect(url_for(".body", body_id=office.body_id), 303)
    return form_page(form, sdk._("Edit the office"), url_for(".body", body_id=office.body_id))


@sdk.require_permission(VIEW)
def holders() -> Any:
    """Who holds which office on a date (today unless ``?on=`` says otherwise)."""
    form = HoldersForm(request.args)
    day = form.on.data if form.validate() and form.on.data else sdk.local_today()
    form.on.data = day
    rows = service.holders_on(day)
    manages = sdk.has_permission(MANAGE_MEMBERS)
    return render_template(
        "governance/meetings/holders.html",
        form=form,
        day=day,
        mandates=rows,
        lacking=service.lacking_roles(rows) if manages else {},
        roles=service.ROLE_LABELS,
        kinds=service.BODY_KINDS,
        manages=manages,
    )


def _office_choices() -> list[tuple[int, str]]:
    offices = sdk.db.session.scalars(
        sdk.scoped(Office).join(Office.body).order_by(Body.id, Office.position, Office.id)
    )
    return [(o.id, f"{o.body.name} — {o.title}") for o in offices]


@sdk.require_permission(MANAGE_MEMBERS)
def mandate_new() -> Any:
    form = MandateForm()
    form.office_id.choices = choices(_office_choices())
    form.member_id.choices = choices(service.member_choices())
    form.vote_id.choices = choices(election_choices())
    if request.method == "GET":
        form.office_id.data = request.args.get("office_id", type=int)
        form.starts_on.data = sdk.local_today()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            mandate = service.appoint(
                service.find_office(form.office_id.data),
                service.find_member(form.member_id.data),
                form.starts_on.data,
                form.ends_on.data,
                vote_id=form.vote_id.data or None,
            )
            sdk.db.session.commit()
            flash(sdk._("Mandate recorded."), "success")
            return redirect(url_for(".body", body_id=mandate.office.body_id), 303)
    return form_page(form, sdk._("Appoint to an office"), url_for(".holders"))


@sdk.require_permission(MANAGE_MEMBERS)
def mandate_end(mandate_id: int) -> Any:
    mandate = sdk.get_or_404(Mandate, mandate_id)
    form = EndMandateForm()
    if request.method == "GET":
        form.ends_on.data = sdk.local_today()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.end_mandate(mandate, form.ends_on.data)
            sdk.db.session.commit()
            flash(sdk._("Mandate ended."), "success")
            return redirect(url_for(".body", body_id=mandate.office.body_id), 303)
    return form_page(
        form,
        sdk._("End the mandate of %(name)s", name=mandate.member.name),
        url_for(".body", body_id=mandate.office.body_id),
    )


@sdk.require_permission(MANAGE_MEMBERS)
def mandate_renew(mandate_id: int) -> Any:
    mandate = sdk.get_or_404(Mandate, mandate_id)
    form = RenewForm()
    form.vote_id.choices = choices(election_choices())
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.renew(
                mandate,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                vote_id=form.vote_id.data or None,
            )
            sdk.db.session.commit()
            flash(sdk._("Mandate renewed."), "success")
            return redirect(url_for(".body", body_id=mandate.office.body_id), 303)
    return form_page(
        form,
        sdk._("Renew the mandate of %(name)s", name=mandate.member.name),
        url_for(".body", body_id=mandate.office.body_id),
    )
