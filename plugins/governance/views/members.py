"""The member registry's pages: the list, a member, adding and editing, CSV import and export,
and "My membership" for members who are not officers."""

from __future__ import annotations

from typing import Any

from ent_plugins.governance import dues, members, payments
from ent_plugins.governance.forms import choices
from ent_plugins.governance.member_forms import (
    ImportForm,
    MemberForm,
    OnlinePaymentForm,
    PaymentForm,
)
from ent_plugins.governance.models import Member
from ent_plugins.governance.permissions import (
    MANAGE_DUES,
    MANAGE_MEMBERS,
    SEE_REGISTRY,
    VIEW,
)
from flask import Response, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import joinedload

from ent_core import sdk


def can_see(member: Member) -> bool:
    """Officers see every record; a member sees the one linked to their account."""
    if sdk.has_permission(SEE_REGISTRY):
        return True
    return member.user_id is not None and member.user_id == sdk.current_user.id


def visible_member(member_id: int) -> Member:
    member = sdk.get_or_404(Member, member_id)
    if not can_see(member):
        sdk.abort(403)
    return member


def filters_from_request() -> members.Filters:
    category = request.args.get("category", "")
    return members.Filters(
        q=request.args.get("q", "")[:100],
        category_id=int(category) if category.isdigit() else None,
        status=request.args.get("status", "")
        if request.args.get("status") in dues.STATUSES
        else "",
        include_left=request.args.get("left") == "1",
    )


@sdk.require_permission(VIEW)
def registry() -> Any:
    if not sdk.has_permission(SEE_REGISTRY):
        return redirect(url_for(".my_membership"))
    filters = filters_from_request()
    today = sdk.local_today()
    statement = members.registry_statement(filters, today).options(joinedload(Member.category))
    page = sdk.paginate(statement, key=Member.id)
    return render_template(
        "governance/members/list.html",
        page=page,
        standings=dues.standings_on(today, [m.id for m in page["items"]]),
        categories=members.categories(),
        filters=filters,
        statuses=dues.STATUSES,
    )


def _fill_choices(form: MemberForm) -> None:
    form.category_id.choices = choices((c.id, c.name) for c in members.categories())
    users = members.linkable_users(sdk.current_workspace()).values()
    form.user_id.choices = choices(
        [(0, "—"), *((u.id, f"{u.display_name} <{u.email}>") for u in users)]
    )


def _input(form: MemberForm) -> members.MemberInput:
    return members.MemberInput(
        name=form.name.data or "",
        category_id=form.category_id.data,
        joined_on=form.joined_on.data,
        number=form.number.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        cin=form.cin.data or "",
        language=form.language.data,
        left_on=form.left_on.data,
        user_id=form.user_id.data or None,
        notes=form.notes.data or "",
    )


RENAME = {"category": "category_id", "user": "user_id"}


def _form_page(form: MemberForm, title: str, back: str) -> Any:
    status = 422 if form.errors else 200
    return render_template(
        "governance/members/form.html", form=form, title=title, back=back
    ), status


@sdk.require_permission(MANAGE_MEMBERS)
def member_new() -> Any:
    form = MemberForm()
    _fill_choices(form)
    if request.method == "GET":
        form.joined_on.data = sdk.local_today()
    if form.validate_on_submit():
        with sdk.user_errors(form, rename=RENAME):
            member = members.create_member(_input(form))
            flash(sdk._("%(name)s is on the registry.", name=member.name), "success")
            return redirect(url_for(".member", member_id=member.id))
    return _form_page(form, sdk._("Add a member"), url_for(".registry"))


@sdk.require_permission(MANAGE_MEMBERS)
def member_edit(member_id: int) -> Any:
    member = sdk.get_or_404(Member, member_id)
    form = MemberForm(obj=member) if request.method == "GET" else MemberForm()
    _fill_choices(form)
    if request.method == "GET":
        form.user_id.data = member.user_id or 0
    if form.validate_on_submit():
        with sdk.user_errors(form, rename=RENAME):
            members.update_member(member, _input(form))
            flash(sdk._("The member is saved."), "success")
            return redirect(url_for(".member", member_id=member.id))
    return _form_page(
        form, sdk._("Edit %(name)s", name=member.name), url_for(".member", member_id=member.id)
    )


