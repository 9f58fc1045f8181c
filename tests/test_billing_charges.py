"""Invoices plugins issue for what they sell (``sdk.issue_invoice``): once per key, paid like
any invoice, and announced by ``invoice.paid``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ent_core import sdk
from ent_core.billing.invoices import void_invoice
from ent_core.billing.payments import confirm_payment

pytestmark = pytest.mark.frozen_clock

LINE = sdk.ChargeLine(
    "Campagne « Rentrée » — 10 000 impressions", 1, Decimal("400.00"), Decimal("0.20")
)


def test_a_charge_is_invoiced_once_per_key_with_vat(make_workspace, user):
    ws = make_workspace("annonceur")
    invoice, created = sdk.issue_invoice(ws, [LINE], key="campaign:7", kind="ads", actor=user)
    again, created_again = sdk.issue_invoice(ws, [LINE], key="campaign:7", kind="ads", actor=user)
    sdk.db.session.commit()
    assert created and not created_again and again.id == invoice.id
    assert (invoice.subtotal, invoice.vat_total, invoice.total) == (
        Decimal("400.00"),
        Decimal("80.00"),
        Decimal("480.00"),
    )
    assert invoice.subscription_id is None and invoice.plan_code == "ads"


def test_paying_a_charge_announces_invoice_paid_and_a_void_frees_the_key(
    make_workspace, user, event_listener, signed_in_client
):
    from ent_core.testing import enable

    ws = make_workspace("annonceur")
    enable(ws, "listener")
    invoice, _ = sdk.issue_invoice(ws, [LINE], key="campaign:8", kind="ads", actor=user)
    sdk.db.session.commit()
    page = signed_in_client.get(f"/w/annonceur/billing/invoices/{invoice.number}?lang=en")
    assert page.status_code == 200 and "480.00" in page.get_data(as_text=True)
    confirm_payment(invoice, "cheque", "CHQ-98765", actor=None)
    heard = event_listener.heard("invoice.paid")  # in the transaction and after commit
    assert heard and {e.payload["number"] for e in heard} == {invoice.number}

    other, _ = sdk.issue_invoice(ws, [LINE], key="campaign:9", kind="ads", actor=user)
    void_invoice(other, actor=user, reason="campaign withdrawn")
    sdk.db.session.commit()
    renewed, created = sdk.issue_invoice(ws, [LINE], key="campaign:9", kind="ads", actor=user)
    assert created and renewed.number != other.number
