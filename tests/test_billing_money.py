"""Money is Decimal end to end: shares add up, VAT rounds half up, floats are refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ent_core.billing.invoices import LineDraft
from ent_core.billing.models import SubsidyProgramme
from ent_core.billing.money import split, to_money, vat_of
from ent_core.db import db

amounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=2)
percents = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2)
rates = st.sampled_from(
    [Decimal("0"), Decimal("0.07"), Decimal("0.10"), Decimal("0.14"), Decimal("0.20")]
)


@given(total=amounts, percent=percents)
def test_sponsor_and_subscriber_shares_add_up_to_the_total(total, percent):
    sponsor, subscriber = split(total, percent)
    assert sponsor + subscriber == total
    assert sponsor >= 0 and subscriber >= 0
    assert sponsor == sponsor.quantize(Decimal("0.01"))


@given(unit=amounts, quantity=st.integers(1, 36), rate=rates)
def test_line_totals_are_exact_to_the_centime(unit, quantity, rate):
    line = LineDraft("x", quantity, unit, rate)
    assert line.total == line.net + line.vat
    assert line.vat == (line.net * rate).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert abs(line.vat - line.net * rate) <= Decimal("0.005")


def test_half_centimes_round_up():
    assert vat_of(Decimal("0.25"), Decimal("0.10")) == Decimal("0.03")  # 0.025 -> 0.03
    assert to_money("2.675") == Decimal("2.68")  # a float would give 2.67
    assert split(Decimal("0.05"), Decimal("50")) == (Decimal("0.03"), Decimal("0.02"))


def test_floats_are_refused():
    with pytest.raises(TypeError):
        to_money(0.1)


# Each example writes to the database: its time says how busy the machine is, not whether the
# amount survives, so Hypothesis's per-example deadline (200 ms) is off.
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30, deadline=None
)
@given(amount=amounts)
def test_amounts_survive_the_database_exactly(app_ctx, amount):
    programme = SubsidyProgramme(
        code="p",
        name="p",
        sponsor="s",
        share_percent=Decimal("33.33"),
        budget=amount,
        spent=Decimal("0"),
    )
    db.session.add(programme)
    db.session.flush()
    db.session.expire(programme)
    assert programme.budget == amount
    assert programme.share_percent == Decimal("33.33")
    db.session.rollback()
