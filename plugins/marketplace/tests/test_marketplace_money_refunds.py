"""Refunds (full, partial, racing, after a payout: the commission is credited) and disputes."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from ent_plugins.marketplace import payouts, process, refunds
from ent_plugins.marketplace.models import Order, Refund
from ent_plugins.marketplace.tests.conftest import make_listing
from ent_plugins.marketplace.tests.money_kit import make_order, reload

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock


@pytest.fixture
def paid(seller: Any, user: Any) -> Any:
    """3 600 MAD TTC paid by bank transfer."""
    return make_order(
        seller,
        user,
        make_listing(seller),
        quantity=2,
        status="paid",
        payment_provider="bank_transfer",
        payment_reference="VIR-1",
        paid_at=sdk.utcnow(),
    )


def _refunds(order: Any) -> list[Refund]:
    with sdk.all_workspaces():
        return list(
            sdk.db.session.scalars(sdk.db.select(Refund).where(Refund.order_id == order.id))
        )


def test_a_full_refund_is_owed_then_marked_sent(
    operator_client: Any, paid: Any, mail_outbox: Any, user: Any
) -> None:
    answer = operator_client.post(
        f"/admin/marketplace/orders/{paid.id}/refund", data={"reason": "Never delivered"}
    )
    assert answer.status_code == 303
    order = reload(paid)
    assert (order.status, order.refunded) == ("refunded", Decimal("3600.00"))
    (refund,) = _refunds(order)
    assert (refund.amount, refund.status, refund.provider) == (
        Decimal("3600.00"),
        "owed",
        "bank_transfer",
    )
    assert user.email in {m["to"] for m in mail_outbox}
    page = operator_client.get("/admin/marketplace/payments").get_data(as_text=True)
    assert "Never delivered" in page
    operator_client.post(
        f"/admin/marketplace/refunds/{refund.id}/sent", data={"reference": "VIR-BACK-1"}
    )
    (refund,) = _refunds(order)
    assert (refund.status, refund.provider_reference) == ("sent", "VIR-BACK-1")


def test_a_partial_refund_then_the_rest_never_beyond_the_total(
    operator_client: Any, paid: Any
) -> None:
    path = f"/admin/marketplace/orders/{paid.id}/refund"
    operator_client.post(path, data={"amount": "1000", "reason": "One day missing"})
    order = reload(paid)
    assert (order.status, order.refunded) == ("refunded", Decimal("1000.00"))
    operator_client.post(path, data={"amount": "2600.01", "reason": "Too much"})
    assert reload(paid).refunded == Decimal("1000.00")
    operator_client.post(path, data={"amount": "2600", "reason": "The rest"})
    assert reload(paid).refunded == Decimal("3600.00")
    assert [r.amount for r in _refunds(paid)] == [Decimal("1000.00"), Decimal("2600.00")]


@pytest.mark.parametrize(
    ("data", "field"), [({"amount": "-1", "reason": "x"}, "amount"), ({"amount": "1"}, "reason")]
)
def test_refund_validates_its_data(
    paid: Any, operator: Any, data: dict[str, str], field: str
) -> None:
    with sdk.all_workspaces(), pytest.raises(sdk.UserError) as refused:
        process.move(paid, "refund", side="operator", actor=operator, **data)
    assert (refused.value.status, refused.value.field) == (422, field)


def test_two_refunds_racing_never_exceed_the_total(paid: Any, operator: Any) -> None:
    """The second request read the order before the first refunded it: the guard refuses."""
    with sdk.all_workspaces():
        stale = reload(paid)
        refunds.give_back(stale, Decimal("3000.00"), "first", operator)
        sdk.db.session.commit()
        sdk.db.session.expire_all()
        with pytest.raises(sdk.UserError) as refused:
            refunds.give_back(stale, Decimal("3000.00"), "second", operator)
        sdk.db.session.rollback()
    assert refused.value.code == "refund_exceeds_order"
    assert reload(paid).refunded == Decimal("3000.00")


def test_a_dispute_is_resolved_for_the_seller(operator_client: Any, seller: Any, user: Any) -> None:
    order = make_order(seller, user, make_listing(seller), status="disputed")
    page = operator_client.get("/admin/marketplace/disputes").get_data(as_text=True)
    assert order.reference in page and f"/marketplace/orders/{order.id}" in page
    operator_client.post(f"/admin/marketplace/disputes/{order.id}/resolve")
    order = reload(order)
    assert order.status == "completed" and order.completed_at is not None
    assert _refunds(order) == []


def test_a_refund_after_the_payout_credits_the_commission_invoice(
    operator_client: Any, seller: Any, user: Any, frozen_clock: Any, seller_api: Any
) -> None:
    order = make_order(
        seller,
        user,
        make_listing(seller),
        status="completed",
        completed_at=datetime(2026, 6, 10, tzinfo=UTC),
        payment_provider="bank_transfer",
    )
    frozen_clock.move_to(datetime(2026, 7, 1, 3, 0, tzinfo=UTC))
    with sdk.all_workspaces():
        (payout,) = payouts.close_period(*payouts.month_of(datetime(2026, 6, 1).date()))
        number = payout.invoice_number
    # 1 800 TTC, commission 150 HT + 30 VAT: refunding half credits 75 + 15.
    operator_client.post(
        f"/admin/marketplace/orders/{order.id}/refund", data={"amount": "900", "reason": "Late"}
    )
    (refund,) = _refunds(order)
    assert refund.credit_note_number is not None
    invoice = seller_api.get(f"/api/v1/workspaces/factcheck-lab/invoices/{number}").get_json()
    assert (invoice["credited"], invoice["credit_notes"]) == ("90.00", [refund.credit_note_number])
    assert reload(order).status == "completed"


def test_two_refunds_racing_in_threads_never_exceed_the_total(
    app_ctx: Any, paid: Any, operator: Any
) -> None:
    """Real concurrency: two operators refund 3 000 of 3 600 at once; one passes."""
    import threading

    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]
    order_id, operator_id = paid.id, operator.id  # never touch the test's session in threads

    def run(i: int) -> None:
        with app_ctx.app_context(), sdk.all_workspaces():
            try:
                order = sdk.db.session.get(Order, order_id)
                actor = sdk.db.session.get(type(operator), operator_id)
                barrier.wait(timeout=10)
                process.move(
                    order, "refund", side="operator", actor=actor, amount="3000", reason="r"
                )
                sdk.db.session.commit()
                results[i] = "ok"
            except Exception as exc:  # the loser: a refused step or a locked database
                sdk.db.session.rollback()
                results[i] = exc
            finally:
                sdk.db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results.count("ok") == 1, results
    assert reload(paid).refunded == Decimal("3000.00")
    assert len(_refunds(paid)) == 1


class _Gateway:
    """A card gateway that refunds (what a provider plugin would register)."""

    name = "card"
    label = "Card"
    can_refund = True
    refunded: list[Any] = []

    def instructions(self, payable: Any) -> str:
        return f"Pay {payable.number} by card"

    def confirm(self, payable: Any, reference: str, actor: Any) -> None:
        pass

    def refund(self, payable: Any, amount: Any, reason: str, actor: Any) -> Any:
        self.refunded.append((payable.number, amount))
        return sdk.RefundResult(f"RF-{len(self.refunded)}")


def test_a_provider_that_refunds_is_asked_to(
    operator_client: Any, seller: Any, user: Any, monkeypatch: Any
) -> None:
    gateway = _Gateway()
    found = {**sdk.payment_providers(), "card": gateway}
    monkeypatch.setattr(sdk, "payment_providers", lambda: found)
    order = make_order(
        seller, user, make_listing(seller), status="delivered", payment_provider="card"
    )
    operator_client.post(
        f"/admin/marketplace/orders/{order.id}/refund", data={"amount": "100", "reason": "Late"}
    )
    (refund,) = _refunds(order)
    assert (refund.status, refund.provider, refund.provider_reference) == ("sent", "card", "RF-1")
    assert gateway.refunded == [(order.reference, sdk.Money("100"))]


def test_a_refund_after_the_payout_is_taken_back_from_the_next_payout(
    operator_client: Any, seller: Any, seller_client: Any, user: Any, frozen_clock: Any
) -> None:
    """June's order was paid out in July and half refunded in July: the seller had received
    810.00 of those 900.00 (900 less the commission 75 and its VAT 15, credited back), taken
    from the payout of July's orders, once."""
    listing = make_listing(seller)
    june = make_order(
        seller, user, listing, status="completed", completed_at=datetime(2026, 6, 10, tzinfo=UTC)
    )
    frozen_clock.move_to(datetime(2026, 7, 1, 3, 0, tzinfo=UTC))
    with sdk.all_workspaces():
        (first,) = payouts.close_period(*payouts.month_of(datetime(2026, 6, 1).date()))
        assert first.taken_back == Decimal("0.00")
    operator_client.post(
        f"/admin/marketplace/orders/{june.id}/refund", data={"amount": "900", "reason": "Late"}
    )
    (refund,) = _refunds(june)
    assert refund.clawback == Decimal("810.00")
    page = seller_client.get("/w/factcheck-lab/marketplace/payouts").get_data(as_text=True)
    assert "810,00" in page  # owed back, announced before the next payout
    make_order(
        seller, user, listing, status="completed", completed_at=datetime(2026, 7, 20, tzinfo=UTC)
    )
    frozen_clock.move_to(datetime(2026, 8, 1, 3, 0, tzinfo=UTC))
    with sdk.all_workspaces():
        (july,) = payouts.close_period(*payouts.month_of(datetime(2026, 7, 1).date()))
        # 1 800 TTC less commission 150 and its VAT 30, less the 810 taken back
        assert (july.gross, july.taken_back, july.net) == (
            Decimal("1800.00"),
            Decimal("810.00"),
            Decimal("810.00"),
        )
        assert payouts.close_period(*payouts.month_of(datetime(2026, 7, 1).date())) == []
    assert _refunds(june)[0].taken_back_in_id == july.id
