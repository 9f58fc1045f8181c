"""Subscriptions: subscribing, changing plan, cancelling, entitlements, and period changes.

State changes go through :mod:`ent_core.billing.lifecycle`; every one is audited as
``subscription.<transition>``. Dates are explicit (``now=``) so jobs and tests control time.
Every change starts by locking the subscription row (:func:`lock_subscription`), so two
requests or jobs changing one subscription take turns and each acts on what the other left.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ent_core.audit import record
from ent_core.billing import lifecycle
from ent_core.billing.errors import BillingError
from ent_core.billing.invoices import invoice_for_period, issue_invoice, void_invoice
from ent_core.billing.models import Invoice, Plan, Subscription
from ent_core.billing.plans import get_plan
from ent_core.billing.settings import int_setting
from ent_core.db import db, utcnow

PERIOD_MONTHS = {"month": 1, "year": 12}


def setting(name: str) -> int:
    return int_setting(name)


def get_subscription(workspace: Any) -> Subscription | None:
    return db.session.scalar(
        db.select(Subscription)
        .where(Subscription.workspace_id == workspace.id)
        .execution_options(ent_all_workspaces=True)
    )


def lock_subscription(
    workspace: Any = None, *, subscription_id: int | None = None
) -> Subscription | None:
    """The subscription (of ``workspace``, or by id) read afresh and locked until the
    transaction ends: ``SELECT ... FOR UPDATE`` on PostgreSQL. SQLite has no row locks: an
    empty write first takes the database's write lock, so other writers wait there too."""
    table = Subscription.__table__
    where = (
        table.c.id == subscription_id
        if subscription_id is not None
        else table.c.workspace_id == workspace.id
    )
    if db.session.get_bind().dialect.name == "sqlite":
        same = {"id": table.c.id, "updated_at": table.c.updated_at}  # changes nothing
        db.session.execute(
            table.update().where(where).values(same),
            execution_options={"ent_all_workspaces": True},
        )
    subscription = db.session.scalar(
        db.select(Subscription)
        .where(where)
        .with_for_update()
        .execution_options(ent_all_workspaces=True, populate_existing=True)
    )
    if subscription is not None:  # what the plan relationships point at may have changed too
        db.session.expire(subscription, ["plan", "next_plan"])
    return subscription


def is_live(subscription: Subscription | None, now: datetime | None = None) -> bool:
    if subscription is None:
        return False
    return lifecycle.is_live(subscription.state, subscription.current_period_end, now or utcnow())


def live_plans(workspace: Any, now: datetime | None = None) -> list[Plan]:
    """The plan and add-ons that entitle ``workspace`` now (empty without a live one)."""
    subscription = get_subscription(workspace)
    if not is_live(subscription, now):
        return []
    assert subscription is not None
    plans = [subscription.plan]
    if subscription.addons:
        plans += list(db.session.scalars(db.select(Plan).where(Plan.code.in_(subscription.addons))))
    return plans


def entitled_features(workspace: Any, now: datetime | None = None) -> set[str]:
    return {feature for plan in live_plans(workspace, now) for feature in plan.plugins or []}


def entitled(workspace: Any, plugin_name: str, now: datetime | None = None) -> bool:
    """Whether ``workspace`` may use ``plugin_name``: free plugins need approval only."""
    plugin = current_app.extensions["ent"].get(plugin_name)
    if plugin is None or not workspace.approved:
        return False
    feature = plugin.meta.plan_feature
    return feature is None or feature in entitled_features(workspace, now)


def _transition(
    subscription: Subscription, name: str, *, actor: Any, details: dict[str, Any] | None = None
) -> None:
    try:
        new_state = lifecycle.apply(subscription.state, name)
    except lifecycle.InvalidTransition as exc:
        raise BillingError(
            "invalid_transition",
            _("This subscription cannot do that now."),
            status=409,
            details={"allowed": exc.allowed, "state": exc.state},
        ) from None
    previous = subscription.state
    subscription.state = new_state
    record(
        f"subscription.{name}",
        subject=f"subscription:{subscription.workspace.slug}",
        workspace=subscription.workspace,
        actor=actor,
        details={"from": previous, "to": new_state, "plan": subscription.plan.code}
        | (details or {}),
    )


