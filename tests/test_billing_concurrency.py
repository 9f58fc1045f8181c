"""Real concurrency: threads with their own app contexts and sessions race for one thing.

On PostgreSQL (``ENT_TEST_DATABASE_URL``) this exercises row locks and guarded updates; on
SQLite the writers are serialised by the database lock, which the code must survive too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from ent_core import sdk
from ent_core.billing import jobs
from ent_core.billing import subscriptions as service
from ent_core.billing.credit_notes import issue_credit_note
from ent_core.billing.errors import BillingError
from ent_core.billing.invoices import get_invoice, void_invoice
from ent_core.billing.models import (
    CreditNote,
    Invoice,
    InvoiceCounter,
    Subscription,
    SubsidyProgramme,
)
from ent_core.billing.payments import confirm_payment
from ent_core.db import db
from ent_core.testing import ApiClient, all_workspaces, skip_or_fail
from ent_core.workspaces.models import Workspace

# Trials, periods and invoice years follow the calendar: never the day the suite runs.
pytestmark = pytest.mark.frozen_clock


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
        thread.join(timeout=120)
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


# -- money under concurrency (issue 13): 50 requests at once, on PostgreSQL --------------------


@pytest.fixture
def postgres(app_ctx: Any) -> None:
    """Row locks and guarded updates are PostgreSQL's; SQLite runs one writer at a time."""
    if db.engine.dialect.name != "postgresql":
        skip_or_fail("needs PostgreSQL: set ENT_TEST_DATABASE_URL")


def _programme(code: str) -> SubsidyProgramme:
    db.session.expire_all()
    return db.session.scalar(db.select(SubsidyProgramme).where(SubsidyProgramme.code == code))


def _assert_books_balance(programme: SubsidyProgramme) -> None:
    """What a programme spent is its live (not void) shares less what credit notes gave back,
    within its budget."""
    with all_workspaces():  # a programme pays for many workspaces
        live = db.session.scalars(
            db.select(Invoice.sponsor_share).where(
                Invoice.programme_id == programme.id, Invoice.status != "void"
            )
        ).all()
        credited = db.session.scalars(
            db.select(CreditNote.sponsor_share).where(CreditNote.programme_id == programme.id)
        ).all()
    assert programme.spent == sum(live, Decimal("0.00")) - sum(credited, Decimal("0.00"))
    assert Decimal("0.00") <= programme.spent <= programme.budget


def _put_subscription(app: Any, token: str, slug: str, plans: Callable[[int], dict]) -> list:
    """Each thread sends ``PUT .../subscription`` through a test client of its own."""

    def change(i: int) -> tuple[int, str | None]:
        response = ApiClient(app.test_client(), token).put(
            f"/api/v1/workspaces/{slug}/subscription", json=plans(i)
        )
        return response.status_code, (response.json.get("error") or {}).get("code")

    return race(app, 50, change)


