"""The built-in bank transfer, a payment provider written on the SDK like a plugin's.

It imports nothing of the core but ``ent_core.sdk`` (tests/test_boundaries.py checks), and is
registered through ``ent_payment_providers`` like a third party's (``CORE_PLUGIN_MODULES``).
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from ent_core import sdk


class BankTransfer(sdk.PaymentProvider):
    """Bank transfer to the platform's account, confirmed by a platform administrator.

    It cannot refund: the platform does not send transfers. A credit note says what is owed
    back, and the operator pays it outside the platform.
    """

    name = "bank_transfer"
    label = sdk._l("Bank transfer")
    can_refund = False

    def instructions(self, invoice: Any) -> str:
        account = _bank_account() or sdk._("the bank account given by the platform operator")
        return sdk._(
            "Transfer %(amount)s to %(account)s with the reference %(number)s. "
            "An administrator confirms the payment when it arrives.",
            amount=sdk.Money(invoice.subscriber_share, invoice.currency).format(),
            account=account,
            number=invoice.number,
        )

    def confirm(self, invoice: Any, reference: str, actor: Any) -> None:
        if actor is not None and not actor.is_admin:
            raise sdk.PaymentError(
                "forbidden", sdk._("Only platform administrators confirm transfers."), 403
            )
        if not reference.strip():
            raise sdk.PaymentError(
                "validation_error",
                sdk._("Give the transfer's reference."),
                field="reference",
            )


def _bank_account() -> str:
    """``ENT_BILLING_BANK_ACCOUNT`` (the RIB shown to payers), as the configuration gives it."""
    return str(current_app.config.get("ENT_BILLING_BANK_ACCOUNT") or "")


@sdk.hookimpl
def ent_payment_providers() -> list[Any]:
    return [BankTransfer()]