def _period_end(start: datetime, period: str, quantity: int = 1) -> datetime:
    return start + relativedelta(months=PERIOD_MONTHS[period] * quantity)


def _check_period(period: str) -> None:
    if period not in PERIOD_MONTHS:
        raise BillingError(
            "validation_error",
            _("Choose a monthly or a yearly period."),
            details={"fields": {"period": [_("Use month or year.")]}},
        )


def _addon_plans(subscription: Subscription) -> list[Plan]:
    if not subscription.addons:
        return []
    return list(db.session.scalars(db.select(Plan).where(Plan.code.in_(subscription.addons))))


def _void_open(subscription: Subscription, *, actor: Any, reason: str) -> None:
    for invoice in db.session.scalars(
        db.select(Invoice)
        .where(Invoice.subscription_id == subscription.id, Invoice.status == "issued")
        .execution_options(ent_all_workspaces=True)
    ):
        try:
            void_invoice(invoice, actor=actor, reason=reason)
        except BillingError as exc:
            if exc.details.get("status") != "void":
                raise
            # an administrator voided it meanwhile: its share is back already


def _issue_pending(
    subscription: Subscription,
    start: datetime,
    *,
    actor: Any,
    now: datetime,
    quantity: int = 1,
    plan: Plan | None = None,
    period: str | None = None,
) -> Invoice:
    plan = plan or subscription.plan
    period = period or subscription.period
    invoice, _created = issue_invoice(
        subscription,
        plan=plan,
        period=period,
        quantity=quantity,
        period_start=start,
        period_end=_period_end(start, period, quantity),
        addons=_addon_plans(subscription),
        actor=actor,
        now=now,
    )
    return invoice


def _create(
    workspace: Any, plan: Plan, period: str, *, now: datetime, period_end: datetime, actor: Any
) -> Subscription:
    """The workspace's one subscription row, born trialing until its first period is paid."""
    subscription = Subscription(
        workspace_id=workspace.id,
        plan_id=plan.id,
        period=period,
        state="trialing",
        started_at=now,
        current_period_start=now,
        current_period_end=period_end,
        addons=[],
    )
    try:
        with db.session.begin_nested():
            db.session.add(subscription)
    except IntegrityError:  # another request created it first (one row per workspace)
        raise BillingError(
            "conflict",
            _("This subscription was changed by another request at the same time: try again."),
            status=409,
        ) from None
    record(
        "subscription.created",
        subject=f"subscription:{workspace.slug}",
        workspace=workspace,
        actor=actor,
        details={"plan": plan.code, "period": period},
    )
    return subscription


