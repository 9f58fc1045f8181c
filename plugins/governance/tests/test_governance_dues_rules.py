"""The dues rule on plain values: grace period, lapse, the year a member joined."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from ent_plugins.governance.dues import LAPSED, LATE, UP_TO_DATE, Rules, member_status

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
