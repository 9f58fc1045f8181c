"""The registry and dues in the API: members, categories, dues rates, payments and receipts.

Under ``/api/v1/workspaces/<slug>/governance/``. Officers (``governance.see_registry``) read
every member; anyone else only the record linked to their account.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from ent_plugins.governance import dues, members, payments
from ent_plugins.governance.models import DuesPayment, DuesRate, Member, MemberCategory
from ent_plugins.governance.permissions import MANAGE_DUES, MANAGE_MEMBERS, SEE_REGISTRY, VIEW
from ent_plugins.governance.views.members import visible_member
from flask import Response
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ent_core import sdk

TAGS = ("governance",)
Status = Literal["up_to_date", "late", "lapsed"]
Language = Literal["fr", "ar", "en"]


# -- members ----------------------------------------------------------------------------------
class MemberOut(sdk.ApiModel):
    id: int
    number: str
    name: str
    email: str | None
    phone: str | None
    cin: str | None
    category: str = Field(description="The category's code.")
    language: str
    joined_on: date
    left_on: date | None
    user_id: int | None
    status: Status = Field(description="From the dues, today, in the workspace's time zone.")
    unpaid_years: list[int]


class MemberIn(sdk.ApiModel):
    name: str = Field(min_length=1, max_length=200)
    category: str = Field(description="A category's code.", max_length=40)
    joined_on: date
    number: str = Field(default="", max_length=40, description="Empty: the next number.")
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    cin: str | None = Field(default=None, max_length=20)
    language: Language = "fr"
    left_on: date | None = None
    user_id: int | None = None
    notes: str = Field(default="", max_length=5_000)


class MemberPatch(sdk.ApiModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    category: str | None = Field(default=None, max_length=40)
    joined_on: date | None = None
    number: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    cin: str | None = Field(default=None, max_length=20)
    language: Language | None = None
    left_on: date | None = None
    user_id: int | None = None
    notes: str | None = Field(default=None, max_length=5_000)


class MemberQuery(sdk.PageQuery):
    q: str = Field(default="", max_length=100, description="Part of a name or a number.")
    category: str | None = Field(default=None, description="A category's code.")
    status: Status | None = None
    include_left: bool = False


def member_json(member: Member, standing: dues.Standing) -> MemberOut:
    return MemberOut(
        id=member.id,
        number=member.number,
        name=member.name,
        email=member.email,
        phone=member.phone,
        cin=member.cin,
        category=member.category.code,
        language=member.language,
        joined_on=member.joined_on,
        left_on=member.left_on,
        user_id=member.user_id,
        status=standing.status,  # type: ignore[arg-type]
        unpaid_years=list(standing.unpaid_years),
    )


def _serialize(rows: list[Member]) -> list[MemberOut]:
    standings = dues.standings_on(sdk.local_today(), [m.id for m in rows])
    return [member_json(m, standings[m.id]) for m in rows]


def _category_id(code: str | None) -> int | None:
    if code is None:
        return None
    found = sdk.db.session.scalar(select(MemberCategory.id).where(MemberCategory.code == code))
    if found is None:
        raise sdk.ApiError(
            "validation_error",
            sdk._("Some fields are not valid."),
            422,
            {"fields": {"category": [sdk._("Choose one of the association's categories.")]}},
        )
    return found


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List the members",
    description="Officers see the registry; other members only their own record.",
    query=MemberQuery,
    response=sdk.Page[MemberOut],
    tags=TAGS,
)
def list_members(query: MemberQuery) -> dict[str, Any]:
    filters = members.Filters(
        q=query.q,
        category_id=_category_id(query.category),
        status=query.status or "",
        include_left=query.include_left,
    )
    statement = members.registry_statement(filters, sdk.local_today())
    if not sdk.has_permission(SEE_REGISTRY):
        statement = statement.where(Member.user_id == sdk.current_user.id)
    return sdk.paginate(
        statement.options(joinedload(Member.category)),
        key=Member.id,
        serialize=_serialize,
        query=query,
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="One member", response=MemberOut, tags=TAGS, errors=(403, 404))
def get_member(member_id: int) -> MemberOut:
    member = visible_member(member_id)
    return member_json(member, dues.standing_on(member, sdk.local_today()))


@sdk.require_permission(MANAGE_MEMBERS)
@sdk.api_operation(
    summary="Add a member",
    body=MemberIn,
    response=MemberOut,
    status=201,
    tags=TAGS,
    errors=(403, 409),
)
def create_member(body: MemberIn) -> MemberOut:
    data = members.MemberInput(
        name=body.name,
        category_id=_category_id(body.category),
        joined_on=body.joined_on,
        number=body.number,
        email=body.email or "",
        phone=body.phone or "",
        cin=body.cin or "",
        language=body.language,
        left_on=body.left_on,
        user_id=body.user_id,
        notes=body.notes,
    )
    member = members.create_member(data)
    return member_json(member, dues.standing_on(member, sdk.local_today()))


@sdk.require_permission(MANAGE_MEMBERS)
@sdk.api_operation(
    summary="Change a member",
    description="Only the fields given change; `null` empties an optional one.",
    body=MemberPatch,
    response=MemberOut,
    tags=TAGS,
    errors=(403, 404, 409),
)
def patch_member(member_id: int, body: MemberPatch) -> MemberOut:
    member = sdk.get_or_404(Member, member_id)
    data = members.member_input(member)
    given = body.model_dump(exclude_unset=True)
    for name, value in given.items():
        if name == "category":
            data.category_id = _category_id(value)
        elif name in ("email", "phone", "cin", "number", "notes"):
            setattr(data, name, value or "")
        else:
            setattr(data, name, value)
    members.update_member(member, data)
    return member_json(member, dues.standing_on(member, sdk.local_today()))


# -- categories and rates ---------------------------------------------------------------------
class CategoryOut(sdk.ApiModel):
    id: int
    code: str
    name: str
    pays_dues: bool
    votes: bool


class CategoryIn(sdk.ApiModel):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=120)
    pays_dues: bool = True
    votes: bool = True


def category_json(c: MemberCategory) -> CategoryOut:
    return CategoryOut(id=c.id, code=c.code, name=c.name, pays_dues=c.pays_dues, votes=c.votes)


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="The member categories",
    query=sdk.PageQuery,
    response=sdk.Page[CategoryOut],
    tags=TAGS,
)
def list_categories(query: sdk.PageQuery) -> dict[str, Any]:
    return sdk.paginate(
        sdk.scoped(MemberCategory),
        key=MemberCategory.id,
        serialize=lambda rows: [category_json(c) for c in rows],
        query=query,
    )


@sdk.require_permission(MANAGE_MEMBERS)
@sdk.api_operation(
    summary="Add a member category",
    body=CategoryIn,
    response=CategoryOut,
    status=201,
    tags=TAGS,
    errors=(403, 409),
)
def create_category(body: CategoryIn) -> CategoryOut:
    return category_json(
        members.save_category(None, body.code, body.name, body.pays_dues, body.votes)
    )


class RateOut(sdk.ApiModel):
    id: int
    category: str
    year: int
    amount: sdk.Money


class RateIn(sdk.ApiModel):
    category: str = Field(max_length=40)
    year: int = Field(ge=1900, le=2200)
    amount: sdk.Money


def rate_json(rate: Any) -> RateOut:
    return RateOut(
        id=rate.id, category=rate.category.code, year=rate.year, amount=sdk.Money(rate.amount)
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="The dues rates", query=sdk.PageQuery, response=sdk.Page[RateOut], tags=TAGS
)
def list_rates(query: sdk.PageQuery) -> dict[str, Any]:
    return sdk.paginate(
        sdk.scoped(DuesRate).options(joinedload(DuesRate.category)),
        key=DuesRate.id,
        serialize=lambda rows: [rate_json(r) for r in rows],
        query=query,
    )


@sdk.require_permission(MANAGE_DUES)
@sdk.api_operation(
    summary="Set the dues of a category for a year",
    description="Replaces the rate already set for that category and year.",
    body=RateIn,
    response=RateOut,
    tags=TAGS,
    errors=(403,),
)
def set_rate(body: RateIn) -> RateOut:
    if body.amount.currency != "MAD":
        raise sdk.ApiError(
            "validation_error",
            sdk._("Some fields are not valid."),
            422,
            {"fields": {"amount": [sdk._("Dues are in dirhams (MAD).")]}},
        )
    category = sdk.get_or_404(MemberCategory, _category_id(body.category))
    return rate_json(payments.set_rate(category, body.year, body.amount.amount))


# -- payments ---------------------------------------------------------------------------------
class PaymentOut(sdk.ApiModel):
    id: int
    member_id: int
    year: int
    amount: sdk.Money
    method: str
    paid_on: date
    reference: str
    receipt_number: str
    cancelled: bool
    receipt_url: str


class PaymentIn(sdk.ApiModel):
    member_id: int
    year: int = Field(ge=1900, le=2200)
    amount: sdk.Money
    method: Literal["cash", "transfer", "cheque"]
    paid_on: date
    reference: str = Field(default="", max_length=120)


class PaymentQuery(sdk.PageQuery):
    member_id: int | None = None
    year: int | None = None


class Transition(sdk.ApiModel):
    transition: Literal["cancel"]


class DuesOut(sdk.ApiModel):
    member_id: int
    status: Status
    unpaid_years: list[int]
    payments: list[PaymentOut]


def payment_json(p: DuesPayment) -> PaymentOut:
    return PaymentOut(
        id=p.id,
        member_id=p.member_id,
        year=p.year,
        amount=sdk.Money(p.amount),
        method=p.method,
        paid_on=p.paid_on,
        reference=p.reference,
        receipt_number=p.receipt_number,
        cancelled=p.cancelled_at is not None,
        receipt_url=sdk.external_url(
            "governance_api.payment_receipt",
            workspace=sdk.current_workspace().slug,
            payment_id=p.id,
        ),
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="A member's dues: status and payments",
    response=DuesOut,
    tags=TAGS,
    errors=(403, 404),
)
def member_dues(member_id: int) -> DuesOut:
    member = visible_member(member_id)
    standing = dues.standing_on(member, sdk.local_today())
    return DuesOut(
        member_id=member.id,
        status=standing.status,  # type: ignore[arg-type]
        unpaid_years=list(standing.unpaid_years),
        payments=[payment_json(p) for p in payments.history(member)],
    )


@sdk.require_permission(SEE_REGISTRY)
@sdk.api_operation(
    summary="List the dues payments",
    query=PaymentQuery,
    response=sdk.Page[PaymentOut],
    tags=TAGS,
    errors=(403,),
)
def list_payments(query: PaymentQuery) -> dict[str, Any]:
    return sdk.paginate(
        payments.payments_statement(query.member_id, query.year),
        key=DuesPayment.id,
        serialize=lambda rows: [payment_json(p) for p in rows],
        query=query,
    )


@sdk.require_permission(MANAGE_DUES)
@sdk.api_operation(
    summary="Record a dues payment",
    description="Cash, transfer or cheque; the receipt number is given in order. "
    "409 `already_paid` when that year is already paid.",
    body=PaymentIn,
    response=PaymentOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409),
)
def record_payment(body: PaymentIn) -> PaymentOut:
    member = sdk.get_or_404(Member, body.member_id)
    if body.amount.currency != "MAD":
        raise sdk.ApiError(
            "validation_error",
            sdk._("Some fields are not valid."),
            422,
            {"fields": {"amount": [sdk._("Dues are in dirhams (MAD).")]}},
        )
    payment = payments.record_payment(
        member,
        year=body.year,
        amount=Decimal(body.amount.amount),
        method=body.method,
        paid_on=body.paid_on,
        reference=body.reference,
        actor=sdk.current_user,
    )
    return payment_json(payment)


@sdk.require_permission(MANAGE_DUES)
@sdk.api_operation(
    summary="Cancel a dues payment",
    description="`cancel`: the payment stays, with its receipt number, marked cancelled.",
    body=Transition,
    response=PaymentOut,
    tags=TAGS,
    errors=(403, 404, 409),
)
def payment_transition(payment_id: int, body: Transition) -> PaymentOut:
    payment = sdk.get_or_404(DuesPayment, payment_id)
    return payment_json(payments.cancel_payment(payment, actor=sdk.current_user))


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="A payment's receipt (PDF, in the member's language)",
    tags=TAGS,
    errors=(403, 404),
)
def payment_receipt(payment_id: int) -> Response:
    payment = sdk.get_or_404(DuesPayment, payment_id)
    visible_member(payment.member_id)
    return Response(
        payments.receipt_pdf(payment, sdk.current_workspace()),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="receipt-{payment.receipt_number}.pdf"'},
    )


class RemindersOut(sdk.ApiModel):
    sent: int = Field(description="Reminders mailed now (members reminded lately are skipped).")


@sdk.require_permission(MANAGE_DUES)
@sdk.api_operation(
    summary="Remind late members of their dues by mail",
    description="Each late or lapsed member with an e-mail, at most once every `reminder_days`.",
    response=RemindersOut,
    tags=TAGS,
    errors=(403,),
)
def send_reminders() -> RemindersOut:
    sent = payments.send_reminders(sdk.current_workspace(), sdk.local_today())
    return RemindersOut(sent=sent)
