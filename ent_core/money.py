"""Money: an exact amount in one currency, and how each language writes it (docs/sdk.md).

Amounts are ``Decimal`` quantized to the currency's minor unit (2 for MAD and EUR, 0 for JPY, 3
for TND, from Babel's CLDR data), rounded half up as invoices are; floats are refused, since
their binary value is not the amount meant. Mixing currencies is a ``TypeError``: the platform
never converts. In JSON money is ``{"amount": "1188.00", "currency": "MAD"}`` (a string, so no
client reads it as a float).

Formatting follows the page's language with Babel's ``format_currency``. Arabic is written with
the ``ar_MA`` locale, deliberately: CLDR's plain ``ar`` gives ``1,188.00 د.م.`` (English
separators), ``ar_MA`` gives ``1.188,00 د.م.``, the Moroccan way, with Latin digits like every
Moroccan invoice and bank statement (``ar_EG`` would switch to Arabic-Indic digits). Babel wraps
Arabic amounts in right-to-left marks; pages put them in ``<bdi>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from babel.numbers import format_currency, get_currency_precision

DEFAULT_CURRENCY = "MAD"
HUNDRED = Decimal(100)
#: The Babel locale money is written in, per page language (module docstring says why ``ar_MA``).
MONEY_LOCALES = {"ar": "ar_MA"}


@lru_cache(maxsize=64)
def minor_unit(currency: str) -> Decimal:
    """The smallest amount of ``currency``: ``Decimal("0.01")`` for MAD, ``Decimal(1)`` for JPY."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def quantize(value: Any, currency: str = DEFAULT_CURRENCY) -> Decimal:
    """``value`` as a Decimal rounded half up to the minor unit of ``currency``; no floats."""
    if isinstance(value, float):
        raise TypeError("money must not be a float: pass a Decimal, an int or a string")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def money_locale(language: Any = None) -> str:
    """The Babel locale amounts are written in for ``language`` (the page's when omitted)."""
    if language is None:
        from flask import has_app_context
        from flask_babel import get_locale

        language = (get_locale() if has_app_context() else None) or "fr"
    code = str(language)
    return MONEY_LOCALES.get(code, code)


def format_money(amount: Any, currency: str = DEFAULT_CURRENCY, language: Any = None) -> str:
    """``1 188,00 MAD`` (fr), ``MAD 1,188.00`` (en), ``1.188,00 د.م.`` (ar): the page's language."""
    return format_currency(quantize(amount, currency), currency, locale=money_locale(language))


@dataclass(frozen=True)
class Money:
    """An immutable amount of one currency: ``Money("1188", "MAD")``, ``Money.zero()``.

    ``+``/``-`` and comparisons need the same currency (``TypeError`` otherwise); ``*`` and
    ``/`` take a number and round half up; :meth:`allocate` splits without losing a centime.
    """

    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        currency = str(self.currency or "").upper()
        if len(currency) != 3 or not currency.isalpha():
            raise ValueError(f"not an ISO 4217 currency code: {self.currency!r}")
        object.__setattr__(self, "currency", currency)
        object.__setattr__(self, "amount", quantize(self.amount, currency))

    @classmethod
    def zero(cls, currency: str = DEFAULT_CURRENCY) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_json(cls, data: Any) -> Money:
        """Read ``{"amount": "1188.00", "currency": "MAD"}``; ``ValueError`` for anything else."""
        if isinstance(data, Money):
            return data
        if not isinstance(data, Mapping) or set(data) - {"amount", "currency"}:
            raise ValueError('money is {"amount": "1188.00", "currency": "MAD"}')
        amount = data.get("amount")
        if not isinstance(amount, (str, int)) or isinstance(amount, bool):
            raise ValueError('the amount of money is a decimal string, e.g. "1188.00"')
        given = quantize(amount, str(data.get("currency") or DEFAULT_CURRENCY).upper())
        if given != Decimal(str(amount).strip()):
            raise ValueError("the amount has more decimals than its currency")
        return cls(given, data.get("currency") or DEFAULT_CURRENCY)

    def to_json(self) -> dict[str, str]:
        return {"amount": str(self.amount), "currency": self.currency}

    def format(self, language: Any = None) -> str:
        """The amount as the reader's language writes it (see :func:`format_money`)."""
        return format_money(self.amount, self.currency, language)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    # -- arithmetic within one currency --------------------------------------------------

    def _same(self, other: Any) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise TypeError(f"cannot combine {self.currency} with {other.currency}")
        return other

    def __add__(self, other: Any) -> Money:
        return Money(self.amount + self._same(other).amount, self.currency)

    def __radd__(self, other: Any) -> Money:
        if other == 0 and not isinstance(other, Money):  # sum() starts from 0
            return self
        return self.__add__(other)

    def __sub__(self, other: Any) -> Money:
        return Money(self.amount - self._same(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: Any) -> Money:
        return Money(self.amount * _factor(factor), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Any) -> Money:
        return Money(self.amount / _factor(divisor), self.currency)

    def __bool__(self) -> bool:
        return bool(self.amount)

    def __lt__(self, other: Any) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Any) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Any) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Any) -> bool:
        return self.amount >= self._same(other).amount

    # -- shares ---------------------------------------------------------------------------

    def percent(self, percent: Any) -> Money:
        """``percent`` % of this amount, rounded half up (a sponsor's share, a commission)."""
        return Money(self.amount * _factor(percent) / HUNDRED, self.currency)

    def allocate(self, *ratios: Any) -> tuple[Money, ...]:
        """Split in proportion to ``ratios``; the parts add up to this amount exactly.

        Each part is rounded down to the minor unit, then the units left over go one each to
        the parts that lost most, earlier parts first on a tie: for two parts that is rounding
        the first half up and giving the rest to the second, as billing splits the sponsor's
        share.
        """
        weights = [_factor(r) for r in ratios]
        if not weights or any(w < 0 for w in weights) or sum(weights) <= 0:
            raise ValueError("allocate needs non-negative ratios not all zero")
        unit, total = minor_unit(self.currency), sum(weights)
        exact = [self.amount * w / total for w in weights]
        parts = [e.quantize(unit, rounding=ROUND_DOWN) for e in exact]
        left = int((self.amount - sum(parts)) / unit)
        step = unit if left >= 0 else -unit
        losers = sorted(range(len(parts)), key=lambda i: (-abs(exact[i] - parts[i]), i))
        for i in losers[: abs(left)]:
            parts[i] += step
        return tuple(Money(p, self.currency) for p in parts)

    # -- pydantic: an ``ApiModel`` field typed ``Money`` reads and writes the JSON form -------

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            cls.from_json,
            serialization=core_schema.plain_serializer_function_ser_schema(cls.to_json),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                "amount": {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "example": "1188.00"},
                "currency": {"type": "string", "minLength": 3, "maxLength": 3, "example": "MAD"},
            },
            "required": ["amount", "currency"],
        }


def _factor(value: Any) -> Decimal:
    if isinstance(value, (float, Money, bool)):
        raise TypeError(f"multiply or divide money by a Decimal or an int, not {value!r}")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def money_filter(value: Any, currency: str = DEFAULT_CURRENCY) -> str:
    """``{{ price|money }}`` for a ``Money``, ``{{ invoice.total|money(invoice.currency) }}``
    for a bare amount: written in the page's language; nothing for ``None``."""
    if value is None:
        return ""
    if isinstance(value, Money):
        return value.format()
    return format_money(value, currency)
