"""API v1 for billing: the plan catalogue, a workspace's subscription and its invoices.

Amounts are strings (``"199.00"``) so no client reads them as floats.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask import Blueprint
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import Field

from ent_core.api.errors import ApiError
from ent_core.api.openapi import api_operation
from ent_core.api.pagination import paginate, paginate_sequence
from ent_core.api.schemas import ApiModel, Page, PageQuery
from ent_core.billing import credit_notes as credit_service
from ent_core.billing import invoices as invoice_service
from ent_core.billing import subscriptions as service
from ent_core.billing.models import Invoice
from ent_core.billing.plans import plan_item, plans_on_sale
from ent_core.billing.refunds import refund_invoice
from ent_core.db import all_workspaces, db
from ent_core.money import Money
from ent_core.permissions import require_permission
from ent_core.tenancy import ApiBlueprint, current_workspace

plans_api = Blueprint("billing_plans_api", __name__, url_prefix="/api/v1/plans")
workspace_billing_api = ApiBlueprint("billing_api", __name__)
admin_billing_api = Blueprint("billing_admin_api", __name__, url_prefix="/api/v1/admin/invoices")

Amount = str


class PlanModuleOut(ApiModel):
    code: str = Field(description="The plan feature (a plugin's `plan_feature`).")
    name: str = Field(description="The module's name in the caller's language.")


class PlanLimitOut(ApiModel):
    quota: str
    label: str = Field(description="In the caller's language.")
    limit: int


class PlanOut(ApiModel):
    code: str
    name: str = Field(description="In the caller's language.")
    plugins: list[str] = Field(
        description="Plan features an installed plugin needs; others are not sold here."
    )
    modules: list[PlanModuleOut] = Field(description="The same features with their names.")
    quotas: dict[str, int] = Field(description="Quotas the core or an installed plugin counts.")
    limits: list[PlanLimitOut] = Field(description="The same quotas with their labels.")
    price_month: Amount = Field(description="Price per month excluding VAT, e.g. `199.00`.")
    price_year: Amount = Field(description="Price per year excluding VAT.")
    currency: str
    vat_rate: str = Field(description="VAT rate as a decimal string, e.g. `0.2`.")
    addon: bool = Field(description="Sold on top of another plan.")
    active: bool


class SubscriptionOut(ApiModel):
    state: Literal["none", "trialing", "active", "past_due", "canceled", "expired"]
    plan: str | None
    plan_name: str | None = None
    period: Literal["month", "year"] | None = None
    addons: list[str] = []
    started_at: datetime | None = None
    current_period_start: datetime | None = None
    current_period_end: datetime | None = None
    cancel_at_period_end: bool = False
    past_due_since: datetime | None = None
    next_plan: str | None = Field(default=None, description="Plan from the next period on.")
    next_period: str | None = None
    entitled: bool = Field(description="Whether the plan's modules may be used now.")
    allowed_transitions: list[str] = []


class SubscriptionChange(ApiModel):
    plan: str = Field(description="Code of the plan, e.g. `basic`.")
    period: Literal["month", "year"] = "month"


class ChangeOut(ApiModel):
    subscription: SubscriptionOut
    invoice: InvoiceOut | None = Field(description="The invoice to pay, when one was issued.")


class InvoiceLineOut(ApiModel):
    label: str
    quantity: int
    unit_price: Amount
    vat_rate: str
    net: Amount
    vat: Amount
    total: Amount


class InvoiceOut(ApiModel):
    number: str = Field(description="`YYYY-NNNNNN`, gapless per year.")
    status: Literal["issued", "paid", "void"]
    plan: str
    period: str
    period_start: datetime
    period_end: datetime
    currency: str
    subtotal: Amount
    vat_total: Amount
    total: Amount
    sponsor: str | None = Field(description="Who pays `sponsor_share` (a subsidy programme).")
    sponsor_share: Amount
    subscriber_share: Amount = Field(description="What the workspace pays.")
    issued_at: datetime
    due_at: datetime
    paid_at: datetime | None
    payment_provider: str | None
    credited: Amount = Field(description="What credit notes (avoirs) gave back so far.")
    credit_notes: list[str] = Field(description="Numbers of its credit notes, oldest first.")
    lines: list[InvoiceLineOut]


class CreditNoteIn(ApiModel):
    amount: Amount | None = Field(
        default=None,
        description="Amount including VAT, e.g. `99.50`, at most what remains uncredited; "
        "omitted: all that remains.",
    )
    reason: str = Field(min_length=1, max_length=credit_service.REASON_MAX)


class RefundOut(ApiModel):
    provider: str = Field(description="The payment provider that made the refund.")
    reference: str = Field(description="The provider's reference for the refund.")
    amount: Money = Field(description="Paid back to the workspace: the credit note's share.")
    refunded_at: datetime


class CreditNoteOut(ApiModel):
    number: str = Field(description="`AV-YYYY-NNNNNN`, gapless per year, apart from invoices.")
    invoice: str = Field(description="Number of the invoice it corrects.")
    currency: str
    subtotal: Amount
    vat_total: Amount
    total: Amount = Field(description="Amount credited, VAT included.")
    sponsor_share: Amount = Field(description="Given back to the subsidy programme.")
    subscriber_share: Amount = Field(description="Owed back to the workspace.")
    reason: str
    issued_at: datetime
    refund: RefundOut | None = Field(description="Set when the provider paid the share back.")


ChangeOut.model_rebuild()


def _language() -> str:
    return str(get_locale() or "fr")


@plans_api.get("")
@api_operation(
    operation_id="listPlans",
    summary="List the plans on offer",
    query=PageQuery,
    response=Page[PlanOut],
    tags=["billing"],
)
def plans(query: PageQuery) -> Any:
    return paginate_sequence([plan_item(p, _language()) for p in plans_on_sale()], query)


@workspace_billing_api.get("/subscription")
@require_permission("workspace.manage_billing")
@api_operation(
    operation_id="getSubscription",
    summary="The workspace's subscription",
    response=SubscriptionOut,
    tags=["billing"],
    errors=[403],
)
def read_subscription() -> Any:
    return service.subscription_item(service.get_subscription(current_workspace()), _language())


@workspace_billing_api.put("/subscription")
@require_permission("workspace.manage_billing")
@api_operation(
    operation_id="changeSubscription",
    summary="Subscribe or change plan",
    description=(
        "Without a live subscription a trial starts and the first invoice is issued (with any "
        "subsidy applied). A paid subscription changes plan at the end of its period."
    ),
    body=SubscriptionChange,
    response=ChangeOut,
    tags=["billing"],
    errors=[403, 409],
)
def change_subscription(body: SubscriptionChange) -> Any:
    subscription, invoice = service.subscribe(
        current_workspace(),
        body.plan,
        body.period,
        actor=current_user._get_current_object(),
    )
    return {
        "subscription": service.subscription_item(subscription, _language()),
        "invoice": invoice_service.invoice_item(invoice) if invoice is not None else None,
    }


@workspace_billing_api.delete("/subscription")
@require_permission("workspace.manage_billing")
@api_operation(
    operation_id="cancelSubscription",
    summary="Cancel at the end of the paid period",
    response=SubscriptionOut,
    tags=["billing"],
    errors=[403, 404, 409],
)
def cancel_subscription() -> Any:
    subscription = service.cancel(current_workspace(), actor=current_user._get_current_object())
    return service.subscription_item(subscription, _language())


@workspace_billing_api.get("/invoices")
@require_permission("workspace.manage_billing")
@api_operation(
    operation_id="listInvoices",
    summary="The workspace's invoices, oldest first",
    query=PageQuery,
    response=Page[InvoiceOut],
    tags=["billing"],
    errors=[403],
)
def list_invoices(query: PageQuery) -> Any:
    statement = db.select(Invoice).where(Invoice.workspace_id == current_workspace().id)
    return paginate(
        statement,
        key=Invoice.id,
        serialize=lambda rows: [invoice_service.invoice_item(i) for i in rows],
        query=query,
    )


@workspace_billing_api.get("/invoices/<number>")
@require_permission("workspace.manage_billing")
@api_operation(
    operation_id="getInvoice",
    summary="One invoice",
    response=InvoiceOut,
    tags=["billing"],
    errors=[403, 404],
)
def read_invoice(number: str) -> Any:
    invoice = invoice_service.get_invoice(number, current_workspace())
    if invoice is None:
        raise ApiError("not_found", _("No such invoice."), 404)
    return invoice_service.invoice_item(invoice)


def _admin_invoice(number: str) -> Invoice:
    if not current_user.is_authenticated:
        raise ApiError("unauthorized", _("A valid bearer token is required."), 401)
    if not current_user.is_admin:
        raise ApiError("forbidden", _("Only platform administrators may do this."), 403)
    invoice = invoice_service.get_invoice(number)
    if invoice is None:
        raise ApiError("not_found", _("No such invoice."), 404)
    return invoice


@admin_billing_api.get("/<number>/credit-notes")
@api_operation(
    operation_id="listCreditNotes",
    summary="An invoice's credit notes (platform administrators)",
    query=PageQuery,
    response=Page[CreditNoteOut],
    tags=["billing"],
    errors=[403, 404],
)
def list_credit_notes(number: str, query: PageQuery) -> Any:
    invoice = _admin_invoice(number)
    items = [credit_service.credit_note_item(n) for n in invoice.credit_notes]
    return paginate_sequence(items, query)


@admin_billing_api.post("/<number>/credit-notes")
@api_operation(
    operation_id="issueCreditNote",
    summary="Correct a paid invoice with a credit note (platform administrators)",
    description=(
        "Credits `amount` (VAT included; all that remains when omitted) of a paid invoice, with "
        "a reason. VAT and the sponsor's share are split in proportion; the sponsor's share "
        "goes back to its subsidy programme. 409 `credit_exceeds_invoice` when the amount is "
        "more than what remains uncredited, 409 `invalid_transition` when the invoice is not "
        "paid. Audited (`invoice.credited`)."
    ),
    body=CreditNoteIn,
    response=CreditNoteOut,
    status=201,
    tags=["billing"],
    errors=[403, 404, 409],
)
def issue_credit_note(number: str, body: CreditNoteIn) -> Any:
    invoice = _admin_invoice(number)
    with all_workspaces():
        note = credit_service.issue_credit_note(
            invoice, body.amount, body.reason, actor=current_user._get_current_object()
        )
        db.session.commit()
        return credit_service.credit_note_item(note)


@admin_billing_api.post("/<number>/refunds")
@api_operation(
    operation_id="refundInvoice",
    summary="Refund a paid invoice, in full or in part (platform administrators)",
    description=(
        "Issues a credit note for `amount` (VAT included; all that remains when omitted) and "
        "asks the payment provider that took the payment to pay the workspace's share of it "
        "back; the answer is the credit note with its `refund`. Refunds of one invoice never "
        "exceed it, even racing. 409 `refund_unsupported` when its provider cannot refund "
        "(bank transfers: issue a credit note), 409 `nothing_to_refund` when a sponsor paid the "
        "whole amount, 409 `credit_exceeds_invoice` beyond what remains, 409 "
        "`invalid_transition` when the invoice is not paid; a provider's own refusal keeps its "
        "code. Audited (`invoice.credited`, `invoice.refunded`)."
    ),
    body=CreditNoteIn,
    response=CreditNoteOut,
    status=201,
    tags=["billing"],
    errors=[403, 404, 409],
)
def refund(number: str, body: CreditNoteIn) -> Any:
    invoice = _admin_invoice(number)
    with all_workspaces():
        note = refund_invoice(
            invoice, body.amount, body.reason, actor=current_user._get_current_object()
        )
        db.session.commit()
        return credit_service.credit_note_item(note)
