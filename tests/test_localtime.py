"""The SDK's time helpers across Morocco's Ramadan clock changes, on a frozen clock.

In 2026 Morocco leaves UTC+1 for UTC+0 on 15 February at 03:00 (clocks go back to 02:00)
and returns on 22 March at 02:00 (clocks go forward to 03:00); zoneinfo carries those dates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ent_core import sdk
from ent_core.db import db
from ent_core.testing import all_workspaces

BEFORE_RAMADAN = datetime(2026, 2, 14, 12, 0, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def casablanca(workspace):
    assert workspace.timezone == "Africa/Casablanca"
    return workspace


@pytest.mark.frozen_clock(BEFORE_RAMADAN, tick=False)
def test_the_same_wall_time_is_another_utc_hour_once_ramadan_starts(casablanca, frozen_clock):
    typed = datetime(2026, 2, 14, 9, 0)  # what a DateTimeLocalField gives: naive

    assert sdk.to_utc(typed, casablanca) == utc(2026, 2, 14, 8, 0)  # UTC+1
    assert sdk.to_utc(typed + timedelta(days=2), casablanca) == utc(2026, 2, 16, 9, 0)  # UTC+0
    assert sdk.to_utc(datetime(2026, 3, 23, 9, 0), casablanca) == utc(2026, 3, 23, 8, 0)


@pytest.mark.frozen_clock(utc(2026, 2, 15, 1, 30), tick=False)
def test_the_local_clock_goes_back_an_hour_at_the_switch(casablanca, frozen_clock):
    before = sdk.to_local(sdk.utcnow(), casablanca)
    assert (before.hour, before.minute, before.utcoffset()) == (2, 30, timedelta(hours=1))

    frozen_clock.move_to(utc(2026, 2, 15, 2, 30))  # an hour later on the world's clock

    after = sdk.to_local(sdk.utcnow(), casablanca)
    assert (after.hour, after.minute, after.utcoffset()) == (2, 30, timedelta(0))


def test_a_wall_time_shown_twice_is_the_first_and_a_skipped_one_counts_before_the_change(
    casablanca,
):
    # 02:30 on 15 February happens twice (UTC+1 then UTC+0): the first is taken.
    assert sdk.to_utc(datetime(2026, 2, 15, 2, 30), casablanca) == utc(2026, 2, 15, 1, 30)
    # 02:30 on 22 March never happens (02:00 jumps to 03:00): UTC+0 still applies.
    assert sdk.to_utc(datetime(2026, 3, 22, 2, 30), casablanca) == utc(2026, 3, 22, 2, 30)


def test_an_aware_time_is_only_converted_and_a_naive_stored_one_counts_as_utc(casablanca):
    ten_there = datetime(2026, 6, 15, 10, 0, tzinfo=sdk.workspace_zone(casablanca))
    assert sdk.to_utc(ten_there, casablanca) == utc(2026, 6, 15, 9, 0)
    assert sdk.to_local(datetime(2026, 6, 15, 9, 0), casablanca).hour == 10


@pytest.mark.frozen_clock(utc(2026, 6, 15, 23, 30), tick=False)
def test_today_is_the_workspace_s_date_not_utc_s(casablanca, make_workspace, frozen_clock):
    assert sdk.local_today(casablanca) == date(2026, 6, 16)  # 00:30 in Casablanca
    tokyo = make_workspace("tokyo")
    with all_workspaces():
        tokyo.timezone = "America/Los_Angeles"
        db.session.commit()
    assert sdk.local_today(tokyo) == date(2026, 6, 15)


@pytest.mark.frozen_clock(utc(2026, 2, 16, 23, 30), tick=False)
def test_the_day_starts_at_local_midnight_on_both_sides_of_the_switch(casablanca, frozen_clock):
    assert sdk.start_of_day(workspace=casablanca) == utc(2026, 2, 16, 0, 0)  # UTC+0 now
    assert sdk.start_of_day(date(2026, 2, 14), casablanca) == utc(2026, 2, 13, 23, 0)
    assert sdk.start_of_day(date(2026, 3, 23), casablanca) == utc(2026, 3, 22, 23, 0)


def test_without_a_workspace_the_helpers_refuse_to_guess(app_ctx):
    with pytest.raises(RuntimeError, match="needs a workspace"):
        sdk.to_utc(datetime(2026, 6, 15, 9, 0))


@pytest.mark.parametrize(
    ("lang", "size", "expected"),
    [
        ("fr", "medium", "15 févr. 2026, 09:00"),
        ("fr", "full", "dimanche 15 février 2026, 09:00"),
        ("en", "medium", "Feb 15, 2026, 9:00\u202fAM"),
        ("ar", "long", "15 فبراير 2026، 9:00 ص"),
    ],
)
def test_formatting_follows_the_page_language_and_the_zone_without_seconds(
    app, casablanca, lang, size, expected
):
    moment = utc(2026, 2, 15, 9, 0)  # Ramadan: UTC+0, 09:00 in Casablanca too
    with app.app_context(), app.test_request_context(f"/?lang={lang}"):
        assert sdk.format_datetime(moment, size, casablanca) == expected


def test_formatting_before_the_switch_shows_the_summer_hour(app, casablanca):
    with app.app_context(), app.test_request_context("/?lang=fr"):
        assert sdk.format_datetime(utc(2026, 2, 14, 9, 0), "short", casablanca) == (
            "14/02/2026 10:00"
        )
        assert sdk.format_date(utc(2026, 2, 14, 23, 30), "long", casablanca) == "15 février 2026"
        assert sdk.format_date(date(2026, 2, 14), "long") == "14 février 2026"


def test_a_size_babel_does_not_know_is_refused(app, casablanca):
    with app.app_context(), app.test_request_context("/"), pytest.raises(ValueError):
        sdk.format_datetime(utc(2026, 2, 14, 9, 0), "tiny", casablanca)
