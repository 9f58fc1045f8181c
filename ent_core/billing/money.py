"""Billing's amounts: ``Decimal`` only, rounded half up to the centime, never a float.

The rounding is :func:`ent_core.money.quantize`, the one ``sdk.Money`` uses; billing keeps bare
Decimals in its columns and sums, and these column types store them exactly.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Integer, Numeric
from sqlalchemy.types import TypeDecorator

from ent_core.money import DEFAULT_CURRENCY as CURRENCY
from ent_core.money import minor_unit, quantize

CENT = minor_unit(CURRENCY)
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")


def to_money(value: Any) -> Decimal:
    """A Decimal rounded to 0.01; refuses floats, whose binary value is not the amount meant."""
    return quantize(value, CURRENCY)


def vat_of(net: Decimal, rate: Decimal) -> Decimal:
    """VAT on a net amount, rounded once (per line)."""
    return to_money(net * rate)


def share_of(total: Decimal, percent: Decimal) -> Decimal:
    """``percent`` % of ``total``, rounded; the remainder goes to the other party, unrounded."""
    return to_money(total * percent / HUNDRED)


def split(total: Decimal, percent: Decimal) -> tuple[Decimal, Decimal]:
    """(sponsor, subscriber) shares of ``total``: they always add up to it exactly."""
    sponsor = min(share_of(total, percent), total)
    return sponsor, total - sponsor


class Money(TypeDecorator[Decimal]):
    """NUMERIC(14, 2) on PostgreSQL; whole centimes in an INTEGER on SQLite.

    SQLite has no decimal type and would round-trip amounts through floats; counting centimes
    keeps amounts (and guarded ``spent + :amount <= budget`` updates) exact there too.
    """

    impl = Numeric(14, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Integer())
        return dialect.type_descriptor(Numeric(14, 2, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        amount = to_money(value)
        if dialect.name == "sqlite":
            return int(amount * HUNDRED)
        return amount

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / HUNDRED).quantize(CENT)
        return to_money(value)


class Rate(TypeDecorator[Decimal]):
    """An exact ratio or percentage (VAT rate, sponsor share): NUMERIC, or text on SQLite."""

    impl = Numeric(7, 4)
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "sqlite":
            from sqlalchemy import String

            return dialect.type_descriptor(String(16))
        return dialect.type_descriptor(Numeric(7, 4, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("rates must not be floats: pass a Decimal or a string")
        rate = Decimal(value).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        return str(rate) if dialect.name == "sqlite" else rate

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(Decimal("0.0001"))
