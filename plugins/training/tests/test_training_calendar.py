"""A course's sessions as a public iCalendar feed, read back with the icalendar library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from icalendar import Calendar
from training_kit import BASE

from ent_core import sdk

EN = {"Accept-Language": "en"}


def _add_session(client: Any, cohort: int, title: str, starts_at: str) -> None:
    r = client.post(
        f"{BASE}/cohorts/{cohort}/sessions/new", data={"title": title, "starts_at": starts_at}
    )
    assert r.status_code == 302, r.data


def _feed_url(course: int) -> str:
    return f"/s/cime/training/courses/{course}/sessions.ics"


def test_the_feed_lists_the_sessions_at_the_workspace_time(built, signed_in_client, client, centre):
    _add_session(signed_in_client, built.cohort, "Day 2", "2026-09-08T08:00")
    _add_session(signed_in_client, built.cohort, "Day 1", "2026-09-01T08:00")

    r = client.get(_feed_url(built.course), headers=EN)

    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert r.headers["ETag"] and "public" in r.headers["Cache-Control"]
    text = r.get_data(as_text=True)
    assert "DTSTART;TZID=Africa/Casablanca:20260901T090000" in text  # 08:00 UTC, UTC+1
    feed = Calendar.from_ical(r.data)
    feed.validate()
    assert feed["X-WR-CALNAME"] == "Sessions: Fact-checking"
    assert feed["X-WR-TIMEZONE"] == "Africa/Casablanca"
    assert [tz.tz_name for tz in feed.timezones] == ["Africa/Casablanca"]
    day1, day2 = feed.events
    assert day1["SUMMARY"] == "Fact-checking — Day 1" and day2["SUMMARY"] == "Fact-checking — Day 2"
    assert day1.start == datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    assert day1["LOCATION"] == "Online" and day1["DESCRIPTION"] == "Autumn"
    assert day1["URL"] == f"http://localhost/s/cime/training/courses/{built.course}"
    assert day1["UID"].endswith(f".w{centre.id}@localhost") and day1["UID"] != day2["UID"]


def test_uids_stay_when_sessions_are_added_and_the_client_gets_a_304_until_then(
    built, signed_in_client, client
):
    _add_session(signed_in_client, built.cohort, "Day 1", "2026-09-01T08:00")
    first = client.get(_feed_url(built.course))
    etag = first.headers["ETag"]

    assert client.get(_feed_url(built.course), headers={"If-None-Match": etag}).status_code == 304

    _add_session(signed_in_client, built.cohort, "Day 0", "2026-08-25T08:00")
    second = client.get(_feed_url(built.course), headers={"If-None-Match": etag})
    assert second.status_code == 200
    uids = [e["UID"] for e in Calendar.from_ical(second.data).events]
    assert uids[1] == Calendar.from_ical(first.data).events[0]["UID"]


def test_an_in_person_cohort_gives_its_place(built, signed_in_client, client):
    r = signed_in_client.post(
        f"{BASE}/courses/{built.course}/cohorts/new",
        data={
            "name": "Spring",
            "starts_on": "2027-03-01",
            "ends_on": "2027-04-01",
            "capacity": "10",
            "mode": "in_person",
            "location": "Casablanca, salle 3",
        },
    )
    assert r.status_code == 302, r.data
    cohort = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    _add_session(signed_in_client, cohort, "Atelier", "2027-03-01T09:00")

    (event,) = Calendar.from_ical(client.get(_feed_url(built.course)).data).events
    assert event["LOCATION"] == "Casablanca, salle 3" and event["DESCRIPTION"] == "Spring"


def test_the_public_course_page_advertises_the_feed(built, client):
    page = client.get(f"/s/cime/training/courses/{built.course}", headers=EN).get_data(as_text=True)

    assert (
        f'type="text/calendar" title="Sessions: Fact-checking" href="{_feed_url(built.course)}"'
        in (page)
    )


def test_an_unknown_course_has_no_feed(built, client):
    assert client.get(_feed_url(built.course + 1000)).status_code == 404


def test_a_suspended_workspace_feed_is_gone(app, built, signed_in_client, client):
    _add_session(signed_in_client, built.cohort, "Day 1", "2026-09-01T08:00")

    result = app.test_cli_runner().invoke(
        args=["workspace", "suspend", "cime", "--reason", "Breach of the charter"]
    )

    assert result.exit_code == 0, result.output
    assert client.get(_feed_url(built.course)).status_code == 410
    assert client.get(f"/s/cime/training/courses/{built.course}").status_code == 404


def test_the_feed_follows_the_workspace_zone(built, signed_in_client, client, centre):
    _add_session(signed_in_client, built.cohort, "Day 1", "2026-09-01T08:00")
    centre.timezone = "Europe/Paris"
    sdk.db.session.commit()

    text = client.get(_feed_url(built.course)).get_data(as_text=True)

    assert "DTSTART;TZID=Europe/Paris:20260901T100000" in text
    assert "X-WR-TIMEZONE:Europe/Paris" in text and "TZID:Africa/Casablanca" not in text
    assert timedelta(hours=2) == Calendar.from_ical(text).events[0].start.utcoffset()
