"""Issuing invoices: gapless yearly numbering, lines, VAT, and the sponsor's share.

The number comes from a counter row per year bumped by ``UPDATE ... RETURNING`` in the very
transaction that inserts the invoice: a failed insert rolls the counter back with it, and the
row lock makes a concurrent issuer wait, so numbers never skip nor repeat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ent_core.audit import record
from ent_core.billing import subsidies
from ent_core.billing.errors import BillingError
from ent_core.billing.models import (
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    Plan,
    Subscription,
    YearCounter,
)
from ent_core.billing.money import CURRENCY, ZERO, share_of, to_money, vat_of
from ent_core.billing.settings import int_setting
from ent_core.db import db, utcnow


@dataclass(frozen=True)
class LineDraft:
    label: str
    quantity: int
    unit_price: Decimal
    vat_rate: Decimal

    @property
    def net(self) -> Decimal:
        return to_money(self.unit_price * self.quantity)

    @property
    def vat(self) -> Decimal:
        return vat_of(self.net, self.vat_rate)

    @property
    def total(self) -> Decimal:
        return self.net + self.vat


def invoice_lines(drafts: list[LineDraft]) -> list[InvoiceLine]:
    return [
        InvoiceLine(
            position=i,
            label=d.label[:300],
            quantity=d.quantity,
            unit_price=d.unit_price,
            vat_rate=d.vat_rate,
            net=d.net,
            vat=d.vat,
            total=d.total,
        )
        for i, d in enumerate(drafts)
    ]


def format_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"


def next_sequence(year: int, counter: type[YearCounter] = InvoiceCounter) -> int:
    """Bump and return the ``counter`` of ``year``; the caller's transaction owns the row lock.

    Invoices and credit notes (``CreditNoteCounter``) each have a counter table of this shape.
    """
    table = counter.__table__
    bump = (
        table.update()
        .where(table.c.year == year)
        .values(last=table.c.last + 1)
        .returning(table.c.last)
    )
    value = db.session.execute(bump).scalar()
    if value is None:
        try:
            with db.session.begin_nested():
                db.session.execute(table.insert().values(year=year, last=0))
        except IntegrityError:
            pass  # another transaction created this year's row first: bump it below
        value = db.session.execute(bump).scalar_one()
    return int(value)


def period_key(subscription_id: int, period_start: datetime) -> str:
    return f"{subscription_id}:{period_start.strftime('%Y%m%dT%H%M%S')}"


def invoice_for_period(subscription: Subscription, period_start: datetime) -> Invoice | None:
    return db.session.scalar(
        db.select(Invoice)
        .where(Invoice.period_key == period_key(subscription.id, period_start))
        .execution_options(ent_all_workspaces=True)
    )


def _period_label(period: str, quantity: int) -> str:
    if period == "year":
        return _("yearly subscription")
    if quantity == 1:
        return _("monthly subscription")
    return _("subscription, %(n)s months", n=quantity)


def plan_line(plan: Plan, period: str, quantity: int, start: datetime, end: datetime) -> LineDraft:
    label = "{name} — {what} ({start} → {end})".format(
        name=plan.name_for("fr"),
        what=_period_label(period, quantity),
        start=start.strftime("%Y-%m-%d"),
        end=end.strftime("%Y-%m-%d"),
    )
    return LineDraft(label, quantity, plan.price_for(period), plan.vat_rate)


def issue_invoice(
    subscription: Subscription,
    *,
    plan: Plan,
    period: str,
    quantity: int,
    period_start: datetime,
    period_end: datetime,
    addons: list[Plan] | None = None,
    actor: Any = None,
    now: datetime | None = None,
) -> tuple[Invoice, bool]:
    """Issue the invoice of one period, once: returns ``(invoice, created)``.

    Running twice for the same period (two renewal jobs) yields the first invoice; the loser's
    transaction, counter bump and budget reservation included, is rolled back.
    """
    now = now or utcnow()
    existing = invoice_for_period(subscription, period_start)
    if existing is not None:
        return existing, False
    workspace = subscription.workspace
    main = plan_line(plan, period, quantity, period_start, period_end)
    drafts = [main] + [
        plan_line(addon, period, quantity, period_start, period_end) for addon in addons or ()
    ]
    subtotal = sum((d.net for d in drafts), ZERO)
    vat_total = sum((d.vat for d in drafts), ZERO)
    total = subtotal + vat_total
    programme = None
    if main.total > ZERO:
        programme = subsidies.eligible_programme(
            kind=workspace.kind,
            plan_code=plan.code,
            started_at=subscription.started_at,
            period_start=period_start,
        )
    # The budget reservation, the number and the row stand or fall together: a savepoint, so a
    # loser of the period's unique key gives both back and keeps what its transaction did before.
    savepoint = db.session.begin_nested()
    sponsor_share = ZERO
    if programme is not None:
        sponsor_share = subsidies.reserve(programme, share_of(main.total, programme.share_percent))
    year = now.year  # numbered in the year of issue
    sequence = next_sequence(year)
    payment_days = int_setting("ENT_BILLING_PAYMENT_DAYS")
    invoice = Invoice(
        workspace_id=workspace.id,
        number=format_number(year, sequence),
        year=year,
        sequence=sequence,
        subscription_id=subscription.id,
        plan_code=plan.code,
        period=period,
        period_start=period_start,
        period_end=period_end,
        period_key=period_key(subscription.id, period_start),
        status="issued",
        currency=plan.currency,
        customer_name=workspace.name,
        customer_kind=workspace.kind,
        subtotal=subtotal,
        vat_total=vat_total,
        total=total,
        sponsor_share=sponsor_share,
        subscriber_share=total - sponsor_share,
        programme_id=programme.id if programme is not None and sponsor_share > ZERO else None,
        sponsor_name=programme.sponsor if programme is not None and sponsor_share > ZERO else "",
        issued_at=now,
        due_at=max(period_start, now + timedelta(days=payment_days)),
        lines=invoice_lines(drafts),
    )
    if invoice.subscriber_share == ZERO:
        invoice.status = "paid"
        invoice.paid_at = now
        invoice.payment_provider = "subsidy"
    db.session.add(invoice)
    try:
        db.session.flush()
    except IntegrityError:
        savepoint.rollback()
        found = invoice_for_period(subscription, period_start)
        if found is None:
            raise
        return found, False
    savepoint.commit()
    details = {
        "total": str(total),
        "sponsor_share": str(sponsor_share),
        "subscriber_share": str(invoice.subscriber_share),
        "plan": plan.code,
    }
    record(
        "invoice.issued",
        subject=f"invoice:{invoice.number}",
        workspace=workspace,
        actor=actor,
        details=details,
    )
    if sponsor_share > ZERO and programme is not None:
        record(
            "subsidy.applied",
            subject=f"programme:{programme.code}",
            workspace=workspace,
            actor=actor,
            details={"invoice": invoice.number, "amount": str(sponsor_share)},
        )
    return invoice, True


def void_invoice(invoice: Invoice, *, actor: Any, reason: str = "") -> None:
    """Cancel an unpaid invoice: it keeps its number, and a sponsor's share taken returns.

    The guarded ``UPDATE ... WHERE status = 'issued'`` succeeds for one of two voids (or a void
    and a payment) racing, so the share returns once; the other is refused. A paid invoice is
    never voided: the money was received, and correcting it takes a credit note.
    """
    table = Invoice.__table__
    voided = db.session.execute(
        table.update()
        .where(table.c.id == invoice.id, table.c.status == "issued")
        .values(status="void", voided_at=utcnow(), period_key=None, note=reason),
        execution_options={"ent_all_workspaces": True},  # by id, whoever's it is
    ).rowcount
    db.session.refresh(invoice)
    if voided != 1:
        paid = invoice.status == "paid"
        raise BillingError(
            "invalid_transition",
            _(
                "A paid invoice cannot be voided: issue a credit note from its page in the "
                "invoices administration."
            )
            if paid
            else _("Only an unpaid invoice can be voided."),
            status=409,
            details={"allowed": [], "status": invoice.status},
        )
    if invoice.programme_id is not None and invoice.sponsor_share > ZERO:
        subsidies.give_back(invoice.programme_id, invoice.sponsor_share)
    record(
        "invoice.voided",
        subject=f"invoice:{invoice.number}",
        workspace=invoice.workspace,
        actor=actor,
        details={"reason": reason},
    )


def get_invoice(number: str, workspace: Any | None = None) -> Invoice | None:
    statement = db.select(Invoice).where(Invoice.number == number)
    if workspace is not None:
        statement = statement.where(Invoice.workspace_id == workspace.id)
    return db.session.scalar(statement.execution_options(ent_all_workspaces=True))


def invoice_item(invoice: Invoice) -> dict[str, Any]:
    """The API shape of an invoice: amounts as strings, each party's share apart."""
    return {
        "number": invoice.number,
        "status": invoice.status,
        "plan": invoice.plan_code,
        "period": invoice.period,
        "period_start": invoice.period_start,
        "period_end": invoice.period_end,
        "currency": invoice.currency,
        "subtotal": str(invoice.subtotal),
        "vat_total": str(invoice.vat_total),
        "total": str(invoice.total),
        "sponsor": invoice.sponsor_name or None,
        "sponsor_share": str(invoice.sponsor_share),
        "subscriber_share": str(invoice.subscriber_share),
        "issued_at": invoice.issued_at,
        "due_at": invoice.due_at,
        "paid_at": invoice.paid_at,
        "payment_provider": invoice.payment_provider,
        "credited": str(invoice.credited),
        "credit_notes": [note.number for note in invoice.credit_notes],
        "lines": [
            {
                "label": line.label,
                "quantity": line.quantity,
                "unit_price": str(line.unit_price),
                "vat_rate": str(line.vat_rate.normalize()),
                "net": str(line.net),
                "vat": str(line.vat),
                "total": str(line.total),
            }
            for line in invoice.lines
        ],
    }


