"""The SDK's iCalendar helper: what it writes, read back with the icalendar library."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import g
from icalendar import Calendar

from ent_core import sdk

RAMADAN_SESSION = datetime(2026, 2, 16, 9, 0, tzinfo=UTC)  # 09:00 in Casablanca (UTC+0)
SPRING_SESSION = datetime(2026, 4, 6, 8, 0, tzinfo=UTC)  # 09:00 in Casablanca (UTC+1)


@pytest.fixture
def in_workspace_request(app, workspace) -> Iterator[Any]:
    """A request of workspace ``acme``'s public pages (own application context: own ``g``)."""
    with app.app_context(), app.test_request_context("/s/acme/x.ics"):
        g.ent_workspace = workspace
        yield workspace


def event(**changes: Any) -> sdk.CalendarEvent:
    values: dict[str, Any] = {
        "uid": "training-session-1.w1@localhost",
        "summary": "Journalisme de données, séance 1",
        "start": RAMADAN_SESSION,
        "end": RAMADAN_SESSION + timedelta(hours=2),
    }
    return sdk.CalendarEvent(**(values | changes))


def parsed(calendar: Calendar) -> Calendar:
    return Calendar.from_ical(calendar.to_ical())


def test_events_carry_the_workspace_zone_and_its_definition(in_workspace_request):
    feed = sdk.calendar_feed(
        [event(), event(uid="training-session-2.w1@localhost", start=SPRING_SESSION, end=None)],
        name="Sessions",
        url="http://localhost/s/acme/x.ics",
    )

    text = feed.to_ical().decode()
    assert "DTSTART;TZID=Africa/Casablanca:20260216T090000" in text
    assert "DTSTART;TZID=Africa/Casablanca:20260406T090000" in text
    back = parsed(feed)
    assert [tz.tz_name for tz in back.timezones] == ["Africa/Casablanca"]
    assert back.get_missing_tzids() == set()
    first, second = back.events
    assert first.start == RAMADAN_SESSION and second.start == SPRING_SESSION
    assert first.start.utcoffset() == timedelta(0) and second.start.utcoffset() == timedelta(
        hours=1
    )
    assert first.end - first.start == timedelta(hours=2) and "DTEND" not in second
    back.validate()


def test_the_calendar_names_itself_its_zone_and_how_often_to_ask(in_workspace_request):
    feed = parsed(
        sdk.calendar_feed(
            [event()], name="Sessions: Data", description="Acme", url="http://localhost/x.ics"
        )
    )

    assert feed["X-WR-CALNAME"] == "Sessions: Data" and feed["NAME"] == "Sessions: Data"
    assert feed["X-WR-TIMEZONE"] == "Africa/Casablanca"
    assert feed["X-WR-CALDESC"] == "Acme"
    assert feed.refresh_interval == timedelta(hours=1)
    assert feed["X-PUBLISHED-TTL"] == "PT1H"
    assert feed["METHOD"] == "PUBLISH" and feed["VERSION"] == "2.0"
    assert feed["SOURCE"] == "http://localhost/x.ics"


def test_utc_feeds_write_z_times_and_no_zone_definition(in_workspace_request):
    text = sdk.calendar_feed([event()], name="Sessions", zone=UTC).to_ical().decode()

    assert "DTSTART:20260216T090000Z" in text and "DTEND:20260216T110000Z" in text
    assert "BEGIN:VTIMEZONE" not in text and "X-WR-TIMEZONE:UTC" in text


def test_every_field_of_an_event_is_written(in_workspace_request):
    changed = datetime(2026, 2, 1, 10, 0, tzinfo=UTC)
    feed = sdk.calendar_feed(
        [
            event(
                description="Cohorte de printemps",
                location="Casablanca, salle 3",
                url="http://localhost/s/acme/training/courses/1",
                status="CANCELLED",
                organizer_email="formation@acme.ma",
                organizer_name="Acme Formation",
                sequence=3,
                last_modified=changed,
            )
        ],
        name="Sessions",
    )

    (got,) = parsed(feed).events
    assert got["SUMMARY"] == "Journalisme de données, séance 1"
    assert got["DESCRIPTION"] == "Cohorte de printemps"
    assert got["LOCATION"] == "Casablanca, salle 3"
    assert got["URL"] == "http://localhost/s/acme/training/courses/1"
    assert got["STATUS"] == "CANCELLED" and got["SEQUENCE"] == 3
    assert got["ORGANIZER"] == "mailto:formation@acme.ma"
    assert got["ORGANIZER"].params["CN"] == "Acme Formation"
    assert got["LAST-MODIFIED"].dt == changed and got["DTSTAMP"].dt.tzinfo is not None


def test_a_date_makes_an_all_day_event(in_workspace_request):
    feed = sdk.calendar_feed([event(start=date(2026, 3, 2), end=date(2026, 3, 7))], name="Cohortes")

    (got,) = parsed(feed).events
    assert got.start == date(2026, 3, 2) and "VALUE=DATE" in feed.to_ical().decode()


@pytest.mark.parametrize(
    "changes",
    [
        {"start": datetime(2026, 2, 16, 9, 0)},  # naive: whose 09:00?
        {"end": RAMADAN_SESSION - timedelta(minutes=1)},
        {"end": date(2026, 2, 16)},
        {"status": "POSTPONED"},
    ],
)
def test_an_event_that_cannot_be_written_right_is_refused(changes):
    with pytest.raises(ValueError):
        event(**changes)


def test_uids_are_stable_and_name_the_row_the_workspace_and_the_host(in_workspace_request):
    workspace = in_workspace_request
    uid = sdk.calendar_uid("training", "session", 12)

    assert uid == f"training-session-12.w{workspace.id}@localhost"
    assert sdk.calendar_uid("training", "session", 12, workspace) == uid


def test_the_response_is_text_calendar_with_a_validator_that_survives_the_stamp(
    in_workspace_request, frozen_clock
):
    first = sdk.calendar_response(sdk.calendar_feed([event()], name="S"), filename="s.ics")
    frozen_clock.shift(timedelta(minutes=5))
    again = sdk.calendar_response(sdk.calendar_feed([event()], name="S"), filename="s.ics")
    changed = sdk.calendar_response(
        sdk.calendar_feed([event(summary="Moved")], name="S"), filename="s.ics"
    )

    assert first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert first.headers["Content-Disposition"] == 'inline; filename="s.ics"'
    assert first.get_data() != again.get_data()  # DTSTAMP: the time of writing
    assert first.headers["ETag"] == again.headers["ETag"] != changed.headers["ETag"]
    assert "Last-Modified" not in first.headers  # the events do not say when they changed


def test_last_modified_comes_from_the_events_when_each_has_one(in_workspace_request):
    early, late = datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 1, 9, tzinfo=UTC)
    feed = sdk.calendar_feed(
        [event(last_modified=early), event(uid="b@localhost", last_modified=late)], name="S"
    )

    assert sdk.calendar_response(feed).last_modified == late
