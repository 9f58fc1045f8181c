"""A plugin a plan must entitle (``plan_feature="publishing"``), with data of its own, and a
payment provider written on the SDK alone, refunds included."""

from __future__ import annotations

from typing import Any

from ent_core import sdk

meta = sdk.PluginMeta(
    name="gated", version="0.1.0", label="Gated", plan_feature="publishing", order=200
)

#: Refunds the provider made, ``(invoice number, amount, reason)``; tests read and clear it.
refunds_made: list[tuple[str, sdk.Money, str]] = []


class Cheque(sdk.PaymentProvider):
    """Accepts references that start with ``CHQ-``; refunds by cheque, ``RCHQ-<n>``, unless
    the reason says ``bounce`` (a refusal, for tests)."""

    name = "cheque"
    label = "Cheque"
    can_refund = True

    def instructions(self, invoice: Any) -> str:
        return "Send a cheque to the platform."

    def confirm(self, invoice: Any, reference: str, actor: Any) -> None:
        if not reference.startswith("CHQ-"):
            raise sdk.PaymentError("payment_refused", "Not a cheque number.", 409)

    def refund(self, invoice: Any, amount: sdk.Money, reason: str, actor: Any) -> sdk.RefundResult:
        if "bounce" in reason:
            raise sdk.PaymentError("refund_refused", "The bank refused the cheque.", 409)
        refunds_made.append((invoice.number, amount, reason))
        return sdk.RefundResult(reference=f"RCHQ-{len(refunds_made)}")


@sdk.hookimpl
def ent_payment_providers() -> list[Any]:
    return [Cheque()]
