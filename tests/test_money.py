"""sdk.Money: exact arithmetic in one currency, half-up rounding, JSON, and each language's
way of writing amounts (Babel), on pages too."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ent_core import sdk
from ent_core.billing.money import split
from ent_core.testing import sign_in

Money = sdk.Money
amounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=2)


def test_amounts_are_quantized_half_up_to_the_currencys_minor_unit():
    assert Money("2.675").amount == Decimal("2.68")  # a float would give 2.67
    assert Money(1188) == Money("1188.00", "MAD")
    assert Money("1.5", "JPY").amount == Decimal("2")  # no minor unit
    assert Money("1.2345", "TND").amount == Decimal("1.235")  # millimes
    assert Money("10", "eur").currency == "EUR"


def test_floats_and_unknown_currencies_are_refused():
    with pytest.raises(TypeError):
        Money(0.1)
    with pytest.raises(TypeError):
        Money("1") * 1.5
    with pytest.raises(ValueError):
        Money("1", "DIRHAM")
    with pytest.raises(ValueError):
        Money("lots")


def test_arithmetic_and_comparison_within_one_currency():
    price = Money("199.00")
    assert price + Money("0.99") == Money("199.99")
    assert price - Money("200") == Money("-1.00")
    assert price * 12 == Money("2388.00") and 3 * price == Money("597.00")
    assert Money("10") / 3 == Money("3.33") and Money("0.05") / 2 == Money("0.03")
    assert sum([Money("1.10"), Money("2.20")]) == Money("3.30")
    assert Money("1") < Money("1.01") <= Money("1.01") and max(Money("2"), Money("3")).amount == 3
    assert not Money.zero() and bool(Money("0.01"))


def test_mixing_currencies_is_a_type_error():
    mad, eur = Money("10"), Money("10", "EUR")
    with pytest.raises(TypeError):
        mad + eur
    with pytest.raises(TypeError):
        assert mad < eur
    with pytest.raises(TypeError):
        mad + Decimal("1")
    assert mad != eur  # equal amounts, different money


def test_percent_rounds_half_up():
    assert Money("1188.00").percent(50) == Money("594.00")
    assert Money("0.25").percent(10) == Money("0.03")  # 0.025 -> 0.03


@given(total=amounts, ratios=st.lists(st.integers(0, 1000), min_size=1, max_size=8))
def test_allocation_never_loses_or_makes_a_centime(total, ratios):
    if not any(ratios):
        ratios = [*ratios[:-1], 1]
    parts = Money(total).allocate(*ratios)
    assert sum(parts) == Money(total)
    assert all(part.amount >= 0 for part in parts)
    exact = [total * r / sum(ratios) for r in ratios]
    assert all(abs(p.amount - e) < Decimal("0.01") for p, e in zip(parts, exact, strict=True))


@given(total=amounts, percent=st.decimals(min_value=0, max_value=100, places=2))
def test_a_two_way_allocation_splits_like_billing_splits_a_sponsors_share(total, percent):
    sponsor, subscriber = split(total, percent)
    assert Money(total).allocate(percent, 100 - percent) == (Money(sponsor), Money(subscriber))


def test_json_form_round_trips_and_refuses_what_is_not_money():
    assert Money("1188").to_json() == {"amount": "1188.00", "currency": "MAD"}
    assert Money.from_json({"amount": "1188.00", "currency": "MAD"}) == Money("1188")
    assert Money.from_json({"amount": "5"}) == Money("5")  # MAD by default
    for bad in (
        {"amount": 11.5, "currency": "MAD"},  # a float
        {"amount": "1.005", "currency": "MAD"},  # more decimals than the dirham has
        {"amount": "1", "currency": "MAD", "rate": "2"},
        "1188.00",
    ):
        with pytest.raises(ValueError):
            Money.from_json(bad)


def test_an_api_model_field_reads_and_writes_the_json_form():
    class Price(sdk.ApiModel):
        price: Money

    read = Price.model_validate({"price": {"amount": "99.50", "currency": "EUR"}})
    assert read.price == Money("99.50", "EUR")
    assert read.model_dump(mode="json") == {"price": {"amount": "99.50", "currency": "EUR"}}
    with pytest.raises(ValueError):
        Price.model_validate({"price": {"amount": 99.5}})
    schema = Price.model_json_schema()["properties"]["price"]
    assert schema["required"] == ["amount", "currency"]


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("fr", "1\u202f188,00\u00a0MAD"),
        ("en", "MAD1,188.00"),
        # ar_MA on purpose (ent_core/money.py): Moroccan separators, Latin digits, RTL marks
        ("ar", "\u200f1.188,00\u00a0د.م.\u200f"),
    ],
)
def test_each_language_writes_amounts_its_way(language, written):
    assert Money("1188").format(language) == written


def test_the_pages_language_decides_how_amounts_are_written(app_ctx, make_workspace, user, client):
    from ent_core.billing import subscriptions as service

    ws = make_workspace("atlas", kind="training_centre")
    _sub, invoice = service.subscribe(ws, "basic", "year", actor=user)  # 2 388,00 MAD
    sign_in(client, user)
    url = f"/w/atlas/billing/invoices/{invoice.number}"
    assert "2\u202f388,00\u00a0MAD" in client.get(f"{url}?lang=fr").get_data(as_text=True)
    assert "MAD2,388.00" in client.get(f"{url}?lang=en").get_data(as_text=True)
    assert "2.388,00\u00a0د.م." in client.get(f"{url}?lang=ar").get_data(as_text=True)


def test_the_money_filter_takes_money_or_an_amount_and_its_currency(app_ctx):
    from flask import render_template_string

    html = render_template_string(
        "{{ price|money }} / {{ amount|money('EUR') }} / {{ none|money }}.",
        price=Money("5"),
        amount=Decimal("7"),
        none=None,
    )
    assert html == "5,00\u00a0MAD / 7,00\u00a0€ / ."
