"""Amounts of orders: Decimal only, rounded half up to the centime, VAT per line.

A line's net is ``unit_price * quantity``; its VAT ``net * vat_rate`` rounded; its total the
sum. An order's amounts are the sums of its lines'; the commission is the order's net times
the category's rate, rounded (HT: the platform invoices its VAT to the seller on top).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal):
        raise TypeError(f"money is Decimal, not {type(value).__name__}")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    vat: Decimal
    total: Decimal


def line_amounts(unit_price: Decimal, quantity: int, vat_rate: Decimal) -> LineAmounts:
    if quantity < 1:
        raise ValueError("a line has a quantity of at least 1")
    net = cents(unit_price * quantity)
    vat = cents(net * vat_rate)
    return LineAmounts(net, vat, net + vat)


def order_amounts(lines: list[LineAmounts]) -> LineAmounts:
    net = sum((line.net for line in lines), Decimal("0.00"))
    vat = sum((line.vat for line in lines), Decimal("0.00"))
    return LineAmounts(net, vat, net + vat)


def commission(net: Decimal, rate: Decimal) -> Decimal:
    return cents(net * rate)


def price_with_vat(price: Decimal, vat_rate: Decimal) -> Decimal:
    """What a buyer pays for one unit (shown beside the HT price)."""
    return line_amounts(price, 1, vat_rate).total
