"""Refunds: a credit note whose subscriber's share the invoice's provider pays back.

A refund is never money without paper: it issues a credit note (avoir) for ``amount`` of the
paid invoice, then asks the provider that took the payment to pay the workspace's share of that
credit note back. The credit note's guarded ``credited + :amount <= total`` update is what keeps
two refunds racing from exceeding the invoice (the second waits on the invoice's row lock on
PostgreSQL, then re-checks), and since the credit notes' subscriber's shares add up to the
invoice's exactly, refunds never exceed what the workspace paid. The provider is asked last,
inside the transaction: its refusal rolls the credit note back with it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from ent_core.audit import record
from ent_core.billing.credit_notes import issue_credit_note
from ent_core.billing.errors import PaymentError
from ent_core.billing.models import CreditNote, Invoice
from ent_core.billing.providers import RefundResult, can_refund, providers
from ent_core.db import utcnow
from ent_core.money import Money


def refund_provider(invoice: Invoice) -> Any | None:
    """The provider that took ``invoice``'s payment, when it can refund; else ``None``."""
    provider = providers().get(invoice.payment_provider or "")
    return provider if provider is not None and can_refund(provider) else None


def refund_invoice(
    invoice: Invoice,
    amount: Decimal | str | None,
    reason: str,
    *,
    actor: Any,
    now: datetime | None = None,
) -> CreditNote:
    """Credit ``amount`` (TTC; ``None``: all that remains) and refund the subscriber's share.

    Refused with 409 ``refund_unsupported`` when the invoice's provider cannot refund, 409
    ``nothing_to_refund`` when the workspace's share of the credit note is zero (a sponsor paid
    it all), and with the credit note's own errors (``credit_exceeds_invoice``...). The caller
    commits.
    """
    now = now or utcnow()
    provider = refund_provider(invoice)
    if provider is None:
        raise PaymentError(
            "refund_unsupported",
            _("This invoice was not paid through a method that refunds: issue a credit note."),
            409,
            details={"provider": invoice.payment_provider},
        )
    note = issue_credit_note(invoice, amount, reason, actor=actor, now=now)
    owed = Money(note.subscriber_share, note.currency)
    if not owed:
        raise PaymentError(
            "nothing_to_refund",
            _("The workspace paid none of this amount: there is nothing to refund."),
            409,
        )
    result = provider.refund(invoice, owed, note.reason, actor)
    reference = str(result.reference if isinstance(result, RefundResult) else "").strip()
    if not reference:
        raise TypeError(f"payment provider {provider.name!r}: refund() must return RefundResult")
    note.refund_provider = provider.name
    note.refund_reference = reference[:120]
    note.refunded_at = now
    record(
        "invoice.refunded",
        subject=f"invoice:{invoice.number}",
        workspace=invoice.workspace,
        actor=actor,
        details={
            "credit_note": note.number,
            "amount": owed.to_json(),
            "provider": provider.name,
            "reference": note.refund_reference,
        },
    )
    return note


def credit_invoice(
    invoice: Invoice | str,
    amount: Money | Decimal | str | None,
    reason: str,
    actor: Any,
    refund: bool = False,
    *,
    now: datetime | None = None,
) -> CreditNote:
    """A plugin corrects an invoice it issued (``sdk.credit_invoice``): the admin page's
    credit note, refunding through the invoice's provider when ``refund`` is true.

    ``invoice`` may be its number; ``amount`` is TTC (``Money`` in the invoice's currency, or a
    ``Decimal``; ``None`` for all that remains). The caller commits.
    """
    from ent_core.billing.errors import BillingError
    from ent_core.billing.invoices import get_invoice

    if isinstance(invoice, str):
        found = get_invoice(invoice)
        if found is None:
            raise BillingError("not_found", _("No such invoice."), 404)
        invoice = found
    if isinstance(amount, Money):
        if amount.currency != invoice.currency:
            raise TypeError(
                f"credit of {amount.currency} on an invoice in {invoice.currency}: nothing converts"
            )
        amount = amount.amount
    if refund:
        return refund_invoice(invoice, amount, reason, actor=actor, now=now)
    return issue_credit_note(invoice, amount, reason, actor=actor, now=now)
