"""Pages: a workspace's subscription and invoices; platform admin pages for billing."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ent_core.billing import credit_notes as credit_service
from ent_core.billing import invoices as invoice_service
from ent_core.billing import subscriptions as service
from ent_core.billing.forms import (
    ConfirmForm,
    CreditNoteForm,
    MarkPaidForm,
    PlanForm,
    ProgrammeForm,
    SubscribeForm,
    VoidForm,
    format_quotas,
    parse_quotas,
)
from ent_core.billing.models import CreditNote, Invoice, Plan, SubsidyProgramme
from ent_core.billing.payments import confirm_payment
from ent_core.billing.plans import list_plans, plan_limits, plan_modules, plans_on_sale, update_plan
from ent_core.billing.providers import offered_for
from ent_core.billing.refunds import refund_invoice, refund_provider
from ent_core.billing.subsidies import list_programmes, update_programme
from ent_core.db import db
from ent_core.errors import user_errors
from ent_core.money import money_filter
from ent_core.permissions import require_permission
from ent_core.tenancy import CrossWorkspaceBlueprint, WorkspaceBlueprint, current_workspace

bp = WorkspaceBlueprint("billing", __name__, url_prefix="/billing")
admin_bp = CrossWorkspaceBlueprint("billing_admin", __name__, url_prefix="/admin/billing")


def _language() -> str:
    return str(get_locale() or "fr")


# -- a workspace's billing -----------------------------------------------------------------


def _overview(form: SubscribeForm | None = None, status: int = 200) -> Any:
    workspace = current_workspace()
    subscription = service.get_subscription(workspace)
    plans = plans_on_sale()
    form = form or SubscribeForm()
    form.plan.choices = [
        SelectChoice(p.code, p.name_for(_language())) for p in plans if not p.addon
    ]
    if subscription is not None and not form.is_submitted():
        form.plan.data = (subscription.next_plan or subscription.plan).code
        form.period.data = subscription.next_period or subscription.period
    invoices = list(
        db.session.scalars(
            db.select(Invoice)
            .where(Invoice.workspace_id == workspace.id)
            .order_by(Invoice.issued_at.desc(), Invoice.id.desc())
            .limit(50)
        )
    )
    credit_notes = list(
        db.session.scalars(
            db.select(CreditNote)
            .where(CreditNote.workspace_id == workspace.id)
            .order_by(CreditNote.issued_at.desc(), CreditNote.id.desc())
            .limit(50)
        )
    )
    return render_template(
        "billing/overview.html",
        subscription=subscription,
        credit_notes=credit_notes,
        live=service.is_live(subscription),
        plans=plans,
        plan_modules=plan_modules,
        plan_limits=plan_limits,
        form=form,
        confirm_form=ConfirmForm(),
        invoices=invoices,
        language=_language(),
    ), status


@bp.get("/")
@require_permission("workspace.manage_billing")
def overview() -> Any:
    return _overview()


@bp.post("/subscribe")
@require_permission("workspace.manage_billing")
def subscribe() -> Any:
    form = SubscribeForm()
    form.plan.choices = [SelectChoice(p.code, p.code) for p in plans_on_sale() if not p.addon]
    if form.validate_on_submit():
        with user_errors(form):
            _subscription, invoice = service.subscribe(
                current_workspace(),
                form.plan.data,
                form.period.data,
                actor=current_user._get_current_object(),
            )
            if invoice is not None:
                flash(_("Invoice %(number)s was issued.", number=invoice.number), "success")
                return redirect(url_for("billing.invoice", number=invoice.number))
            flash(_("Your new plan starts with the next period."), "success")
            return redirect(url_for("billing.overview"))
    return _overview(form, 422)


@bp.post("/cancel")
@require_permission("workspace.manage_billing")
def cancel() -> Any:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.cancel(current_workspace(), actor=current_user._get_current_object())
    flash(_("The subscription is canceled."), "success")
    return redirect(url_for("billing.overview"))


@bp.post("/addons/<code>")
@require_permission("workspace.manage_billing")
def addon(code: str) -> Any:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    enabled = request.form.get("enabled") == "1"
    service.set_addon(
        current_workspace(), code, enabled=enabled, actor=current_user._get_current_object()
    )
    flash(_("The add-on was updated."), "success")
    return redirect(url_for("billing.overview"))


def _workspace_invoice(number: str) -> Invoice:
    found = invoice_service.get_invoice(number, current_workspace())
    if found is None:
        abort(404)
    return found


@bp.get("/invoices/<number>")
@require_permission("workspace.manage_billing")
def invoice(number: str) -> Any:
    found = _workspace_invoice(number)
    return render_template("billing/invoice.html", invoice=found, providers=offered_for(found))


@bp.get("/invoices/<number>.pdf")
@require_permission("workspace.manage_billing")
def invoice_as_pdf(number: str) -> Any:
    return _invoice_response(_workspace_invoice(number))


@bp.get("/credit-notes/<number>.pdf")
@require_permission("workspace.manage_billing")
def credit_note_as_pdf(number: str) -> Any:
    note = credit_service.get_credit_note(number, current_workspace()) or abort(404)
    return _credit_note_response(note)


def _credit_note_response(note: CreditNote) -> Response:
    from ent_core.billing.pdf import credit_note_pdf

    return Response(
        credit_note_pdf(note),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="credit-note-{note.number}.pdf"'},
    )


# -- platform administration ---------------------------------------------------------------


@admin_bp.before_request
@login_required
def _admins_only() -> None:
    if not current_user.is_admin:
        abort(403)


@admin_bp.get("/plans")
def plans() -> Any:
    return render_template(
        "billing/admin_plans.html",
        plans=list_plans(include_inactive=True),
        language=_language(),
        feature_labels=current_app.extensions["ent"].feature_labels(),
    )


@admin_bp.route("/plans/<code>", methods=["GET", "POST"])
def edit_plan(code: str) -> Any:
    plan = db.session.scalar(db.select(Plan).where(Plan.code == code)) or abort(404)
    form = PlanForm(obj=plan if request.method == "GET" else None)
    if request.method == "GET":
        form.plugins.data = ", ".join(plan.plugins or [])
        form.quotas.data = format_quotas(plan.quotas or {})
    if form.validate_on_submit():
        with user_errors(form):
            changes = update_plan(
                plan,
                actor=current_user._get_current_object(),
                name_fr=form.name_fr.data,
                name_en=form.name_en.data,
                name_ar=form.name_ar.data,
                price_month=form.price_month.data,
                price_year=form.price_year.data,
                vat_rate=form.vat_rate.data,
                plugins=[p.strip() for p in (form.plugins.data or "").split(",") if p.strip()],
                quotas=parse_quotas(form.quotas.data or ""),
                active=form.active.data,
            )
            flash(_("Plan saved.") if changes else _("Nothing changed."), "success")
            return redirect(url_for("billing_admin.plans"))
    return render_template("billing/admin_plan.html", plan=plan, form=form), (
        422 if form.errors else 200
    )


@admin_bp.get("/programmes")
def programmes() -> Any:
    forms = {p.code: ProgrammeForm(obj=p, prefix=p.code) for p in list_programmes()}
    return render_template(
        "billing/admin_programmes.html", programmes=list_programmes(), forms=forms
    )


@admin_bp.post("/programmes/<code>")
def edit_programme(code: str) -> Any:
    programme = db.session.scalar(
        db.select(SubsidyProgramme).where(SubsidyProgramme.code == code)
    ) or abort(404)
    form = ProgrammeForm(prefix=code)
    if not form.validate_on_submit():
        forms = {p.code: ProgrammeForm(obj=p, prefix=p.code) for p in list_programmes()}
        forms[code] = form
        return render_template(
            "billing/admin_programmes.html", programmes=list_programmes(), forms=forms
        ), 422
    update_programme(
        programme,
        actor=current_user._get_current_object(),
        budget=form.budget.data,
        share_percent=form.share_percent.data,
        months=form.months.data,
        active=form.active.data,
    )
    flash(_("Programme saved."), "success")
    return redirect(url_for("billing_admin.programmes"))


@admin_bp.get("/invoices")
def invoices() -> Any:
    status = request.args.get("status", "issued")
    statement = db.select(Invoice).order_by(Invoice.issued_at.desc(), Invoice.id.desc())
    if status in ("issued", "paid", "void"):
        statement = statement.where(Invoice.status == status)
    rows = list(db.session.scalars(statement.limit(200)))
    return render_template(
        "billing/admin_invoices.html",
        invoices=rows,
        status=status,
        paid_form=MarkPaidForm(),
        void_form=VoidForm(),
    )


def _any_invoice(number: str) -> Invoice:
    return invoice_service.get_invoice(number) or abort(404)


def _admin_invoice_page(found: Invoice, form: CreditNoteForm, status: int = 200) -> Any:
    return render_template(
        "billing/admin_invoice.html",
        invoice=found,
        credit_form=form,
        refunds_through=refund_provider(found),
    ), status


@admin_bp.get("/invoices/<number>")
def admin_invoice(number: str) -> Any:
    return _admin_invoice_page(_any_invoice(number), CreditNoteForm())


@admin_bp.post("/invoices/<number>/credit-notes")
def credit(number: str) -> Any:
    """Issue a credit note from the invoice's admin page, refunding through the invoice's
    provider when asked; refusals show on the form (422)."""
    found = _any_invoice(number)
    form = CreditNoteForm()
    if form.validate_on_submit():
        issue = refund_invoice if form.refund.data else credit_service.issue_credit_note
        with user_errors(form):
            note = issue(
                found,
                (form.amount.data or "").strip() or None,
                form.reason.data,
                actor=current_user._get_current_object(),
            )
            db.session.commit()
            if note.refund_reference:
                flash(
                    _(
                        "Credit note %(number)s was issued and %(amount)s refunded.",
                        number=note.number,
                        amount=money_filter(note.subscriber_share, note.currency),
                    ),
                    "success",
                )
            else:
                flash(_("Credit note %(number)s was issued.", number=note.number), "success")
            return redirect(url_for("billing_admin.admin_invoice", number=found.number))
    return _admin_invoice_page(found, form, 422)


@admin_bp.get("/invoices/<number>.pdf")
def admin_invoice_pdf(number: str) -> Any:
    return _invoice_response(_any_invoice(number))


@admin_bp.get("/credit-notes/<number>.pdf")
def admin_credit_note_pdf(number: str) -> Any:
    return _credit_note_response(credit_service.get_credit_note(number) or abort(404))


@admin_bp.post("/invoices/<number>/paid")
def mark_paid(number: str) -> Any:
    found = _any_invoice(number)
    form = MarkPaidForm()
    if not form.validate_on_submit():
        flash(_("Give the transfer's reference."), "error")
        return redirect(url_for("billing_admin.invoices"))
    confirm_payment(
        found, "bank_transfer", form.reference.data, actor=current_user._get_current_object()
    )
    flash(_("Invoice %(number)s is paid.", number=found.number), "success")
    return redirect(url_for("billing_admin.invoices"))


@admin_bp.post("/invoices/<number>/void")
def void(number: str) -> Any:
    found = _any_invoice(number)
    form = VoidForm()
    if not form.validate_on_submit():
        flash(_("Give a reason."), "error")
        return redirect(url_for("billing_admin.invoices"))
    invoice_service.void_invoice(
        found, actor=current_user._get_current_object(), reason=form.reason.data
    )
    db.session.commit()
    flash(_("Invoice %(number)s is void.", number=found.number), "success")
    return redirect(url_for("billing_admin.invoices"))


def _invoice_response(invoice: Invoice) -> Response:
    # fpdf2 brings Pillow and fontTools (~20 MB): load them only when a PDF is asked for.
    from ent_core.billing.pdf import invoice_pdf

    return Response(
        invoice_pdf(invoice),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="invoice-{invoice.number}.pdf"'},
    )
