"""A card gateway for the dues tests: accepts references that start with ``OK-``."""

from __future__ import annotations

from typing import Any

from ent_core import sdk

checked: list[tuple[str, str]] = []


class TestCard(sdk.PaymentProvider):
    name = "testcard"
    label = "Test card"

    def instructions(self, invoice: Any) -> str:
        return "Pay by card."

    def confirm(self, invoice: Any, reference: str, actor: Any) -> None:
        if not reference.startswith("OK-"):
            raise sdk.PaymentError("payment_refused", "The gateway refused this payment.", 409)
        checked.append((invoice.number, str(invoice.subscriber_share)))


@sdk.hookimpl
def ent_payment_providers() -> list[Any]:
    return [TestCard()]
