"""Payment providers: the built-in bank transfer and those plugins add by hook."""

from __future__ import annotations

import pytest

from ent_core.billing import subscriptions as service
from ent_core.billing.errors import BillingError
from ent_core.billing.payments import confirm_payment
from ent_core.billing.providers import providers

# Trials, periods and invoice years follow the calendar: never the day the suite runs.
pytestmark = pytest.mark.frozen_clock


def test_hook_ent_payment_providers(make_workspace, user, signed_in_client):
    # the core's bank transfer first, then the plugins' (the marketplace's deduction from a
    # payout is one, never offered to payers: see the invoice page below)
    names = list(providers())
    assert names[0] == "bank_transfer" and {"cheque", "marketplace_offset"} <= set(names)
    ws = make_workspace("cheques", kind="training_centre")
    _sub, invoice = service.subscribe(ws, "basic", actor=user)
    page = signed_in_client.get(f"/w/cheques/billing/invoices/{invoice.number}?lang=en")
    assert "Send a cheque to the platform." in page.get_data(as_text=True)
    assert "marketplace payout" not in page.get_data(as_text=True)
    with pytest.raises(BillingError) as refused:
        confirm_payment(invoice, "cheque", "12345", actor=None)
    assert refused.value.code == "payment_refused"
    confirm_payment(invoice, "cheque", "CHQ-12345", actor=None)
    assert invoice.status == "paid" and invoice.payment_provider == "cheque"
    assert service.get_subscription(ws).state == "active"


def test_bank_transfers_are_confirmed_by_platform_admins_only(make_workspace, user):
    ws = make_workspace("transfer", kind="training_centre")
    _sub, invoice = service.subscribe(ws, "basic", actor=user)
    with pytest.raises(BillingError) as refused:
        confirm_payment(invoice, "bank_transfer", "VIR-1", actor=user)
    assert refused.value.status == 403
    with pytest.raises(BillingError):
        confirm_payment(invoice, "bank_transfer", "  ", actor=None)
    confirm_payment(invoice, "bank_transfer", "VIR-1", actor=None)
    with pytest.raises(BillingError) as twice:
        confirm_payment(invoice, "bank_transfer", "VIR-1", actor=None)
    assert twice.value.code == "invalid_transition"


def test_reminders_are_sent_once_a_week(make_workspace, user, mail_outbox):
    from datetime import timedelta

    from ent_core.billing import jobs

    ws = make_workspace("late", kind="training_centre")
    _sub, invoice = service.subscribe(ws, "basic", actor=user)
    assert any(invoice.number in m["subject"] for m in mail_outbox)  # the invoice itself
    mail_outbox.clear()
    due = invoice.due_at
    assert jobs.send_reminders(now=due) == 1
    assert jobs.send_reminders(now=due + timedelta(days=1)) == 0
    assert jobs.send_reminders(now=due + timedelta(days=8)) == 1
    assert [m["to"] for m in mail_outbox] == [user.email, user.email]
    assert invoice.number in mail_outbox[0]["subject"]
