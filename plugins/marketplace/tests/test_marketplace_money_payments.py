"""Paying an order: instructions and the buyer's declaration, the operator's confirmation
(pages and API, administrators only), mails, digital goods delivered at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ent_plugins.marketplace import payments, process
from ent_plugins.marketplace.tests.conftest import make_listing
from ent_plugins.marketplace.tests.money_kit import digital_listing, make_order, reload

from ent_core import sdk


@pytest.fixture
def order(seller: Any, user: Any) -> Any:
    """Two days of fact-checking: 3 000 HT, 600 VAT, 3 600 MAD TTC."""
    return make_order(seller, user, make_listing(seller), quantity=2)


def test_the_buyer_reads_the_amount_and_the_transfer_instructions(
    buyer_client: Any, order: Any
) -> None:
    page = buyer_client.get(f"/marketplace/orders/{order.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert order.total == Decimal("3600.00")
    assert ("3" in text and "600,00" in text) or "3,600.00" in text
    assert "Bank transfer" in text or "Virement" in text
    assert order.reference in text  # the transfer's label
    assert "I have made the transfer" in text or "virement" in text


def test_the_buyer_declares_the_transfer_then_the_operator_confirms(
    buyer_client: Any, operator_client: Any, order: Any, mail_outbox: Any, user: Any
) -> None:
    answer = buyer_client.post(
        f"/marketplace/orders/{order.id}/pay",
        data={"provider": "bank_transfer", "reference": "VIR-778"},
    )
    assert answer.status_code == 303
    order = reload(order)
    assert (order.status, order.payment_provider, order.payment_reference) == (
        "payment_pending",
        "bank_transfer",
        "VIR-778",
    )
    queue = operator_client.get("/admin/marketplace/payments").get_data(as_text=True)
    assert order.reference in queue and "VIR-778" in queue
    answer = operator_client.post(
        f"/admin/marketplace/payments/{order.id}/paid", data={"reference": "BMCE-1"}
    )
    assert answer.status_code == 303
    order = reload(order)
    assert (order.status, order.payment_reference) == ("paid", "BMCE-1")
    assert order.paid_at is not None
    assert user.email in {m["to"] for m in mail_outbox}
    assert "contact@factcheck-lab.ma" in {m["to"] for m in mail_outbox}


def test_another_person_cannot_pay_someone_elses_order(
    app_ctx: Any, order: Any, make_user: Any
) -> None:
    from ent_core.testing import sign_in

    other = sign_in(app_ctx.test_client(), make_user("autre@example.ma"))
    answer = other.post(f"/marketplace/orders/{order.id}/pay", data={"reference": "X"})
    assert answer.status_code == 404
    assert reload(order).status == "awaiting_payment"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"provider": "bank_transfer"}, "reference"),
        ({"provider": "nope", "reference": "1"}, "provider"),
    ],
)
def test_pay_validates_its_data(order: Any, data: dict[str, str], field: str) -> None:
    with sdk.all_workspaces(), pytest.raises(sdk.UserError) as refused:
        process.move(order, "pay", side="buyer", **data)
    assert (refused.value.status, refused.value.field) == (422, field)


def test_only_administrators_confirm_payments(
    seller_client: Any, seller: Any, order: Any, buyer_api: Any, operator_api: Any
) -> None:
    assert seller_client.get("/admin/marketplace/payments").status_code in (403, 404)
    answer = seller_client.post(
        f"/admin/marketplace/payments/{order.id}/paid", data={"reference": "X"}
    )
    assert answer.status_code in (403, 404)
    path = f"/api/v1/admin/marketplace/orders/{order.id}/payment"
    assert buyer_api.post(path, json={"reference": "VIR-1"}).status_code == 403
    assert reload(order).status == "awaiting_payment"
    answer = operator_api.post(path, json={"reference": "VIR-1"})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["status"] == "paid"
    again = operator_api.post(path, json={"reference": "VIR-1"})
    assert again.status_code == 409


def test_a_gateway_confirms_through_the_system_side(order: Any) -> None:
    with sdk.all_workspaces():
        payments.confirm_order_payment(order, "bank_transfer", "GW-9")
        sdk.db.session.commit()
    order = reload(order)
    assert (order.status, order.payment_reference) == ("paid", "GW-9")
    event = order.events[-1]
    assert (event.transition, event.side) == ("confirm_payment", "system")


def test_digital_goods_are_delivered_with_their_links_once_paid(
    seller: Any, user: Any, buyer_client: Any, operator: Any
) -> None:
    order = make_order(seller, user, digital_listing(seller))
    with sdk.all_workspaces():
        payments.mark_paid(order, "VIR-42", operator)
        sdk.db.session.commit()
    order = reload(order)
    assert order.status == "delivered" and order.delivered_at is not None
    page = buyer_client.get(f"/marketplace/orders/{order.id}").get_data(as_text=True)
    assert "/marketplace/downloads/" in page and "guide.pdf" in page


def test_operator_and_seller_sections_count_what_waits(seller: Any, user: Any, order: Any) -> None:
    from ent_plugins.marketplace import hooks_money

    with sdk.all_workspaces():
        sections = {endpoint: n for _label, endpoint, n in hooks_money.admin_sections()}
    assert sections["marketplace_admin.money_payments"] == 1
    assert sections["marketplace_admin.money_payouts_due"] == 0


def test_a_member_who_buys_for_the_workspace_may_pay_its_order(
    seller: Any, newsroom: Any, make_user: Any, buyer_client: Any
) -> None:
    """Bought for ``matin-tech`` by a colleague: its owner (``marketplace.buy``) pays it."""
    colleague = make_user("journaliste@matin-tech.ma")
    order = make_order(seller, colleague, make_listing(seller), buyer_workspace_id=newsroom.id)
    answer = buyer_client.post(
        f"/marketplace/orders/{order.id}/pay", data={"reference": "VIR-MT-1"}
    )
    assert answer.status_code == 303
    assert reload(order).status == "payment_pending"
