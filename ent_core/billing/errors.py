"""Billing's refusals: ``UserError``s, so the one handler answers them on pages and in the API."""

from __future__ import annotations

from ent_core.errors import UserError


class BillingError(UserError):
    """A refused billing operation (``code`` for programs, ``status`` 422 unless said)."""


class PaymentError(BillingError):
    """A payment provider refused: a payment it cannot confirm, a refund it cannot make.

    Providers raise it (``sdk.PaymentError``); ``refund_unsupported`` (409) says a provider
    cannot refund at all.
    """
