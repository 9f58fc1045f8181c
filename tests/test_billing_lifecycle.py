"""The subscription state machine, checked by a stateful property-based test (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ent_core.billing import lifecycle
from ent_core.billing.models import SUBSCRIPTION_STATES

# Trials, periods and invoice years follow the calendar: never the day the suite runs.
pytestmark = pytest.mark.frozen_clock

START = datetime(2026, 1, 1, tzinfo=UTC)


class Workspaces(RuleBasedStateMachine):
    """A few workspaces, each with at most one subscription, driven by random transitions.

    The model is a dict workspace -> (state, period_end); rules apply transitions as the
    service does (pay/renew extend the period, restart starts a trial) and let time pass.
    """

    def __init__(self) -> None:
        super().__init__()
        self.now = START
        self.subscriptions: dict[int, dict[str, object]] = {}
        self.was_expired: set[int] = set()

    @rule(workspace=st.integers(0, 3))
    def subscribe(self, workspace: int) -> None:
        if workspace in self.subscriptions:
            return  # the service reuses the row: never a second subscription
        self.subscriptions[workspace] = {
            "state": "trialing",
            "period_end": self.now + timedelta(days=14),
        }

    @precondition(lambda self: self.subscriptions)
    @rule(
        data=st.data(),
        transition=st.sampled_from(sorted(lifecycle.TRANSITIONS)),
    )
    def transition(self, data: st.DataObject, transition: str) -> None:
        workspace = data.draw(st.sampled_from(sorted(self.subscriptions)))
        sub = self.subscriptions[workspace]
        state = str(sub["state"])
        if transition not in lifecycle.allowed(state):
            with pytest.raises(lifecycle.InvalidTransition) as refused:
                lifecycle.apply(state, transition)
            assert refused.value.allowed == lifecycle.allowed(state)
            assert transition not in refused.value.allowed
            return
        new = lifecycle.apply(state, transition)
        if state == "expired":
            assert transition in ("restart", "restart_paid")
            self.was_expired.add(workspace)
        sub["state"] = new
        if transition in ("pay", "renew", "restart_paid"):
            sub["period_end"] = self.now + timedelta(days=30)
        elif transition == "restart":
            sub["period_end"] = self.now + timedelta(days=14)

    @rule(days=st.integers(0, 40))
    def time_passes(self, days: int) -> None:
        self.now += timedelta(days=days)

    @invariant()
    def states_are_known(self) -> None:
        for sub in self.subscriptions.values():
            assert sub["state"] in SUBSCRIPTION_STATES

    @invariant()
    def entitlement_follows_the_state(self) -> None:
        for sub in self.subscriptions.values():
            state, end = str(sub["state"]), sub["period_end"]
            live = lifecycle.is_live(state, end, self.now)  # type: ignore[arg-type]
            if state in ("trialing", "active", "past_due"):
                assert live
            elif state == "canceled":
                assert live == (self.now < end)  # type: ignore[operator]
            else:
                assert not live

    @invariant()
    def expired_is_terminal_unless_restarted(self) -> None:
        assert lifecycle.allowed("expired") == ["restart", "restart_paid"]
        for target in {lifecycle.TRANSITIONS[n][1] for n in lifecycle.allowed("expired")}:
            assert target in ("trialing", "active")

    @invariant()
    def one_subscription_per_workspace(self) -> None:
        assert len(self.subscriptions) == len(set(self.subscriptions))
        assert set(self.subscriptions) <= set(range(4))


Workspaces.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
TestSubscriptionStateMachine = Workspaces.TestCase


def test_refused_transition_names_the_allowed_ones():
    with pytest.raises(lifecycle.InvalidTransition) as refused:
        lifecycle.apply("expired", "pay")
    assert refused.value.allowed == ["restart", "restart_paid"]
    assert "restart" in str(refused.value)


def test_every_state_can_be_left_or_is_expired():
    for state in SUBSCRIPTION_STATES:
        assert lifecycle.allowed(state), state


# -- the same machine against the real service and database ---------------------------------


def test_subscription_service_state_machine(app_ctx, make_user):
    """Random owners' and admins' actions and time passing, on the real service.

    Invariants: one subscription per workspace; a module that needs a plan is on only while
    entitled (after the jobs ran); invoice numbers have no gap per year; shares add up; the
    programmes' spent amounts equal the sponsors' shares of the invoices that count.
    """
    from hypothesis.stateful import run_state_machine_as_test

    from ent_core.billing import jobs
    from ent_core.billing import subscriptions as service
    from ent_core.billing.errors import BillingError
    from ent_core.billing.models import Invoice, Subscription, SubsidyProgramme
    from ent_core.billing.payments import confirm_payment
    from ent_core.db import all_workspaces, db, utcnow
    from ent_core.workspaces.models import PluginActivation
    from ent_core.workspaces.service import WorkspaceError, create_workspace, enable_plugin

    owner = make_user("machine@example.ma")
    counter = iter(range(10_000))
    kinds = ("media", "training_centre", "association")

    class ServiceMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.now = utcnow()
            self.workspaces = [
                create_workspace(
                    slug=f"m{next(counter)}-{kind[:5].replace('_', '')}",
                    name="M",
                    kind=kind,
                    owner=owner,
                    status="approved",
                )
                for kind in kinds
            ]

        def _ws(self, i: int) -> object:
            return self.workspaces[i % len(self.workspaces)]

        @rule(i=st.integers(0, 2), plan=st.sampled_from(["basic", "association"]),
              period=st.sampled_from(["month", "year"]))  # fmt: skip
        def subscribe(self, i: int, plan: str, period: str) -> None:
            service.subscribe(self._ws(i), plan, period, actor=owner, now=self.now)

        @rule(i=st.integers(0, 2))
        def pay_open_invoice(self, i: int) -> None:
            open_invoice = db.session.scalar(
                db.select(Invoice)
                .where(Invoice.workspace_id == self._ws(i).id, Invoice.status == "issued")
                .order_by(Invoice.id.desc())
            )
            if open_invoice is not None:
                confirm_payment(open_invoice, "bank_transfer", "VIR", actor=None, now=self.now)

        @rule(i=st.integers(0, 2))
        def cancel(self, i: int) -> None:
            try:
                service.cancel(self._ws(i), actor=owner, now=self.now)
            except BillingError as exc:
                assert exc.code in ("invalid_transition", "not_found")

        @rule(i=st.integers(0, 2), months=st.integers(1, 3))
        def admin_records_a_transfer(self, i: int, months: int) -> None:
            service.start_paid(self._ws(i), "basic", months=months, reference="VIR",
                               now=self.now)  # fmt: skip

        @rule(i=st.integers(0, 2))
        def switch_module_on(self, i: int) -> None:
            ws = self._ws(i)
            try:
                enable_plugin(ws, "gated", actor=owner)
            except WorkspaceError as exc:
                assert exc.code == "not_entitled"
                assert not service.entitled(ws, "gated", now=utcnow())

        @rule(days=st.integers(1, 60))
        def time_passes(self, days: int) -> None:
            self.now += timedelta(days=days)
            for job in (jobs.renew_subscriptions, jobs.roll_periods, jobs.expire_subscriptions):
                job(now=self.now)
            for ws in self.workspaces:
                on = db.session.scalar(
                    db.select(PluginActivation.enabled).where(
                        PluginActivation.workspace_id == ws.id, PluginActivation.plugin == "gated"
                    )
                )
                if on:
                    assert service.entitled(ws, "gated", now=self.now)

        @invariant()
        def one_subscription_per_workspace(self) -> None:
            for ws in self.workspaces:
                count = db.session.scalar(
                    db.select(db.func.count(Subscription.id)).where(
                        Subscription.workspace_id == ws.id
                    )
                )
                assert count <= 1

        @invariant()
        def invoices_are_consistent(self) -> None:
            db.session.expire_all()
            invoices = db.session.scalars(db.select(Invoice)).all()
            by_year: dict[int, list[int]] = {}
            for invoice in invoices:
                by_year.setdefault(invoice.year, []).append(invoice.sequence)
                assert invoice.sponsor_share + invoice.subscriber_share == invoice.total
                assert invoice.subtotal + invoice.vat_total == invoice.total
            for sequences in by_year.values():
                assert sorted(sequences) == list(range(1, len(sequences) + 1))
            for programme in db.session.scalars(db.select(SubsidyProgramme)):
                granted = sum(
                    (i.sponsor_share for i in invoices
                     if i.programme_id == programme.id and i.status != "void"),
                    Decimal("0.00"),
                )  # fmt: skip
                assert programme.spent == granted

        @invariant()
        def states_match_the_lifecycle(self) -> None:
            for sub in db.session.scalars(db.select(Subscription)):
                assert sub.state in SUBSCRIPTION_STATES
                live = service.is_live(sub, self.now)
                assert live == lifecycle.is_live(sub.state, sub.current_period_end, self.now)

    # The machine plays the platform (jobs, admins) on three workspaces and checks invariants
    # that span them (invoice numbers): it works across workspaces.
    with all_workspaces():
        run_state_machine_as_test(
            ServiceMachine,
            settings=settings(
                max_examples=10,
                stateful_step_count=12,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