def subscribe(
    workspace: Any,
    plan_code: str,
    period: str = "month",
    *,
    actor: Any,
    now: datetime | None = None,
) -> tuple[Subscription, Invoice | None]:
    """Subscribe or change plan; returns the subscription and the invoice to pay, if any.

    A new (or expired) subscription starts a trial at once, with its first invoice; a paid
    subscription changes plan at the end of its period (the renewal invoice uses the new plan).
    """
    now = now or utcnow()
    _check_period(period)
    if not workspace.approved:
        raise BillingError(
            "workspace_not_approved",
            _("This workspace must be approved before it can subscribe."),
            status=403,
        )
    plan = get_plan(plan_code, for_sale=True)
    if plan.addon:
        raise BillingError(
            "validation_error",
            _("%(plan)s is an add-on: add it to a subscription instead.", plan=plan.name_fr),
            details={"fields": {"plan": [_("This plan is an add-on.")]}},
        )
    subscription = lock_subscription(workspace)
    invoice: Invoice | None = None
    if subscription is None or subscription.state == "expired":
        trial_end = now + timedelta(days=setting("ENT_BILLING_TRIAL_DAYS"))
        if subscription is None:
            subscription = _create(
                workspace, plan, period, now=now, period_end=trial_end, actor=actor
            )
        else:
            subscription.plan_id, subscription.period = plan.id, period
            db.session.flush()
            db.session.refresh(subscription, ["plan"])
            _transition(subscription, "restart", actor=actor)
            subscription.current_period_start, subscription.current_period_end = now, trial_end
            subscription.past_due_since = subscription.canceled_at = subscription.ended_at = None
        subscription.next_plan_id = subscription.next_period = None
        invoice = _issue_pending(subscription, now, actor=actor, now=now)
    elif subscription.state in ("trialing", "past_due"):
        start = (
            subscription.current_period_start
            if subscription.state == "trialing"
            else subscription.current_period_end
        )
        _void_open(subscription, actor=actor, reason="plan changed")
        subscription.plan_id, subscription.period = plan.id, period
        db.session.flush()
        db.session.refresh(subscription, ["plan"])
        record(
            "subscription.plan_changed",
            subject=f"subscription:{workspace.slug}",
            workspace=workspace,
            actor=actor,
            details={"plan": plan.code, "period": period},
        )
        invoice = _issue_pending(subscription, start, actor=actor, now=now)
    else:
        if subscription.state == "canceled":
            _transition(subscription, "resume", actor=actor)
            subscription.canceled_at = None
        if (plan.id, period) != (subscription.plan_id, subscription.period):
            subscription.next_plan_id, subscription.next_period = plan.id, period
            record(
                "subscription.plan_change_scheduled",
                subject=f"subscription:{workspace.slug}",
                workspace=workspace,
                actor=actor,
                details={
                    "plan": plan.code,
                    "period": period,
                    "at": str(subscription.current_period_end),
                },
            )
            renewal = invoice_for_period(subscription, subscription.current_period_end)
            if renewal is not None and renewal.status == "issued":
                void_invoice(renewal, actor=actor, reason="plan changed")
        else:
            subscription.next_plan_id = subscription.next_period = None
    if invoice is not None and invoice.status == "paid":
        _paid(subscription, invoice, actor=actor, now=now)
    db.session.commit()
    switch_off_unentitled(workspace, now=now)  # a trial's new plan applies at once
    if invoice is not None:
        from ent_core.billing import notices

        notices.invoice_issued(invoice)
    return subscription, invoice


def start_paid(
    workspace: Any,
    plan_code: str,
    *,
    months: int = 1,
    yearly: bool = False,
    reference: str,
    actor: Any = None,
    now: datetime | None = None,
) -> tuple[Subscription, Invoice]:
    """What an admin does once a bank transfer arrived: invoice the period and mark it paid.

    A live paid subscription is extended from the end of its current period.
    """
    from ent_core.billing.payments import confirm_payment

    now = now or utcnow()
    if months < 1:
        raise BillingError("validation_error", _("Give at least one month."))
    plan = get_plan(plan_code)
    period, quantity = ("year", 1) if yearly else ("month", months)
    subscription = lock_subscription(workspace)
    if subscription is None:
        subscription = _create(workspace, plan, period, now=now, period_end=now, actor=actor)
    _void_open(subscription, actor=actor, reason="replaced by a paid period")
    extend = subscription.state in ("active", "canceled") and is_live(subscription, now)
    start = subscription.current_period_end if extend else now
    if extend:  # the paid period continues; the new plan starts with the next one
        subscription.next_plan_id, subscription.next_period = plan.id, period
    else:
        subscription.plan_id, subscription.period = plan.id, period
        subscription.next_plan_id = subscription.next_period = None
    db.session.flush()
    db.session.refresh(subscription, ["plan", "next_plan"])
    invoice = _issue_pending(
        subscription, start, actor=actor, now=now, quantity=quantity, plan=plan, period=period
    )
    db.session.commit()
    if invoice.status == "issued":
        confirm_payment(invoice, "bank_transfer", reference, actor=actor, now=now)
    else:
        _paid(subscription, invoice, actor=actor, now=now)
        db.session.commit()
    switch_off_unentitled(workspace, now=now)
    return subscription, invoice


