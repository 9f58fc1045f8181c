"""Subscriptions through the service and the SDK: subsidies, entitlements, renewals, expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from ent_core import sdk
from ent_core.audit import AuditEvent
from ent_core.billing import jobs
from ent_core.billing import subscriptions as service
from ent_core.billing.errors import BillingError
from ent_core.billing.invoices import get_invoice, void_invoice
from ent_core.billing.models import Invoice, InvoiceCounter, Plan, SubsidyProgramme
from ent_core.billing.payments import confirm_payment
from ent_core.billing.plans import get_plan, update_plan
from ent_core.billing.subsidies import update_programme
from ent_core.db import db, utcnow
from ent_core.testing import all_workspaces
from ent_core.workspaces.models import PluginActivation
from ent_core.workspaces.service import WorkspaceError, enable_plugin

# Trials, periods and invoice years follow the calendar: never the day the suite runs.
pytestmark = pytest.mark.frozen_clock


def _actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_media_startup_basic_plan_is_fully_paid_by_the_state_programme(workspace, user):
    subscription, invoice = service.subscribe(workspace, "basic", "month", actor=user)
    assert invoice.total == Decimal("238.80")  # 199.00 + 20 % VAT
    assert invoice.sponsor_share == Decimal("238.80")
    assert invoice.subscriber_share == Decimal("0.00")
    assert invoice.sponsor_name.startswith("État")
    assert invoice.status == "paid"
    assert subscription.state == "active"
    programme = db.session.scalar(
        db.select(SubsidyProgramme).where(SubsidyProgramme.code == "pme_etat")
    )
    assert programme.spent == Decimal("238.80")
    assert {"invoice.issued", "subsidy.applied", "subscription.pay"} <= set(_actions())


def test_association_pays_half(make_workspace, user):
    ws = make_workspace("assoc", kind="association")
    subscription, invoice = service.subscribe(ws, "association", "year", actor=user)
    assert invoice.total == Decimal("1188.00")
    assert invoice.sponsor_share == Decimal("594.00")
    assert invoice.subscriber_share == Decimal("594.00")
    assert invoice.status == "issued"
    assert subscription.state == "trialing"


def test_subsidy_budget_running_out_mid_month_covers_part_then_nothing(make_workspace, user):
    programme = db.session.scalar(
        db.select(SubsidyProgramme).where(SubsidyProgramme.code == "pme_etat")
    )
    programme.budget = Decimal("300.00")
    db.session.commit()
    first = service.subscribe(make_workspace("one"), "basic", actor=user)[1]
    second = service.subscribe(make_workspace("two"), "basic", actor=user)[1]
    third = service.subscribe(make_workspace("three"), "basic", actor=user)[1]
    assert (first.sponsor_share, first.subscriber_share) == (Decimal("238.80"), Decimal("0.00"))
    # partial coverage: the 61.20 left, the subscriber pays the rest
    assert (second.sponsor_share, second.subscriber_share) == (Decimal("61.20"), Decimal("177.60"))
    assert (third.sponsor_share, third.subscriber_share) == (Decimal("0.00"), Decimal("238.80"))
    assert third.sponsor_name == ""
    db.session.refresh(programme)
    assert programme.spent == programme.budget


def test_plan_gated_plugin_needs_an_entitlement(make_workspace, user):
    ws = make_workspace("gatedws", kind="training_centre")
    with pytest.raises(WorkspaceError) as refused:
        enable_plugin(ws, "gated", actor=user)
    assert refused.value.code == "not_entitled"
    assert refused.value.status == 403
    enable_plugin(ws, "alpha", actor=user)  # no plan_feature: free for approved workspaces
    service.subscribe(ws, "basic", actor=user)  # trial: entitled until it lapses
    enable_plugin(ws, "gated", actor=user)
    assert service.entitled(ws, "gated")


def test_expiry_switches_the_module_off_and_keeps_its_data(make_workspace, user, mail_outbox):
    ws = make_workspace("lapse", kind="training_centre")
    subscription, invoice = service.subscribe(ws, "basic", actor=user)
    enable_plugin(ws, "gated", {}, actor=user)
    with all_workspaces():
        activation_id = db.session.scalar(
            db.select(PluginActivation.id).where(PluginActivation.plugin == "gated")
        )
    later = subscription.current_period_end + timedelta(minutes=1)
    assert jobs.roll_periods(now=later) == 1
    db.session.refresh(subscription)
    assert subscription.state == "past_due"
    assert service.entitled(ws, "gated", now=later)  # grace period
    much_later = later + timedelta(days=16)
    assert jobs.expire_subscriptions(now=much_later) == 1
    assert jobs.expire_subscriptions(now=much_later) == 0  # idempotent
    db.session.refresh(subscription)
    assert subscription.state == "expired"
    with all_workspaces():
        activation = db.session.get(PluginActivation, activation_id)
    assert activation is not None and activation.enabled is False
    with all_workspaces():
        assert db.session.get(Invoice, invoice.id).status == "void"
    assert any(m["subject"].endswith(": Lapse") for m in mail_outbox), mail_outbox
    with pytest.raises(WorkspaceError):
        enable_plugin(ws, "gated", actor=user)


def test_payment_by_transfer_activates_and_renewal_runs_once(make_workspace, make_user, user):
    admin = make_user("admin@example.ma", admin=True)
    ws = make_workspace("payer", kind="training_centre")
    subscription, invoice = service.subscribe(ws, "basic", actor=user)
    confirm_payment(invoice, "bank_transfer", "VIR-123", actor=admin)
    db.session.refresh(subscription)
    assert subscription.state == "active"
    assert subscription.current_period_end == invoice.period_end
    near_end = subscription.current_period_end - timedelta(days=3)
    assert jobs.renew_subscriptions(now=near_end) == 1
    assert jobs.renew_subscriptions(now=near_end) == 0
    with all_workspaces():
        renewals = db.session.scalars(
            db.select(Invoice).where(Invoice.period_start == subscription.current_period_end)
        ).all()
    assert len(renewals) == 1
    assert renewals[0].sequence == invoice.sequence + 1
    confirm_payment(renewals[0], "bank_transfer", "VIR-124", actor=admin)
    after = subscription.current_period_end + timedelta(hours=1)
    jobs.roll_periods(now=after)
    db.session.refresh(subscription)
    assert subscription.state == "active"
    assert subscription.current_period_start == renewals[0].period_start
    assert "invoice.paid" in _actions()


def test_canceled_subscription_stays_usable_until_period_end(workspace, user):
    subscription, _invoice = service.subscribe(workspace, "basic", actor=user)
    enable_plugin(workspace, "gated", actor=user)
    service.cancel(workspace, actor=user)
    assert subscription.state == "canceled"
    assert service.entitled(workspace, "gated")
    end = subscription.current_period_end
    assert not service.entitled(workspace, "gated", now=end + timedelta(seconds=1))
    jobs.expire_subscriptions(now=end + timedelta(seconds=1))
    assert subscription.state == "expired"
    with all_workspaces():
        enabled = db.session.scalar(
            db.select(PluginActivation.enabled).where(PluginActivation.plugin == "gated")
        )
    assert enabled is False
    with pytest.raises(BillingError) as refused:
        service.cancel(workspace, actor=user)
    assert refused.value.code == "invalid_transition"
    assert refused.value.details["allowed"] == ["restart", "restart_paid"]


def test_plan_change_never_rewrites_issued_invoices(make_workspace, make_user, user):
    admin = make_user("admin@example.ma", admin=True)
    ws = make_workspace("stable", kind="training_centre")
    _sub, invoice = service.subscribe(ws, "basic", actor=user)
    update_plan(get_plan("basic"), actor=admin, price_month=Decimal("299.00"), name_fr="Autre")
    db.session.expire_all()
    kept = get_invoice(invoice.number)
    assert kept.total == Decimal("238.80")
    assert kept.lines[0].unit_price == Decimal("199.00")
    assert "Basique" in kept.lines[0].label
    assert "plan.updated" in _actions()


def test_invoice_numbers_are_sequential_per_year_and_void_keeps_its_number(make_workspace, user):
    numbers = []
    for slug in ("a-one", "a-two", "a-three"):
        ws = make_workspace(slug, kind="training_centre")
        numbers.append(service.subscribe(ws, "basic", actor=user)[1].number)
    year = utcnow().year
    assert numbers == [f"{year}-{n:06d}" for n in (1, 2, 3)]
    with all_workspaces():
        ws = db.session.scalar(db.select(Invoice).where(Invoice.number == numbers[0])).workspace
    # changing plan during the trial voids the first invoice and issues the next number
    _sub, replaced = service.subscribe(ws, "basic", "year", actor=user)
    assert replaced.number == f"{year}-000004"
    assert get_invoice(numbers[0]).status == "void"


@pytest.mark.frozen_clock("2026-12-05T09:00:00Z")
def test_numbering_restarts_in_january_without_gap_or_duplicate(
    make_workspace, make_user, user, frozen_clock
):
    """Numbers follow the year of issue (deliberate: docs/billing.md), not the period billed."""
    admin = make_user("admin@example.ma", admin=True)
    early = make_workspace("early", kind="training_centre")
    first = service.subscribe(early, "basic", actor=user)[1]
    confirm_payment(first, "bank_transfer", "VIR-1", actor=admin)  # paid until 5 January
    frozen_clock.move_to(datetime(2026, 12, 20, 9, tzinfo=UTC))
    late = make_workspace("late", kind="training_centre")
    second = service.subscribe(late, "basic", actor=user)[1]
    confirm_payment(second, "bank_transfer", "VIR-2", actor=admin)  # paid until 20 January
    frozen_clock.move_to(datetime(2026, 12, 30, 9, tzinfo=UTC))
    assert jobs.renew_subscriptions() == 1  # the early one's January, issued in December
    frozen_clock.move_to(datetime(2027, 1, 10, 9, tzinfo=UTC))
    assert jobs.renew_subscriptions() == 1  # the late one's renewal, the first of 2027
    assert jobs.renew_subscriptions() == 0  # the next run finds nothing to issue twice
    db.session.expire_all()
    with all_workspaces():  # the platform's numbering spans every workspace
        numbers = {
            f"{invoice.workspace.slug} {invoice.period_start:%m-%d}": invoice.number
            for invoice in db.session.scalars(db.select(Invoice))
        }
    assert numbers == {
        "early 12-05": "2026-000001",
        "late 12-20": "2026-000002",
        "early 01-05": "2026-000003",
        "late 01-20": "2027-000001",
    }
    counters = dict(db.session.execute(db.select(InvoiceCounter.year, InvoiceCounter.last)).all())
    assert counters == {2026: 3, 2027: 1}


def test_a_paid_invoice_cannot_be_voided_and_its_share_stays_spent(workspace, user):
    _sub, invoice = service.subscribe(workspace, "basic", actor=user)  # paid by the programme
    with pytest.raises(BillingError) as refused:
        void_invoice(invoice, actor=user, reason="mistake")
    assert (refused.value.code, refused.value.status) == ("invalid_transition", 409)
    assert refused.value.details == {"allowed": [], "status": "paid"}
    assert "avoir" in refused.value.message  # French first: a credit note
    db.session.rollback()
    assert get_invoice(invoice.number).status == "paid"
    programme = db.session.scalar(
        db.select(SubsidyProgramme).where(SubsidyProgramme.code == "pme_etat")
    )
    assert programme.spent == invoice.sponsor_share == Decimal("238.80")
    assert "invoice.voided" not in _actions()


def test_a_budget_is_never_set_below_what_the_programme_spent(workspace, make_user, user):
    admin = make_user("admin@example.ma", admin=True)
    service.subscribe(workspace, "basic", actor=user)  # the programme pays 238.80
    programme = db.session.scalar(
        db.select(SubsidyProgramme).where(SubsidyProgramme.code == "pme_etat")
    )
    with pytest.raises(BillingError) as refused:
        update_programme(programme, actor=admin, budget=Decimal("200.00"), active=False)
    assert refused.value.details["fields"]["budget"]
    db.session.rollback()
    assert (programme.budget, programme.active) == (Decimal("1000000.00"), True)
    update_programme(programme, actor=admin, budget=Decimal("238.80"))  # exactly what it spent
    assert programme.budget == programme.spent == Decimal("238.80")
    assert _actions().count("subsidy.updated") == 1


def test_quotas_follow_the_plan(workspace, user):
    assert sdk.quota_remaining(workspace, "classified_ads_per_month") == 0
    with pytest.raises(sdk.QuotaExceeded):
        sdk.consume_quota(workspace, "classified_ads_per_month")
    service.subscribe(workspace, "basic", actor=user)
    assert sdk.quota_remaining(workspace, "classified_ads_per_month") == 5
    assert sdk.consume_quota(workspace, "classified_ads_per_month", 4) == 1
    db.session.commit()
    with pytest.raises(sdk.QuotaExceeded) as refused:
        sdk.consume_quota(workspace, "classified_ads_per_month", 2)
    assert refused.value.code == "quota_exceeded"
    assert refused.value.details == {
        "quota": "classified_ads_per_month",
        "limit": 5,
        "used": 4,
        "requested": 2,
    }
    next_month = utcnow() + timedelta(days=32)
    assert sdk.quota_remaining(workspace, "classified_ads_per_month", now=next_month) == 5


def test_addon_entitles_and_is_billed_on_the_next_invoice(make_workspace, user):
    ws = make_workspace("shop", kind="training_centre")
    service.subscribe(ws, "basic", actor=user)
    service.set_addon(ws, "marketplace", enabled=True, actor=user)
    assert sdk.quota_remaining(ws, "marketplace_listings_per_month") == 50
    _sub, invoice = service.subscribe(ws, "basic", "month", actor=user)  # re-issue in trial
    assert [line.label.split(" —")[0] for line in invoice.lines] == [
        "Basique",
        "Place de marché (option)",
    ]
    assert invoice.subtotal == Decimal("348.00")


def test_unknown_plan_and_addon_as_plan_are_refused(workspace, user):
    with pytest.raises(BillingError) as unknown:
        service.subscribe(workspace, "gold", actor=user)
    assert unknown.value.code == "unknown_plan"
    with pytest.raises(BillingError):
        service.subscribe(workspace, "marketplace", actor=user)
    assert db.session.scalar(db.select(db.func.count(Plan.id))) == 3
