"""Payment providers: the built-in bank transfer, and the ones plugins add by hook.

A provider explains how to pay an invoice and confirms a payment; confirming marks the invoice
paid, audits ``invoice.paid`` and lets the subscription move on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ent_core.audit import record
from ent_core.billing.errors import BillingError
from ent_core.billing.models import Invoice
from ent_core.billing.settings import text_setting
from ent_core.db import db, utcnow
from ent_core.events.core import emit_invoice_paid


@runtime_checkable
class PaymentProvider(Protocol):
    """What ``ent_payment_providers`` returns: a name, a label and two operations."""

    name: str
    label: Any

    def instructions(self, invoice: Invoice) -> str:
        """How the subscriber pays ``invoice`` (shown on the invoice page and in mails)."""
        ...

    def confirm(self, invoice: Invoice, reference: str, actor: Any) -> None:
        """Check the payment ``reference`` for ``invoice``; raise ``BillingError`` to refuse."""
        ...


class BankTransfer:
    """Bank transfer to the platform's account, confirmed by a platform administrator."""

    name = "bank_transfer"
    label = _l("Bank transfer")

    def instructions(self, invoice: Invoice) -> str:
        account = text_setting("ENT_BILLING_BANK_ACCOUNT") or _(
            "the bank account given by the platform operator"
        )
        return _(
            "Transfer %(amount)s %(currency)s to %(account)s with the reference %(number)s. "
            "An administrator confirms the payment when it arrives.",
            amount=invoice.subscriber_share,
            currency=invoice.currency,
            account=account,
            number=invoice.number,
        )

    def confirm(self, invoice: Invoice, reference: str, actor: Any) -> None:
        if actor is not None and not actor.is_admin:
            raise BillingError(
                "forbidden", _("Only platform administrators confirm transfers."), status=403
            )
        if not reference.strip():
            raise BillingError(
                "validation_error",
                _("Give the transfer's reference."),
                details={"fields": {"reference": [_("A reference is required.")]}},
            )


def providers() -> dict[str, PaymentProvider]:
    """Built-in provider first, then those of plugins, by name."""
    found: dict[str, PaymentProvider] = {"bank_transfer": BankTransfer()}
    for batch in current_app.extensions["ent"].hook.ent_payment_providers():
        for provider in batch or ():
            if not isinstance(provider, PaymentProvider):
                raise TypeError(f"ent_payment_providers returned {provider!r}, not a provider")
            found.setdefault(provider.name, provider)
    return found


def get_provider(name: str) -> PaymentProvider:
    found = providers().get(name)
    if found is None:
        raise BillingError("validation_error", _("Unknown payment method: %(name)s", name=name))
    return found


def _not_payable(invoice: Invoice) -> BillingError:
    return BillingError(
        "invalid_transition",
        _("Only an unpaid invoice can be marked paid."),
        status=409,
        details={"allowed": [], "status": invoice.status},
    )


def confirm_payment(
    invoice: Invoice,
    provider_name: str,
    reference: str,
    *,
    actor: Any,
    now: datetime | None = None,
) -> Invoice:
    """Mark ``invoice`` paid through ``provider_name``; the subscription follows.

    The guarded ``UPDATE ... WHERE status = 'issued'`` lets one of a payment and a void (or two
    payments) racing win; the other is refused.
    """
    from ent_core.billing.subscriptions import invoice_paid, lock_subscription

    now = now or utcnow()
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