def _paid(subscription: Subscription, invoice: Invoice, *, actor: Any, now: datetime) -> None:
    """A period is paid for: (re)activate the subscription or let the rollover use it."""
    if subscription.state in ("trialing", "past_due", "expired"):
        name = "restart_paid" if subscription.state == "expired" else "pay"
        _transition(subscription, name, actor=actor, details={"invoice": invoice.number})
        plan = db.session.scalar(db.select(Plan).where(Plan.code == invoice.plan_code))
        if plan is not None:
            subscription.plan_id = plan.id
        subscription.period = invoice.period
        subscription.current_period_start = invoice.period_start
        subscription.current_period_end = invoice.period_end
        subscription.past_due_since = subscription.ended_at = None
    elif subscription.state == "canceled":
        _transition(subscription, "resume", actor=actor, details={"invoice": invoice.number})
        subscription.canceled_at = None
    if subscription.state == "active" and invoice.period_start <= now:
        roll_period(subscription, now=now)


def invoice_paid(invoice: Invoice, *, actor: Any, now: datetime | None = None) -> None:
    """Called by payment providers once an invoice is settled (the caller commits)."""
    if invoice.subscription_id is None:
        return
    subscription = lock_subscription(subscription_id=invoice.subscription_id)
    if subscription is not None:
        _paid(subscription, invoice, actor=actor, now=now or utcnow())


def cancel(workspace: Any, *, actor: Any, now: datetime | None = None) -> Subscription:
    """Cancel at period end: a paid period stays usable; an unpaid trial ends now."""
    now = now or utcnow()
    subscription = lock_subscription(workspace)
    if subscription is None:
        raise BillingError("not_found", _("This workspace has no subscription."), status=404)
    if subscription.state in ("trialing", "past_due"):
        _void_open(subscription, actor=actor, reason="canceled")
        _transition(subscription, "expire", actor=actor, details={"reason": "canceled"})
        subscription.ended_at = now
        db.session.commit()
        switch_off_unentitled(workspace, now=now)
        return subscription
    _transition(subscription, "cancel", actor=actor)
    subscription.canceled_at = now
    subscription.next_plan_id = subscription.next_period = None
    renewal = invoice_for_period(subscription, subscription.current_period_end)
    if renewal is not None and renewal.status == "issued":
        void_invoice(renewal, actor=actor, reason="canceled")
    db.session.commit()
    return subscription


def set_addon(
    workspace: Any, code: str, *, enabled: bool, actor: Any, now: datetime | None = None
) -> Subscription:
    """Add or remove an add-on; it entitles at once and is billed from the next invoice."""
    subscription = lock_subscription(workspace)
    if not is_live(subscription, now):
        raise BillingError(
            "not_entitled", _("Subscribe to a plan before adding an add-on."), status=403
        )
    assert subscription is not None
    plan = get_plan(code, for_sale=True)
    if not plan.addon:
        raise BillingError("validation_error", _("This plan is not an add-on."))
    addons = [c for c in subscription.addons or [] if c != code]
    if enabled:
        addons.append(code)
    subscription.addons = sorted(addons)
    record(
        "subscription.addon_added" if enabled else "subscription.addon_removed",
        subject=f"subscription:{workspace.slug}",
        workspace=workspace,
        actor=actor,
        details={"addon": code},
    )
    db.session.commit()
    if not enabled:
        switch_off_unentitled(workspace, now=now)
    return subscription


# -- time passing (called by the scheduled jobs) ---------------------------------------------


