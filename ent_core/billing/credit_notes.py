"""Credit notes (avoirs): correcting a paid invoice by all or part of its amount.

A paid invoice is never voided nor rewritten; a credit note, numbered in a gapless yearly series
of its own (``AV-2026-000001``), says how much of it is cancelled. Its HT, VAT and sponsor's
share are the invoice's in proportion, and the last credit note takes exactly what remains, so
the credit notes of an invoice add up to it to the centime.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from ent_core.audit import record
from ent_core.billing import subsidies
from ent_core.billing.errors import BillingError
from ent_core.billing.invoices import next_sequence
from ent_core.billing.models import CreditNote, CreditNoteCounter, Invoice
from ent_core.billing.money import CENT, ZERO, to_money
from ent_core.db import db, utcnow
from ent_core.money import Money, format_money

REASON_MAX = 300


def format_number(year: int, sequence: int) -> str:
    return f"AV-{year}-{sequence:06d}"


def parse_amount(value: Any) -> Decimal:
    """A positive amount with at most two decimals, or a ``validation_error`` naming ``amount``."""
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        message = _("Give a positive amount with at most two decimals.")
        raise BillingError("validation_error", message, details={"fields": {"amount": [message]}})
    return to_money(amount)


def _proportion(part: Decimal, amount: Decimal, total: Decimal) -> Decimal:
    return to_money(part * amount / total) if total else ZERO


def issue_credit_note(
    invoice: Invoice,
    amount: Decimal | None,
    reason: str,
    *,
    actor: Any,
    now: datetime | None = None,
) -> CreditNote:
    """Credit ``amount`` (TTC; ``None`` for all that remains) of a paid ``invoice``.

    The guarded ``UPDATE ... SET credited = credited + :amount WHERE status = 'paid' AND credited
    + :amount <= total`` lets concurrent credit notes through only while they fit (it locks the
    invoice row until commit on PostgreSQL), so the sponsor's share goes back once per credit
    note and never beyond the invoice. The caller commits.
    """
    now = now or utcnow()
    reason = (reason or "").strip()
    if not reason:
        message = _("Give a reason.")
        raise BillingError("validation_error", message, details={"fields": {"reason": [message]}})
    reason = reason[:REASON_MAX]
    db.session.refresh(invoice)
    if invoice.status != "paid":
        raise BillingError(
            "invalid_transition",
            _("Only a paid invoice can be corrected by a credit note."),
            status=409,
            details={"status": invoice.status},
        )
    amount = invoice.uncredited if amount is None else parse_amount(amount)
    table = Invoice.__table__
    taken = db.session.execute(
        table.update()
        .where(
            table.c.id == invoice.id,
            table.c.status == "paid",
            table.c.credited + amount <= table.c.total,
        )
        .values(credited=table.c.credited + amount),
        execution_options={"ent_all_workspaces": True},  # by id, whoever's it is
    ).rowcount
    db.session.refresh(invoice)
    if taken != 1 or amount <= ZERO:
        raise BillingError(
            "credit_exceeds_invoice",
            _(
                "A credit note cannot exceed what remains of the invoice: %(remaining)s.",
                remaining=format_money(invoice.uncredited, invoice.currency),
            ),
            status=409,
            details={"remaining": str(invoice.uncredited), "currency": invoice.currency},
        )
    vat, sponsor = _shares(invoice, amount)
    programme_id = invoice.programme_id if sponsor > ZERO else None
    if programme_id is not None:  # locks in the documented order: invoice, programme, counter
        subsidies.give_back(programme_id, sponsor)
    year = now.year
    sequence = next_sequence(year, CreditNoteCounter)
    note = CreditNote(
        workspace_id=invoice.workspace_id,
        number=format_number(year, sequence),
        year=year,
        sequence=sequence,
        invoice_id=invoice.id,
        currency=invoice.currency,
        subtotal=amount - vat,
        vat_total=vat,
        total=amount,
        sponsor_share=sponsor,
        subscriber_share=amount - sponsor,
        programme_id=programme_id,
        reason=reason,
        issued_at=now,
        issued_by_id=getattr(actor, "id", None),
    )
    db.session.add(note)
    db.session.flush()
    record(
        "invoice.credited",
        subject=f"invoice:{invoice.number}",
        workspace=invoice.workspace,
        actor=actor,
        details={
            "credit_note": note.number,
            "total": str(amount),
            "sponsor_share": str(sponsor),
            "reason": reason,
        },
    )
    db.session.expire(invoice, ["credit_notes"])
    return note


def _shares(invoice: Invoice, amount: Decimal) -> tuple[Decimal, Decimal]:
    """The VAT and sponsor's share of a credit note of ``amount``, already counted in credited.

    In proportion to the invoice, rounded like its amounts; the note that completes the invoice
    takes exactly what the earlier ones left, so nothing is lost or doubled by rounding.
    """
    if invoice.credited == invoice.total:
        earlier = list(
            db.session.scalars(
                db.select(CreditNote)
                .where(CreditNote.invoice_id == invoice.id)
                .execution_options(ent_all_workspaces=True)
            )
        )
        return (
            invoice.vat_total - sum((n.vat_total for n in earlier), ZERO),
            invoice.sponsor_share - sum((n.sponsor_share for n in earlier), ZERO),
        )
    return _proportion(invoice.vat_total, amount, invoice.total), _proportion(
        invoice.sponsor_share, amount, invoice.total
    )


def get_credit_note(number: str, workspace: Any | None = None) -> CreditNote | None:
    statement = db.select(CreditNote).where(CreditNote.number == number)
    if workspace is not None:
        statement = statement.where(CreditNote.workspace_id == workspace.id)
    return db.session.scalar(statement.execution_options(ent_all_workspaces=True))


def credit_note_item(note: CreditNote) -> dict[str, Any]:
    """The API shape of a credit note: amounts as strings, like invoices."""
    return {
        "number": note.number,
        "invoice": note.invoice.number,
        "currency": note.currency,
        "subtotal": str(note.subtotal),
        "vat_total": str(note.vat_total),
        "total": str(note.total),
        "sponsor_share": str(note.sponsor_share),
        "subscriber_share": str(note.subscriber_share),
        "reason": note.reason,
        "issued_at": note.issued_at,
        "refund": _refund_item(note),
    }


def _refund_item(note: CreditNote) -> dict[str, Any] | None:
    if note.refund_reference is None:
        return None
    return {
        "provider": note.refund_provider,
        "reference": note.refund_reference,
        "amount": Money(note.subscriber_share, note.currency),
        "refunded_at": note.refunded_at,
    }
