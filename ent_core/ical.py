"""iCalendar (RFC 5545) events and feeds, written by the ``icalendar`` library.

A plugin describes what happens (:class:`CalendarEvent`), :func:`calendar_feed` makes the
``VCALENDAR`` (times in the workspace's zone with their ``VTIMEZONE``, from ``zoneinfo``, so a
calendar client shows a Casablanca session at the right hour across Ramadan's clock change),
and :func:`calendar_response` serves it with the headers calendar clients poll with. The view
carries ``sdk.public_feed`` so that a suspended workspace's feeds answer 410 Gone.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import Response, request

from ent_core.db import utcnow
from ent_core.links import base_url
from ent_core.localtime import workspace_zone
from ent_core.tenancy import current_workspace

if TYPE_CHECKING:  # imported where used: some 2 MB a worker that never serves a calendar keeps
    from icalendar import Calendar, Event

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Smart Medias ENT//ent_core//FR"
STATUSES = ("TENTATIVE", "CONFIRMED", "CANCELLED")
#: Calendar clients ask again this often (REFRESH-INTERVAL, X-PUBLISHED-TTL).
REFRESH = timedelta(hours=1)
#: The zone definition covers the events with this much to spare on each side.
_ZONE_MARGIN = timedelta(days=366)
#: DTSTAMP is the time the feed was written (RFC 5545, with METHOD): not part of the ETag.
_STAMP_LINE = re.compile(rb"^DTSTAMP[:;][^\r\n]*\r\n", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One event of a feed. Times are aware (``sdk.to_utc`` turns a typed time into one);
    a ``date`` makes an all-day event. Send the event again with a higher ``sequence`` and
    a new ``last_modified`` when it changes, with ``status="CANCELLED"`` when it is off."""

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date | None = None
    description: str = ""
    location: str = ""
    url: str | None = None
    status: str = "CONFIRMED"
    organizer_email: str | None = None
    organizer_name: str | None = None
    sequence: int = 0
    last_modified: datetime | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")
        for moment in (self.start, self.end, self.last_modified):
            if isinstance(moment, datetime) and moment.tzinfo is None:
                raise ValueError("calendar times must be aware: convert with sdk.to_utc")
        if self.end is not None and type(self.end) is not type(self.start):
            raise ValueError("start and end must both be dates or both be datetimes")
        if self.end is not None and self.end < self.start:  # type: ignore[operator]
            raise ValueError("an event cannot end before it starts")


def calendar_uid(plugin: str, kind: str, ident: Any, workspace: Any = None) -> str:
    """A UID unique across the world and stable for the life of the row (RFC 5545 3.8.4.7):
    plugin, kind, id and workspace id, at the platform's host; a slug change keeps it."""
    workspace = workspace if workspace is not None else current_workspace()
    host = urlsplit(base_url()).hostname or "localhost"
    return f"{plugin}-{kind}-{ident}.w{workspace.id}@{host}"


def calendar_feed(
    events: Iterable[CalendarEvent],
    *,
    name: str,
    description: str | None = None,
    url: str | None = None,
    zone: tzinfo | None = None,
    refresh: timedelta = REFRESH,
    workspace: Any = None,
) -> Calendar:
    """A ``VCALENDAR`` of ``events``, named ``name`` (X-WR-CALNAME), whose times are written in
    ``zone`` (the workspace's by default, with TZID and VTIMEZONE; ``datetime.UTC``: UTC times
    ending in Z). ``url`` is the feed's own address (SOURCE, and its stable UID)."""
    from icalendar import Calendar, vDuration

    zone = zone if zone is not None else workspace_zone(workspace)
    calendar = Calendar.new(
        name=name,
        description=description or None,
        prodid=PRODID,
        method="PUBLISH",
        calscale="GREGORIAN",
        refresh_interval=refresh,
        source=url,
        uid=uuid.uuid5(uuid.NAMESPACE_URL, url or f"ent:calendar:{name}"),
    )
    zone_name = _zone_name(zone)
    calendar.add("X-WR-TIMEZONE", zone_name)
    calendar.add("X-PUBLISHED-TTL", vDuration(refresh))  # else written as "1:00:00"
    stamp = utcnow().replace(microsecond=0)
    events = list(events)
    for event in events:
        calendar.add_component(_vevent(event, zone, stamp))
    moments = [m for e in events for m in (e.start, e.end) if isinstance(m, datetime)]
    if moments and zone_name != "UTC":
        calendar.add_missing_timezones(
            first_date=(min(moments) - _ZONE_MARGIN).date(),
            last_date=(max(moments) + _ZONE_MARGIN).date(),
        )
    return calendar


def _zone_name(zone: tzinfo) -> str:
    if zone is UTC:
        return "UTC"
    return str(getattr(zone, "key", None) or getattr(zone, "zone", None) or zone)


def _in_zone(moment: datetime | date | None, zone: tzinfo) -> datetime | date | None:
    if isinstance(moment, datetime):
        local = moment.astimezone(zone)
        return local.astimezone(UTC) if zone is UTC else local
    return moment


def _vevent(event: CalendarEvent, zone: tzinfo, stamp: datetime) -> Event:
    from icalendar import Event, vCalAddress

    organizer = None
    if event.organizer_email:
        organizer = vCalAddress(f"mailto:{event.organizer_email}")
        if event.organizer_name:
            organizer.params["CN"] = event.organizer_name
    return Event.new(
        uid=event.uid,
        summary=event.summary,
        description=event.description or None,
        start=_in_zone(event.start, zone),
        end=_in_zone(event.end, zone),
        location=event.location or None,
        url=event.url,
        status=event.status,  # type: ignore[arg-type]
        organizer=organizer,
        sequence=event.sequence,
        last_modified=event.last_modified.astimezone(UTC) if event.last_modified else None,
        stamp=stamp,
    )


def calendar_response(
    calendar: Calendar,
    *,
    filename: str = "calendar.ics",
    last_modified: datetime | None = None,
    private: bool = False,
) -> Response:
    """The feed as ``text/calendar; charset=utf-8`` with an ETag of its content, and a 304
    when the client's copy is current. ``Last-Modified`` is ``last_modified``, else the
    latest LAST-MODIFIED of the events when every event has one. ``private``: a secret
    feed that shared caches must not keep."""
    body = calendar.to_ical()
    response = Response(body, content_type=CONTENT_TYPE)
    response.set_etag(hashlib.sha256(_STAMP_LINE.sub(b"", body)).hexdigest()[:32])
    if last_modified is None:
        last_modified = _latest_change(calendar)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = f"{'private' if private else 'public'}, no-cache"
    response.vary.update(("Accept-Language", "Cookie"))
    return response.make_conditional(request)


def _latest_change(calendar: Calendar) -> datetime | None:
    changes = [event.get("LAST-MODIFIED") for event in calendar.events]
    if not changes or any(change is None for change in changes):
        return None
    return max(change.dt for change in changes)
