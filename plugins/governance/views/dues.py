"""Dues pages: categories and rates, recording and cancelling payments, receipts, the payments
list and its CSV, and the treasurer's reminders."""

from __future__ import annotations

from typing import Any

from ent_plugins.governance import dues, members, payments
from ent_plugins.governance.forms import choices
from ent_plugins.governance.member_forms import (
    ActionForm,
    CategoryForm,
    PaymentForm,
    RateForm,
)
from ent_plugins.governance.models import DuesPayment, Member, MemberCategory
from ent_plugins.governance.permissions import MANAGE_DUES, MANAGE_MEMBERS, SEE_REGISTRY, VIEW
from ent_plugins.governance.views.members import _member_page, visible_member
from flask import Response, flash, redirect, render_template, request, url_for

from ent_core import sdk


def posted() -> None:
    """A button's POST carries a valid CSRF token, or it is a 400."""
    if not ActionForm().validate_on_submit():
        sdk.abort(400)


# -- categories -------------------------------------------------------------------------------
def _categories_page(form: CategoryForm) -> Any:
    return render_template(
        "governance/members/categories.html", categories=members.categories(), form=form
    ), (422 if form.errors else 200)


@sdk.require_permission(SEE_REGISTRY)
def categories() -> Any:
    form = CategoryForm()
    if request.method == "POST":
        if not sdk.has_permission(MANAGE_MEMBERS):
            sdk.abort(403)
        if form.validate_on_submit():
            with sdk.user_errors(form):
                members.save_category(
                    None, form.code.data, form.name.data, form.pays_dues.data, form.votes.data
                )
                flash(sdk._("The category is added."), "success")
                return redirect(url_for(".categories"))
    return _categories_page(form)


@sdk.require_permission(MANAGE_MEMBERS)
def category_edit(category_id: int) -> Any:
    category = sdk.get_or_404(MemberCategory, category_id)
    form = CategoryForm(obj=category) if request.method == "GET" else CategoryForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            members.save_category(
                category, form.code.data, form.name.data, form.pays_dues.data, form.votes.data
            )
            flash(sdk._("The category is saved."), "success")
            return redirect(url_for(".categories"))
    return render_template("governance/members/category_form.html", form=form, category=category), (
        422 if form.errors else 200
    )


# -- rates ------------------------------------------------------------------------------------
@sdk.require_permission(SEE_REGISTRY)
def rates() -> Any:
    form = RateForm()
    form.category_id.choices = choices((c.id, c.name) for c in members.categories())
    if request.method == "GET":
        form.year.data = sdk.local_today().year
    if request.method == "POST":
        if not sdk.has_permission(MANAGE_DUES):
            sdk.abort(403)
        if form.validate_on_submit():
            category = sdk.get_or_404(MemberCategory, form.category_id.data)
            with sdk.user_errors(form):
                payments.set_rate(category, form.year.data, form.amount.data)
                flash(sdk._("The rate is set."), "success")
                return redirect(url_for(".rates"))
    return render_template("governance/members/rates.html", rates=payments.rates(), form=form), (
        422 if form.errors else 200
    )


# -- payments ---------------------------------------------------------------------------------
@sdk.require_permission(MANAGE_DUES)
def payment_new(member_id: int) -> Any:
    member = sdk.get_or_404(Member, member_id)
    form = PaymentForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            payment = payments.record_payment(
                member,
                year=form.year.data,
                amount=form.amount.data,
                method=form.method.data,
                paid_on=form.paid_on.data,
                reference=form.reference.data or "",
                actor=sdk.current_user,
            )
            flash(
                sdk._("Payment recorded: receipt %(number)s.", number=payment.receipt_number),
                "success",
            )
            return redirect(url_for(".member", member_id=member.id))
    page = _member_page(member, form)
    return page, 422


@sdk.require_permission(MANAGE_DUES)
def payment_cancel(payment_id: int) -> Any:
    posted()
    payment = sdk.get_or_404(DuesPayment, payment_id)
    payments.cancel_payment(payment, actor=sdk.current_user)
    flash(sdk._("Payment %(number)s is cancelled.", number=payment.receipt_number), "success")
    return redirect(url_for(".member", member_id=payment.member_id))


@sdk.require_permission(VIEW)
def receipt(payment_id: int) -> Any:
    payment = sdk.get_or_404(DuesPayment, payment_id)
    visible_member(payment.member_id)
    return Response(
        payments.receipt_pdf(payment, sdk.current_workspace()),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="receipt-{payment.receipt_number}.pdf"'},
    )


def _year_arg() -> int | None:
    year = request.args.get("year", "")
    return int(year) if year.isdigit() else None


@sdk.require_permission(SEE_REGISTRY)
def payment_list() -> Any:
    year = _year_arg()
    page = sdk.paginate(payments.payments_statement(year=year), key=DuesPayment.id)
    return render_template(
        "governance/members/payments.html",
        page=page,
        year=year,
        method_label=payments.method_label,
        late_count=sum(
            1
            for s in dues.registry_standings(sdk.local_today()).values()
            if s.status != dues.UP_TO_DATE
        ),
    )


@sdk.require_permission(SEE_REGISTRY)
def payment_export() -> Any:
    statement = payments.payments_statement(year=_year_arg()).order_by(DuesPayment.id)
    rows = list(sdk.db.session.scalars(statement))
    return Response(
        payments.export_csv(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="dues-payments.csv"'},
    )


@sdk.require_permission(MANAGE_DUES)
def remind() -> Any:
    posted()
    sent = payments.send_reminders(sdk.current_workspace(), sdk.local_today())
    flash(
        sdk.ngettext("%(num)d reminder sent.", "%(num)d reminders sent.", sent),
        "success",
    )
    return redirect(url_for(".payment_list"))
