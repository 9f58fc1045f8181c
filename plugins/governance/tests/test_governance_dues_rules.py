"""The dues rule on plain values: grace period, lapse, the year a member joined."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from ent_plugins.governance.dues import LAPSED, LATE, UP_TO_DATE, Rules, member_status
from hypothesis import given, settings
from hypothesis import strategies as st

RATE = Decimal("100")
RULES = Rules(grace_days=90, lapse_years=2)


def status(day: date, paid: dict[int, Decimal], joined: date = date(2020, 1, 1), **kw) -> str:
    owed = {year: RATE for year in range(2020, 2028)}
    return member_status(
        day=day, joined_on=joined, pays_dues=kw.get("pays", True), owed=owed, paid=paid, rules=RULES
    )


@pytest.mark.parametrize(
    ("day", "paid", "expected"),
    [
        (date(2026, 6, 1), {2026: RATE}, UP_TO_DATE),
        (date(2026, 3, 1), {2025: RATE}, UP_TO_DATE),  # within the grace period
        (date(2026, 4, 1), {2025: RATE}, LATE),  # the grace period is over
        (date(2026, 6, 1), {2025: RATE, 2026: Decimal("50")}, LATE),  # half paid: unpaid
        (date(2026, 6, 1), {2024: RATE}, LAPSED),  # 2025 and 2026 unpaid
        (date(2026, 6, 1), {2024: RATE, 2026: RATE}, UP_TO_DATE),  # the latest year counts
    ],
)
def test_status_from_dues(day: date, paid: dict[int, Decimal], expected: str) -> None:
    assert status(day, paid) == expected


def test_a_new_member_gets_the_grace_period_from_the_day_they_join() -> None:
    assert status(date(2026, 9, 1), {}, joined=date(2026, 7, 1)) == UP_TO_DATE
    assert status(date(2026, 10, 1), {}, joined=date(2026, 7, 1)) == LATE


def test_members_who_pay_no_dues_are_up_to_date() -> None:
    assert status(date(2026, 6, 1), {}, pays=False) == UP_TO_DATE


def test_a_year_without_a_rate_owes_nothing() -> None:
    result = member_status(
        day=date(2026, 6, 1),
        joined_on=date(2020, 1, 1),
        pays_dues=True,
        owed={},
        paid={},
        rules=RULES,
    )
    assert result == UP_TO_DATE


def _by_every_year(day: date, joined: date, owed: dict, paid: dict, rules: Rules) -> str:
    """The rule as the statutes read: every year from this one back to the joining year."""
    unpaid = 0
    for year in range(day.year, joined.year - 1, -1):
        rate = owed.get(year)
        if not rate or day < max(date(year, 1, 1), joined) + timedelta(days=rules.grace_days):
            continue
        if paid.get(year, Decimal(0)) >= rate:
            break
        unpaid += 1
        if unpaid >= rules.lapse_years:
            return LAPSED
    return LATE if unpaid else UP_TO_DATE


amounts = st.sampled_from([Decimal(0), Decimal(50), Decimal(100), Decimal(200)])
years = st.integers(min_value=2015, max_value=2027)


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=date(2016, 1, 1), max_value=date(2027, 12, 31)),
    joined=st.dates(min_value=date(2010, 1, 1), max_value=date(2027, 12, 31)),
    owed=st.dictionaries(years, amounts, max_size=6),
    paid=st.dictionaries(years, amounts, max_size=6),
    grace=st.integers(min_value=0, max_value=365),
    lapse=st.integers(min_value=1, max_value=4),
)
def test_the_rule_counts_back_over_rated_years_as_over_every_year(
    day: date, joined: date, owed: dict, paid: dict, grace: int, lapse: int
) -> None:
    rules = Rules(grace_days=grace, lapse_years=lapse)
    found = member_status(
        day=day, joined_on=joined, pays_dues=True, owed=owed, paid=paid, rules=rules
    )
    assert found == _by_every_year(day, joined, owed, paid, rules)