def _member_page(member: Member, payment_form: PaymentForm | None = None) -> Any:
    today = sdk.local_today()
    if payment_form is None and sdk.has_permission(MANAGE_DUES):
        payment_form = PaymentForm(formdata=None)
        standing = dues.standing_on(member, today)
        year = min(standing.unpaid_years, default=today.year)
        payment_form.year.data = year
        payment_form.amount.data = payments.remaining(member, year) or None
        payment_form.paid_on.data = today
    return render_template(
        "governance/members/member.html",
        member=member,
        standing=dues.standing_on(member, today),
        history=payments.history(member),
        payment_form=payment_form,
        method_label=payments.method_label,
    )


@sdk.require_permission(VIEW)
def member(member_id: int) -> Any:
    return _member_page(visible_member(member_id))


@sdk.require_permission(VIEW)
def my_membership() -> Any:
    member = members.own_member()
    online = payments.online_providers()
    form = None
    standing = None
    if member is not None:
        standing = dues.standing_on(member, sdk.local_today())
        form = _online_form(member, standing, online)
    return render_template(
        "governance/members/mine.html",
        member=member,
        standing=standing,
        history=payments.history(member) if member is not None else [],
        online_form=form,
        method_label=payments.method_label,
    )


def _online_form(
    member: Member, standing: dues.Standing, online: dict[str, Any], formdata: Any = None
) -> OnlinePaymentForm | None:
    """The form to pay one's own dues online: the unpaid years (or this one) that have a rate."""
    if not online or not member.category.pays_dues:
        return None
    candidates = dict.fromkeys(sorted({*standing.unpaid_years, sdk.local_today().year}))
    years = [y for y in candidates if payments.remaining(member, y) > 0]
    if not years:
        return None
    form = OnlinePaymentForm() if formdata is not None else OnlinePaymentForm(formdata=None)
    form.year.choices = choices((y, str(y)) for y in years)
    form.provider.choices = choices((name, str(p.label)) for name, p in online.items())
    return form


@sdk.require_permission(VIEW)
def pay_online() -> Any:
    member = members.own_member()
    if member is None:
        sdk.abort(404)
    standing = dues.standing_on(member, sdk.local_today())
    form = _online_form(member, standing, payments.online_providers(), formdata=request.form)
    if form is None:
        flash(sdk._("There are no dues to pay online."), "error")
        return redirect(url_for(".my_membership"))
    if form.validate_on_submit():
        with sdk.user_errors(form):
            payment = payments.pay_online(
                member, form.year.data, form.provider.data, form.reference.data
            )
            flash(sdk._("Thank you: receipt %(number)s.", number=payment.receipt_number), "success")
            return redirect(url_for(".my_membership"))
    return render_template(
        "governance/members/mine.html",
        member=member,
        standing=standing,
        history=payments.history(member),
        online_form=form,
        method_label=payments.method_label,
    ), 422


# -- CSV --------------------------------------------------------------------------------------
@sdk.require_permission(MANAGE_MEMBERS)
def member_import() -> Any:
    form = ImportForm()
    report = None
    status = 200
    if form.validate_on_submit():
        raw = form.file.data.read(5 * 1024 * 1024 + 1)
        if len(raw) > 5 * 1024 * 1024:
            form.file.errors = [sdk._("The file is too large (5 MB at most).")]
            status = 422
        else:
            with sdk.user_errors(form) as refused:
                report = members.import_members(raw, dry_run=bool(form.dry_run.data))
            if refused.error is not None:
                status = refused.status()
            elif report is not None and not report.ok:
                status = 422
            elif report is not None and not form.dry_run.data:
                flash(
                    sdk.ngettext(
                        "%(num)d member imported.", "%(num)d members imported.", len(report.rows)
                    ),
                    "success",
                )
                return redirect(url_for(".registry"))
    elif form.errors:
        status = 422
    return render_template("governance/members/import.html", form=form, report=report), status


@sdk.require_permission(SEE_REGISTRY)
def member_export() -> Any:
    filters = filters_from_request()
    filters.include_left = True  # the registry on file keeps those who left
    today = sdk.local_today()
    statement = members.registry_statement(filters, today).options(joinedload(Member.category))
    rows = list(sdk.db.session.scalars(statement.order_by(Member.id)))
    statuses = dues.statuses_on(today, [m.id for m in rows]) if rows else {}
    text = members.export_csv(rows, statuses)
    sdk.audit("governance.members_exported", details={"count": len(rows)})
    sdk.db.session.commit()
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="members.csv"'},
    )
