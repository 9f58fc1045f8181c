"""Meetings in calendars, read back by two parsers (``icalendar`` and ``vobject``): the
meeting's ``.ics``, the members' feed and the public feed of the general assemblies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import icalendar
import pytest
import vobject

pytestmark = pytest.mark.frozen_clock()

API = "/api/v1/workspaces/souss/governance"
PAGES = "/w/souss/governance"


def make(api: Any, body: Any, kind: str = "board", convene: bool = True, **extra: Any) -> dict:
    meeting = api.post(
        f"{API}/meetings",
        json={
            "body_id": body.id,
            "kind": kind,
            "title": f"Réunion {kind}",
            "starts_at": "2026-07-15T18:00:00",
            "online_url": "https://meet.example.ma/conseil",
            "notice_days": 0,
            **extra,
        },
    ).get_json()
    api.post(f"{API}/meetings/{meeting['id']}/agenda", json={"title": "Budget"})
    if convene:
        api.post(f"{API}/meetings/{meeting['id']}/transitions", json={"transition": "convene"})
    return meeting


def events(data: bytes) -> list[Any]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


@pytest.fixture
def board_meeting(api_client: Any, board: Any) -> dict:
    return make(api_client, board)


def test_the_meeting_ics_is_read_by_icalendar(signed_in_client: Any, board_meeting: Any) -> None:
    r = signed_in_client.get(f"{PAGES}/meetings/{board_meeting['id']}.ics")
    [event] = events(r.data)
    assert event.decoded("dtstart") == datetime(2026, 7, 15, 17, 0, tzinfo=UTC)


def test_the_meeting_ics_carries_the_workspace_zone(
    signed_in_client: Any, board_meeting: Any
) -> None:
    r = signed_in_client.get(f"{PAGES}/meetings/{board_meeting['id']}.ics")
    [event] = events(r.data)
    assert event["dtstart"].params["TZID"] == "Africa/Casablanca"


def test_the_meeting_ics_is_read_by_vobject(signed_in_client: Any, board_meeting: Any) -> None:
    r = signed_in_client.get(f"{PAGES}/meetings/{board_meeting['id']}.ics")
    calendar = vobject.readOne(r.data.decode())
    event = calendar.vevent
    assert (event.summary.value, event.dtstart.value.astimezone(UTC)) == (
        "Réunion board",
        datetime(2026, 7, 15, 17, 0, tzinfo=UTC),
    )


def test_a_change_bumps_the_sequence(
    signed_in_client: Any, api_client: Any, board_meeting: Any
) -> None:
    url = f"{PAGES}/meetings/{board_meeting['id']}.ics"
    before = int(events(signed_in_client.get(url).data)[0]["sequence"])
    api_client.patch(f"{API}/meetings/{board_meeting['id']}", json={"location": "Tiznit"})
    after = events(signed_in_client.get(url).data)[0]
    assert (int(after["sequence"]), str(after["location"])) == (before + 1, "Tiznit")


def test_a_cancelled_meeting_stays_with_its_status(
    signed_in_client: Any, api_client: Any, board_meeting: Any
) -> None:
    api_client.post(
        f"{API}/meetings/{board_meeting['id']}/transitions", json={"transition": "cancel"}
    )
    feed = signed_in_client.get(f"{PAGES}/meetings.ics")
    calendar = vobject.readOne(feed.data.decode())
    assert calendar.vevent.status.value == "CANCELLED"


def test_drafts_stay_out_of_the_feed(signed_in_client: Any, api_client: Any, board: Any) -> None:
    make(api_client, board, convene=False)
    assert events(signed_in_client.get(f"{PAGES}/meetings.ics").data) == []


def test_the_public_feed_lists_general_assemblies_only(
    client: Any, api_client: Any, board: Any, assembly_body: Any
) -> None:
    make(api_client, board)
    make(api_client, assembly_body, kind="ordinary")
    listed = events(client.get("/s/souss/governance/meetings.ics").data)
    assert [str(e["summary"]) for e in listed] == ["Réunion ordinary"]


def test_the_public_feed_hides_the_online_link(client: Any, api_client: Any, board: Any) -> None:
    make(api_client, board)
    body = client.get("/s/souss/governance/meetings.ics").data
    assert b"meet.example.ma" not in body


def test_the_members_feed_needs_a_member(client: Any, board_meeting: Any) -> None:
    r = client.get(f"{PAGES}/meetings.ics")
    assert r.status_code in (302, 303, 401, 404)


def private_link(page_client: Any) -> str:
    from urllib.parse import urlsplit

    page = page_client.get(f"{PAGES}/meetings/").get_data(as_text=True)
    return urlsplit(page.split('id="private-feed"')[1].split('value="')[1].split('"')[0]).path


def test_a_member_private_link_serves_every_meeting(
    brahim_client: Any, client: Any, board_meeting: Any
) -> None:
    r = client.get(private_link(brahim_client))
    assert [str(e["summary"]) for e in events(r.data)] == ["Réunion board"]


def test_a_tampered_private_link_is_404(
    brahim_client: Any, client: Any, board_meeting: Any
) -> None:
    link = private_link(brahim_client)
    assert client.get(link.replace("/meetings.ics", "x/meetings.ics")).status_code == 404


def test_the_private_link_stops_when_the_member_leaves(
    brahim_client: Any,
    client: Any,
    signed_in_client: Any,
    association: Any,
    brahim_user: Any,
    board_meeting: Any,
) -> None:
    link = private_link(brahim_client)
    membership = next(m for m in association.memberships if m.user_id == brahim_user.id)
    signed_in_client.post(f"/w/souss/members/{membership.id}/remove", data={})
    assert client.get(link).status_code == 404
