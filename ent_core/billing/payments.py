"""Confirming a payment through a provider (ent_core.billing.providers; sdk.confirm_payment).

A provider explains how to pay an invoice and confirms a payment; confirming marks the invoice
paid, audits ``invoice.paid`` and lets the subscription move on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from ent_core.audit import record
from ent_core.billing.errors import BillingError
from ent_core.billing.invoices import get_invoice
from ent_core.billing.models import Invoice
from ent_core.billing.providers import get_provider
from ent_core.db import db, utcnow
from ent_core.events.core import emit_invoice_paid


def _not_payable(invoice: Invoice) -> BillingError:
    return BillingError(
        "invalid_transition",
        _("Only an unpaid invoice can be marked paid."),
        status=409,
        details={"allowed": [], "status": invoice.status},
    )


def confirm_payment(
    invoice: Invoice | str,
    provider_name: str,
    reference: str,
    *,
    actor: Any,
    now: datetime | None = None,
) -> Invoice:
    """Mark ``invoice`` paid through ``provider_name``; the subscription follows.

    The guarded ``UPDATE ... WHERE status = 'issued'`` lets one of a payment and a void (or two
    payments) racing win; the other is refused. ``invoice`` may be its number (a gateway's
    webhook knows only that); an unknown number answers 404 ``not_found``.
    """
    from ent_core.billing.subscriptions import invoice_paid, lock_subscription

    now = now or utcnow()
    if isinstance(invoice, str):
        found = get_invoice(invoice)
        if found is None:
            raise BillingError("not_found", _("No such invoice."), 404)
        invoice = found
    if invoice.subscription_id is not None:  # locks in the order plan changes take them
        lock_subscription(subscription_id=invoice.subscription_id)
    db.session.refresh(invoice)
    if invoice.status != "issued":
        raise _not_payable(invoice)
    provider = get_provider(provider_name)
    provider.confirm(invoice, reference, actor)
    table = Invoice.__table__
    paid = db.session.execute(
        table.update()
        .where(table.c.id == invoice.id, table.c.status == "issued")
        .values(
            status="paid",
            paid_at=now,
            payment_provider=provider.name,
            payment_reference=reference.strip()[:120],
            paid_by_id=actor.id if actor is not None else None,
        ),
        execution_options={"ent_all_workspaces": True},  # by id, whoever's it is
    ).rowcount
    db.session.refresh(invoice)
    if paid != 1:  # paid or voided a moment ago by another request
        raise _not_payable(invoice)
    record(
        "invoice.paid",
        subject=f"invoice:{invoice.number}",
        workspace=invoice.workspace,
        actor=actor,
        details={
            "provider": provider.name,
            "reference": invoice.payment_reference,
            "amount": str(invoice.subscriber_share),
        },
    )
    invoice_paid(invoice, actor=actor, now=now)
    emit_invoice_paid(invoice)
    db.session.commit()
    return invoice