@dataclass(frozen=True)
class ChargeLine:
    """A line of an invoice a plugin issues (``sdk.issue_invoice``): HT unit price and VAT rate."""

    label: str
    quantity: int
    unit_price: Decimal
    vat_rate: Decimal


def issue_charge(
    workspace: Any,
    lines: list[ChargeLine],
    *,
    key: str,
    kind: str,
    period_start: datetime | None = None,
    period_end: datetime | None = None,
    actor: Any = None,
    now: datetime | None = None,
) -> tuple[Invoice, bool]:
    """Invoice ``workspace`` for what a plugin sells (a campaign, a month of delivery, a paid
    classified ad), once per ``key``: returns ``(invoice, created)``.

    The invoice joins the platform's series and pages: numbered like subscriptions' invoices,
    paid through the same providers (``invoice.paid`` tells the plugin), voided or credited by
    the same administrators. ``kind`` (the plugin's name, at most 40 characters) is shown where a
    plan's code would be; ``key`` (unique per kind, at most 60 characters) makes two requests
    racing for the same sale issue one invoice. No subsidy applies: programmes pay
    subscriptions. The caller commits.
    """
    if not lines:
        raise ValueError("an invoice needs at least one line")
    now = now or utcnow()
    unique = f"{kind}:{key}"
    if len(unique) > 64:
        raise ValueError(f"invoice key {unique!r} is longer than 64 characters")
    existing = _invoice_by_key(unique)
    if existing is not None:
        return existing, False
    drafts = [
        LineDraft(line.label, line.quantity, line.unit_price, line.vat_rate) for line in lines
    ]
    subtotal = sum((d.net for d in drafts), ZERO)
    vat_total = sum((d.vat for d in drafts), ZERO)
    total = subtotal + vat_total
    savepoint = db.session.begin_nested()
    year = now.year
    sequence = next_sequence(year)
    invoice = Invoice(
        workspace_id=workspace.id,
        number=format_number(year, sequence),
        year=year,
        sequence=sequence,
        subscription_id=None,
        plan_code=kind,
        period="once",
        period_start=period_start or now,
        period_end=period_end or now,
        period_key=unique,
        status="issued",
        currency=CURRENCY,
        customer_name=workspace.name,
        customer_kind=workspace.kind,
        subtotal=subtotal,
        vat_total=vat_total,
        total=total,
        sponsor_share=ZERO,
        subscriber_share=total,
        issued_at=now,
        due_at=now + timedelta(days=int_setting("ENT_BILLING_PAYMENT_DAYS")),
        lines=invoice_lines(drafts),
    )
    db.session.add(invoice)
    try:
        db.session.flush()
    except IntegrityError:
        savepoint.rollback()
        found = _invoice_by_key(unique)
        if found is None:
            raise
        return found, False
    savepoint.commit()
    record(
        "invoice.issued",
        subject=f"invoice:{invoice.number}",
        workspace=workspace,
        actor=actor,
        details={"total": str(total), "kind": kind, "key": key},
    )
    return invoice, True


def _invoice_by_key(unique: str) -> Invoice | None:
    return db.session.scalar(
        db.select(Invoice)
        .where(Invoice.period_key == unique)
        .execution_options(ent_all_workspaces=True)
    )