@pytest.mark.postgres
def test_fifty_plan_changes_on_a_subsidised_trial_keep_the_books(
    postgres, app_ctx, make_workspace, make_api_client, user
):
    programme = _programme("associations")  # 50 %: the trial stays unpaid, so changes re-invoice
    programme.budget = Decimal("400.00")  # a year's share (594.00) is only partly covered
    ws = make_workspace("assoc", kind="association")
    service.subscribe(ws, "association", "month", actor=user)
    token = make_api_client(user).token

    results = _put_subscription(
        app_ctx,
        token,
        "assoc",
        lambda i: {"plan": "association", "period": ("month", "year")[i % 2]},
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert {status for status, _code in results} <= {200, 409}, results
    assert all(code == "conflict" for status, code in results if status == 409), results
    programme = _programme("associations")
    _assert_books_balance(programme)
    with all_workspaces():  # one workspace here: the platform's view of it
        [live] = db.session.scalars(db.select(Invoice).where(Invoice.status != "void")).all()
        subscription = db.session.scalar(db.select(Subscription))
    assert (subscription.state, subscription.period) == ("trialing", live.period)
    assert programme.spent == live.sponsor_share
    assert _sequences() == list(range(1, len(_sequences()) + 1))  # numbered without gaps
    # the next subscriber gets what is left of the budget, never more
    other = make_workspace("assoc-2", kind="association")
    share = service.subscribe(other, "association", "year", actor=user)[1].sponsor_share
    assert share == Decimal("400.00") - live.sponsor_share
    _assert_books_balance(_programme("associations"))


@pytest.mark.postgres
def test_fifty_first_subscriptions_at_once_answer_200_or_409(
    postgres, app_ctx, make_workspace, make_api_client, user
):
    make_workspace("assoc", kind="association")
    token = make_api_client(user).token

    results = _put_subscription(
        app_ctx, token, "assoc", lambda i: {"plan": "association", "period": "year"}
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert {status for status, _code in results} <= {200, 409}, results
    assert all(code == "conflict" for status, code in results if status == 409), results
    with all_workspaces():
        assert db.session.scalar(db.select(db.func.count(Subscription.id))) == 1
        live = db.select(db.func.count(Invoice.id)).where(Invoice.status != "void")
        assert db.session.scalar(live) == 1
    _assert_books_balance(_programme("associations"))


def test_a_subscription_created_meanwhile_answers_409_not_500(
    app_ctx, make_workspace, api_client, user, monkeypatch
):
    # What the loser of two first subscriptions sees on PostgreSQL: no row to lock when it
    # looked, and the winner's row in the unique index when it inserts.
    ws = make_workspace("assoc", kind="association")
    service.subscribe(ws, "association", actor=user)
    monkeypatch.setattr(service, "lock_subscription", lambda *args, **kwargs: None)
    response = api_client.put("/api/v1/workspaces/assoc/subscription", json={"plan": "association"})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "conflict"
    with all_workspaces():
        assert db.session.scalar(db.select(db.func.count(Subscription.id))) == 1


def _issued_with_a_share(make_workspace: Any, user: Any) -> tuple[str, Decimal]:
    ws = make_workspace("assoc", kind="association")
    invoice = service.subscribe(ws, "association", "year", actor=user)[1]
    assert invoice.status == "issued" and invoice.sponsor_share == Decimal("594.00")
    return invoice.number, _programme("associations").spent


def test_concurrent_voids_of_one_invoice_give_the_share_back_once(
    app_ctx, make_workspace, make_user, user
):
    admin_id = make_user("admin@example.ma", admin=True).id
    number, spent = _issued_with_a_share(make_workspace, user)

    def void(_i: int) -> str:
        from ent_core.identity.models import User

        void_invoice(get_invoice(number), actor=db.session.get(User, admin_id), reason="race")
        db.session.commit()
        return "voided"

    results = race(app_ctx, 8, void)
    assert results.count("voided") == 1, results
    refusals = [r for r in results if r != "voided"]
    assert all(isinstance(r, BillingError) and r.code == "invalid_transition" for r in refusals)
    assert _programme("associations").spent == spent - Decimal("594.00") == Decimal("0.00")
    _assert_books_balance(_programme("associations"))


def test_a_void_and_a_payment_racing_leave_one_of_them_done(
    app_ctx, make_workspace, make_user, user
):
    admin_id = make_user("admin@example.ma", admin=True).id
    number, spent = _issued_with_a_share(make_workspace, user)

    def settle(i: int) -> str:
        from ent_core.identity.models import User

        admin = db.session.get(User, admin_id)
        if i % 2:
            confirm_payment(get_invoice(number), "bank_transfer", f"VIR-{i}", actor=admin)
            return "paid"
        void_invoice(get_invoice(number), actor=admin, reason="race")
        db.session.commit()
        return "void"

    results = race(app_ctx, 8, settle)
    done = [r for r in results if isinstance(r, str)]
    assert len(done) == 1, results
    assert get_invoice(number).status == done[0]
    expected = spent if done[0] == "paid" else spent - Decimal("594.00")
    assert _programme("associations").spent == expected
    _assert_books_balance(_programme("associations"))


def test_concurrent_credit_notes_never_exceed_the_invoice(app_ctx, make_workspace, make_user, user):
    """Eight credit notes of 400.00 on a paid 1 188.00 invoice: two fit, six are refused."""
    admin_id = make_user("admin@example.ma", admin=True).id
    number, spent = _issued_with_a_share(make_workspace, user)
    confirm_payment(get_invoice(number), "bank_transfer", "VIR-1", actor=None)
    db.session.commit()

    def credit(_i: int) -> str:
        from ent_core.identity.models import User

        with all_workspaces():
            note = issue_credit_note(
                get_invoice(number),
                Decimal("400.00"),
                "race",
                actor=db.session.get(User, admin_id),
            )
            db.session.commit()
            return note.number

    results = race(app_ctx, 8, credit)
    issued = sorted(r for r in results if isinstance(r, str))
    assert issued == ["AV-2026-000001", "AV-2026-000002"], results
    refusals = [r for r in results if not isinstance(r, str)]
    assert all(isinstance(r, BillingError) and r.code == "credit_exceeds_invoice" for r in refusals)
    db.session.expire_all()
    assert get_invoice(number).credited == Decimal("800.00")
    assert _programme("associations").spent == spent - Decimal("400.00") == Decimal("194.00")
    _assert_books_balance(_programme("associations"))
