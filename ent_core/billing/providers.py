"""The payment provider protocol (``sdk.PaymentProvider``) and the providers installed.

Every provider, the built-in bank transfer included (``ent_core.default_payments``), comes from
the ``ent_payment_providers`` hook; the core's answers come first, so ``bank_transfer`` leads
and a plugin cannot replace it (a duplicate name is ignored).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from flask import current_app
from flask_babel import gettext as _

from ent_core.billing.errors import BillingError, PaymentError
from ent_core.money import Money

#: What a provider must have; ``can_refund`` and ``refund`` are optional (no refunds without).
REQUIRED = ("name", "label", "instructions", "confirm")


@dataclass(frozen=True)
class RefundResult:
    """What a provider's ``refund`` answers: its own reference for the refund it made."""

    reference: str


@runtime_checkable
class PaymentProvider(Protocol):
    """A way to pay invoices, returned from ``ent_payment_providers``.

    Subclass it to inherit the defaults: no refunds (``can_refund = False`` and a ``refund``
    that raises ``PaymentError("refund_unsupported")``).
    """

    name: str
    label: Any
    can_refund: bool = False

    def instructions(self, invoice: Any) -> str:
        """How the subscriber pays ``invoice`` (shown on the invoice page and in mails)."""
        ...

    def confirm(self, invoice: Any, reference: str, actor: Any) -> None:
        """Check the payment ``reference`` for ``invoice``; raise ``PaymentError`` to refuse."""
        ...

    def refund(self, invoice: Any, amount: Money, reason: str, actor: Any) -> RefundResult:
        """Pay ``amount`` of ``invoice`` back to its payer; raise ``PaymentError`` to refuse."""
        raise PaymentError(
            "refund_unsupported",
            _("%(provider)s cannot refund.", provider=self.label),
            409,
            details={"provider": self.name},
        )


def offered_for(invoice: Any) -> list[Any]:
    """The providers a payer may use for ``invoice``: all, but those whose optional
    ``offered(invoice)`` says no (a way the platform applies itself, such as the
    marketplace's deduction from a payout, is never offered to payers)."""
    return [
        provider
        for provider in providers().values()
        if getattr(provider, "offered", None) is None or provider.offered(invoice)
    ]


def can_refund(provider: Any) -> bool:
    """Whether ``provider`` says it refunds (and has a ``refund`` to do it with)."""
    return bool(getattr(provider, "can_refund", False)) and callable(
        getattr(provider, "refund", None)
    )


def providers() -> dict[str, Any]:
    """Every installed provider by name, the core's first, then plugins' in hook order."""
    found: dict[str, Any] = {}
    for batch in current_app.extensions["ent"].hook.ent_payment_providers():
        for provider in batch or ():
            missing = [member for member in REQUIRED if not hasattr(provider, member)]
            if missing:
                raise TypeError(
                    f"ent_payment_providers returned {provider!r}, not a PaymentProvider "
                    f"(missing {', '.join(missing)})"
                )
            found.setdefault(provider.name, provider)
    return found


def get_provider(name: str | None) -> Any:
    found = providers().get(name or "")
    if found is None:
        raise BillingError("validation_error", _("Unknown payment method: %(name)s", name=name))
    return found
