"""Properties of the money's arithmetic (hypothesis): Decimal half up to the centime, lines
that add up, payouts whose commission + VAT + net is the gross, refunds within totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from ent_plugins.marketplace import payouts, pricing
from hypothesis import given
from hypothesis import strategies as st

prices = st.decimals(min_value="0.01", max_value="99999.99", places=2)
rates = st.sampled_from(
    [Decimal("0"), Decimal("0.07"), Decimal("0.10"), Decimal("0.14"), Decimal("0.20")]
)
commission_rates = st.decimals(min_value="0", max_value="0.3000", places=4)
quantities = st.integers(min_value=1, max_value=500)


@given(prices, quantities, rates)
def test_a_line_is_net_plus_vat_in_centimes(price: Decimal, quantity: int, rate: Decimal) -> None:
    line = pricing.line_amounts(price, quantity, rate)
    assert line.total == line.net + line.vat
    assert line.net == price * quantity
    assert abs(line.vat - line.net * rate) <= Decimal("0.005")
    assert line.vat.as_tuple().exponent == -2


@given(st.lists(st.tuples(prices, quantities, rates), min_size=1, max_size=8))
def test_an_order_is_the_sum_of_its_lines(rows: list[tuple[Decimal, int, Decimal]]) -> None:
    lines = [pricing.line_amounts(*row) for row in rows]
    order = pricing.order_amounts(lines)
    assert order.net == sum(line.net for line in lines)
    assert order.total == sum(line.total for line in lines) == order.net + order.vat


def test_half_up_and_no_floats() -> None:
    assert pricing.cents(Decimal("0.125")) == Decimal("0.13")
    assert pricing.cents(Decimal("0.135")) == Decimal("0.14")
    with pytest.raises(TypeError):
        pricing.cents(0.1)  # type: ignore[arg-type]


@dataclass
class _Order:
    total: Decimal
    commission: Decimal
    refunded: Decimal
    currency: str = "MAD"


@st.composite
def closed_orders(draw: st.DrawFn) -> _Order:
    line = pricing.line_amounts(draw(prices), draw(quantities), draw(rates))
    commission = pricing.commission(line.net, draw(commission_rates))
    refunded = draw(st.decimals(min_value="0", max_value=line.total, places=2))
    return _Order(line.total, commission, refunded)


@given(st.lists(closed_orders(), min_size=1, max_size=12), rates)
def test_a_payout_adds_up_to_the_centime(orders: list[_Order], vat: Decimal) -> None:
    figures = payouts.amounts(orders, vat)  # type: ignore[arg-type]
    assert figures["commission"] + figures["commission_vat"] + figures["net"] == figures["gross"]
    assert figures["gross"] == sum(o.total - o.refunded for o in orders)
    assert 0 <= figures["commission"] <= sum(o.commission for o in orders)
    for value in figures.values():
        assert value == pricing.cents(value)


@given(closed_orders())
def test_a_refund_never_raises_what_the_seller_gets(order: _Order) -> None:
    gross, commission = payouts.order_share(order)  # type: ignore[arg-type]
    assert 0 <= gross <= order.total
    assert 0 <= commission <= order.commission
    if order.refunded == order.total:
        assert (gross, commission) == (Decimal("0"), Decimal("0"))
