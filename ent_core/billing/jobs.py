"""Scheduled jobs: renewals, reminders, lapsing into past due, expiry. Each is idempotent.

Every function works one subscription per transaction, locked and read afresh, so a second run
(or two workers at once) finds nothing left to do; renewal invoices are unique per period.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ent_core.billing import notices
from ent_core.billing.models import Invoice, Subscription
from ent_core.billing.subscriptions import (
    expire,
    issue_renewal,
    lock_subscription,
    roll_period,
    setting,
    switch_off_unentitled,
)
from ent_core.db import db, utcnow
from ent_core.jobs import Schedule


def _subscriptions(*where: object) -> list[int]:
    return list(
        db.session.scalars(
            db.select(Subscription.id)
            .where(*where)
            .order_by(Subscription.id)
            .execution_options(ent_all_workspaces=True)
        )
    )


def renew_subscriptions(now: datetime | None = None) -> int:
    """Issue next period's invoice ``ENT_BILLING_RENEWAL_NOTICE_DAYS`` before period end."""
    now = now or utcnow()
    horizon = now + timedelta(days=setting("ENT_BILLING_RENEWAL_NOTICE_DAYS"))
    issued = 0
    for sub_id in _subscriptions(
        Subscription.state == "active", Subscription.current_period_end <= horizon
    ):
        subscription = lock_subscription(subscription_id=sub_id)
        if subscription is None or subscription.state != "active":
            db.session.commit()  # changed meanwhile: nothing to do but release the lock
            continue
        invoice, created = issue_renewal(subscription, now=now)
        db.session.commit()
        if created:
            issued += 1
            notices.invoice_issued(invoice)
    return issued


def roll_periods(now: datetime | None = None) -> int:
    """At period end: start the paid next period, or mark the subscription past due."""
    now = now or utcnow()
    changed = 0
    for sub_id in _subscriptions(
        Subscription.state.in_(("active", "trialing")), Subscription.current_period_end <= now
    ):
        subscription = lock_subscription(subscription_id=sub_id)
        if subscription is None:
            db.session.commit()
            continue
        before = subscription.state
        roll_period(subscription, now=now)
        db.session.commit()
        switch_off_unentitled(subscription.workspace, now=now)  # a new plan may sell less
        changed += subscription.state != before or subscription.state == "active"
    return changed


def send_reminders(now: datetime | None = None) -> int:
    """Remind owners of unpaid invoices due within 3 days or overdue, at most once a week."""
    now = now or utcnow()
    sent = 0
    for invoice in list(
        db.session.scalars(
            db.select(Invoice)
            .where(
                Invoice.status == "issued",
                Invoice.subscriber_share > 0,
                Invoice.due_at <= now + timedelta(days=3),
                (Invoice.reminded_at.is_(None)) | (Invoice.reminded_at <= now - timedelta(days=7)),
            )
            .order_by(Invoice.id)
            .execution_options(ent_all_workspaces=True)
        )
    ):
        claimed = db.session.execute(
            Invoice.__table__.update()
            .where(
                Invoice.__table__.c.id == invoice.id,
                (Invoice.__table__.c.reminded_at.is_(None))
                | (Invoice.__table__.c.reminded_at <= now - timedelta(days=7)),
            )
            .values(reminded_at=now)
        ).rowcount
        db.session.commit()
        if claimed:
            notices.payment_reminder(invoice)
            sent += 1
    return sent


def expire_subscriptions(now: datetime | None = None) -> int:
    """End past-due subscriptions after the grace period and canceled ones at period end."""
    now = now or utcnow()
    grace = timedelta(days=setting("ENT_BILLING_GRACE_DAYS"))
    ended = 0
    for sub_id in _subscriptions(
        ((Subscription.state == "past_due") & (Subscription.past_due_since <= now - grace))
        | ((Subscription.state == "canceled") & (Subscription.current_period_end <= now))
    ):
        subscription = lock_subscription(subscription_id=sub_id)
        if subscription is None or subscription.state not in ("past_due", "canceled"):
            db.session.commit()
            continue
        reason = "unpaid" if subscription.state == "past_due" else "canceled"
        expire(subscription, now=now, reason=reason)
        notices.subscription_expired(subscription.workspace)
        ended += 1
    return ended


def schedules() -> list[Schedule]:
    hourly = timedelta(hours=1)
    return [
        Schedule("billing.renew", renew_subscriptions, hourly),
        Schedule("billing.roll_periods", roll_periods, hourly),
        Schedule("billing.reminders", send_reminders, hourly),
        Schedule("billing.expire", expire_subscriptions, hourly),
    ]