def issue_renewal(subscription: Subscription, *, now: datetime) -> tuple[Invoice, bool]:
    """The next period's invoice, with a scheduled plan change applied; at most one per period."""
    plan = subscription.next_plan or subscription.plan
    period = subscription.next_period or subscription.period
    start = subscription.current_period_end
    return issue_invoice(
        subscription,
        plan=plan,
        period=period,
        quantity=1,
        period_start=start,
        period_end=_period_end(start, period),
        addons=_addon_plans(subscription),
        actor=None,
        now=now,
    )


def roll_period(subscription: Subscription, *, now: datetime) -> None:
    """At period end: move on to the paid next period, or fall past due (the caller commits)."""
    while subscription.state == "active" and subscription.current_period_end <= now:
        invoice = invoice_for_period(subscription, subscription.current_period_end)
        if invoice is None or invoice.status != "paid":
            _transition(subscription, "lapse", actor=None)
            subscription.past_due_since = subscription.current_period_end
            return
        _transition(subscription, "renew", actor=None, details={"invoice": invoice.number})
        plan = db.session.scalar(db.select(Plan).where(Plan.code == invoice.plan_code))
        if plan is not None:
            subscription.plan_id = plan.id
        subscription.period = invoice.period
        subscription.current_period_start = invoice.period_start
        subscription.current_period_end = invoice.period_end
        subscription.next_plan_id = subscription.next_period = None
        db.session.flush()
        db.session.refresh(subscription, ["plan", "next_plan"])
    if subscription.state == "trialing" and subscription.current_period_end <= now:
        _transition(subscription, "lapse", actor=None)
        subscription.past_due_since = subscription.current_period_end


def expire(subscription: Subscription, *, now: datetime, reason: str) -> None:
    """End access: unpaid invoices are voided, gated modules switched off (data kept)."""
    _void_open(subscription, actor=None, reason=reason)
    _transition(subscription, "expire", actor=None, details={"reason": reason})
    subscription.ended_at = now
    db.session.commit()
    switch_off_unentitled(subscription.workspace, now=now)


def switch_off_unentitled(workspace: Any, *, now: datetime | None = None) -> list[str]:
    """Switch off every module the workspace is no longer entitled to, dependants first."""
    from ent_core.workspaces.service import WorkspaceError, disable_plugin

    registry = current_app.extensions["ent"]
    registry.forget(workspace)
    enabled = registry.enabled_for(workspace)
    lost = {name for name in enabled if not entitled(workspace, name, now)}
    # a module that requires a lost one cannot keep running either
    changed = True
    while changed:
        changed = False
        for plugin in registry.ordered():
            if (
                plugin.name in enabled
                and plugin.name not in lost
                and set(plugin.meta.requires) & lost
            ):
                lost.add(plugin.name)
                changed = True
    switched: list[str] = []
    pending = set(lost)
    while pending:
        progress = False
        for name in sorted(pending):
            try:
                disable_plugin(workspace, name, actor=None)
            except WorkspaceError:
                continue
            switched.append(name)
            pending.discard(name)
            progress = True
        if not progress:
            raise RuntimeError(f"cannot switch off {sorted(pending)} for {workspace.slug}")
    return switched


def subscription_item(subscription: Subscription | None, language: str = "fr") -> dict[str, Any]:
    """The API shape of a workspace's subscription (``state: none`` without one)."""
    if subscription is None:
        return {"state": "none", "plan": None, "entitled": False}
    now = utcnow()
    return {
        "state": subscription.state,
        "plan": subscription.plan.code,
        "plan_name": subscription.plan.name_for(language),
        "period": subscription.period,
        "addons": list(subscription.addons or []),
        "started_at": subscription.started_at,
        "current_period_start": subscription.current_period_start,
        "current_period_end": subscription.current_period_end,
        "cancel_at_period_end": subscription.state == "canceled",
        "past_due_since": subscription.past_due_since,
        "next_plan": subscription.next_plan.code if subscription.next_plan else None,
        "next_period": subscription.next_period,
        "entitled": is_live(subscription, now),
        "allowed_transitions": lifecycle.allowed(subscription.state),
    }
