"""A plugin a plan must entitle (``plan_feature="publishing"``), with data of its own."""

from __future__ import annotations

from ent_core import sdk

meta = sdk.PluginMeta(
    name="gated", version="0.1.0", label="Gated", plan_feature="publishing", order=200
)


class Cheque:
    """A payment provider added by hook: accepts references that start with ``CHQ-``."""

    name = "cheque"
    label = "Cheque"

    def instructions(self, invoice: object) -> str:
        return "Send a cheque to the platform."

    def confirm(self, invoice: object, reference: str, actor: object) -> None:
        from ent_core.billing.errors import BillingError

        if not reference.startswith("CHQ-"):
            raise BillingError("payment_refused", "Not a cheque number.", status=409)


@sdk.hookimpl
def ent_payment_providers() -> list[object]:
    return [Cheque()]
