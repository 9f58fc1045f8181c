"""Real concurrency: threads with their own app contexts and sessions race for one thing.

On PostgreSQL (``ENT_TEST_DATABASE_URL``) this exercises row locks and guarded updates; on
SQLite the writers are serialised by the database lock, which the code must survive too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ent_core import sdk
from ent_core.billing import jobs
from ent_core.billing import subscriptions as service
from ent_core.billing.models import Invoice, InvoiceCounter, Subscription
from ent_core.billing.payments import confirm_payment
from ent_core.db import db
from ent_core.testing import all_workspaces
from ent_core.workspaces.models import Workspace


def race(app: Any, count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released together; results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results[i] = work(i)
            except Exception as exc:
                db.session.rollback()
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _sequences() -> list[int]:
    db.session.expire_all()
    with all_workspaces():
        return list(db.session.scalars(db.select(Invoice.sequence).order_by(Invoice.sequence)))


def test_two_renewals_racing_produce_one_invoice_and_no_gap(
    app_ctx, make_workspace, make_user, user, monkeypatch
):
    admin = make_user("admin@example.ma", admin=True)
    ws = make_workspace("racer", kind="training_centre")
    subscription, invoice = service.subscribe(ws, "basic", actor=user)
    confirm_payment(invoice, "bank_transfer", "VIR-1", actor=admin)
    near_end = subscription.current_period_end - timedelta(days=1)
    sub_id = subscription.id
    db.session.commit()

    # Every thread passes the "already invoiced?" check before any commits, so the unique
    # period key and the rollback of the counter decide, as when two workers run at once.
    from ent_core.billing import invoices

    seen = threading.local()
    original = invoices.invoice_for_period

    def blind_first_look(subscription: Any, start: Any) -> Any:
        if not getattr(seen, "looked", False):
            seen.looked = True
            return None
        return original(subscription, start)

    monkeypatch.setattr(invoices, "invoice_for_period", blind_first_look)

    def renew(_i: int) -> bool:
        seen.looked = False
        with all_workspaces():
            found = db.session.get(Subscription, sub_id)
        return service.issue_renewal(found, now=near_end)[1] and (db.session.commit() or True)

    results = race(app_ctx, 4, renew)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results.count(True) == 1
    monkeypatch.undo()
    with all_workspaces():
        renewals = db.session.scalars(
            db.select(Invoice).where(Invoice.period_start == subscription.current_period_end)
        ).all()
    assert len(renewals) == 1
    assert _sequences() == [1, 2]
    # the next invoice takes the next number: the losers' bumps were rolled back
    other = make_workspace("after", kind="training_centre")
    assert service.subscribe(other, "basic", actor=user)[1].sequence == 3
    assert jobs.renew_subscriptions(now=near_end) == 0


def test_invoices_issued_concurrently_are_numbered_without_gaps(app_ctx, make_workspace, user):
    slugs = [f"shop-{i}" for i in range(6)]
    for slug in slugs:
        make_workspace(slug, kind="training_centre")
    db.session.commit()

    def subscribe(i: int) -> str:
        ws = db.session.scalar(db.select(Workspace).where(Workspace.slug == slugs[i]))
        return service.subscribe(ws, "basic", actor=None)[1].number

    results = race(app_ctx, len(slugs), subscribe)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == len(slugs)
    assert _sequences() == list(range(1, len(slugs) + 1))
    counter = db.session.scalar(db.select(InvoiceCounter.last))
    assert counter == len(slugs)


def test_quota_consumption_racing_never_oversells(app_ctx, workspace, user):
    service.subscribe(workspace, "basic", actor=user)  # 5 classified ads a month
    ws_id = workspace.id
    db.session.commit()

    def take(_i: int) -> bool:
        ws = db.session.get(Workspace, ws_id)
        try:
            sdk.consume_quota(ws, "classified_ads_per_month")
        except sdk.QuotaExceeded:
            db.session.rollback()
            return False
        db.session.commit()
        return True

    results = race(app_ctx, 8, take)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results.count(True) == 5
    assert sdk.quota_remaining(workspace, "classified_ads_per_month") == 0


def test_subsidy_budget_racing_is_never_overspent(app_ctx, make_workspace, user):
    from decimal import Decimal

    from ent_core.billing.models import SubsidyProgramme

    programme = db.session.scalar(
        db.select(SubsidyProgramme).where(SubsidyProgramme.code == "pme_etat")
    )
    programme.budget = Decimal("500.00")  # two full shares (2 x 238.80) and 22.40 more
    slugs = [f"media-{i}" for i in range(4)]
    for slug in slugs:
        make_workspace(slug, kind="media")
    db.session.commit()

    def subscribe(i: int) -> Decimal:
        ws = db.session.scalar(db.select(Workspace).where(Workspace.slug == slugs[i]))
        return service.subscribe(ws, "basic", actor=None)[1].sponsor_share

    results = race(app_ctx, len(slugs), subscribe)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results, Decimal("0")) == Decimal("500.00")
    assert sorted(results) == [
        Decimal("0.00"),
        Decimal("22.40"),
        Decimal("238.80"),
        Decimal("238.80"),
    ]
    db.session.expire_all()
    assert db.session.get(SubsidyProgramme, programme.id).spent == Decimal("500.00")
