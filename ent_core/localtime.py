"""Time in the workspace's zone: people type and read it there, the platform stores UTC.

Every stored time is aware UTC (``ent_core/db.py``). A workspace names its IANA zone
(``Workspace.timezone``, ``Africa/Casablanca`` by default): a newsroom in Casablanca types
"09:00" and means nine o'clock there, whether Morocco is on UTC+1 or, during Ramadan, on
UTC+0. ``zoneinfo`` knows those rules, so no code here counts offsets by hand.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytz
from babel import Locale
from babel import dates as babel_dates
from flask import has_request_context

from ent_core.db import utcnow
from ent_core.tenancy import current_workspace
from ent_core.workspaces.models import DEFAULT_TIMEZONE as DEFAULT_ZONE

#: Offered first when a workspace chooses its zone: the platform's home, then UTC.
FIRST_ZONES = ("Africa/Casablanca", "UTC")
#: Date sizes of Babel (and of CLDR): how much of the date a text shows.
SIZES = ("short", "medium", "long", "full")


@functools.cache
def zone_names() -> frozenset[str]:
    """Every IANA zone this machine knows (the system's database or the ``tzdata`` package)."""
    return frozenset(zoneinfo.available_timezones())


def is_zone(name: object) -> bool:
    """Whether ``name`` is an IANA zone name a workspace may choose."""
    return isinstance(name, str) and name in zone_names()


@functools.cache
def zone_choices() -> tuple[str, ...]:
    """Zone names in the order a chooser lists them: Morocco and UTC first, then A to Z."""
    first = [name for name in FIRST_ZONES if is_zone(name)]
    return (*first, *sorted(zone_names() - set(first)))


def zone_of(name: str | None) -> ZoneInfo:
    """The zone named ``name``; the default one for a name this machine does not know (a
    stored name is checked when saved, but the zone database may change under it)."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def workspace_zone(workspace: Any = None) -> ZoneInfo:
    """The time zone of ``workspace`` (by default the current one).

    Outside a workspace's request (a job, a command) pass the workspace: with none the call
    raises rather than guess a zone.
    """
    if workspace is None:
        workspace = current_workspace()
    if workspace is None:
        raise RuntimeError("workspace_zone() needs a workspace: pass one outside its requests")
    return zone_of(workspace.timezone)


def select_timezone() -> str | None:
    """Flask-Babel's time zone for this request: the workspace's on its pages, else UTC."""
    workspace = current_workspace() if has_request_context() else None
    if workspace is None:
        return None
    name = str(zone_of(workspace.timezone).key)
    # Flask-Babel reads the name with pytz, whose zone list may lag zoneinfo's by a release.
    return name if name in pytz.all_timezones_set else None


def to_utc(value: datetime, workspace: Any = None) -> datetime:
    """A time people typed (naive: the wall clock of the workspace) as aware UTC.

    An aware value is only converted. A wall time the clock skips when it moves forward
    counts with the offset before the change; one it shows twice when it moves back is the
    first of the two (``fold=0``).
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=workspace_zone(workspace))
    return value.astimezone(UTC)


def to_local(value: datetime, workspace: Any = None) -> datetime:
    """An instant (aware; naive counts as UTC, as stored) on the workspace's wall clock."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return aware.astimezone(workspace_zone(workspace))


def local_today(workspace: Any = None) -> date:
    """Today's date in the workspace: in Casablanca, 00:30 local is already tomorrow in UTC+1."""
    return utcnow().astimezone(workspace_zone(workspace)).date()


def start_of_day(day: date | None = None, workspace: Any = None) -> datetime:
    """The instant (aware UTC) ``day`` (today by default) begins in the workspace: its local
    midnight, or the first instant of the day when a clock change skips midnight."""
    zone = workspace_zone(workspace)
    if day is None:
        day = utcnow().astimezone(zone).date()
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def _locale() -> Locale:
    from flask_babel import get_locale

    return get_locale() or Locale.parse("fr")


def format_datetime(value: datetime, size: str = "medium", workspace: Any = None) -> str:
    """``value`` as people read it: the page's language, the workspace's zone, hours and
    minutes (no seconds). ``size`` is how much of the date shows: short, medium, long, full."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, not {size!r}")
    locale, local = _locale(), to_local(value, workspace)
    # Babel's own composition of a date and a time for this size, with the short time.
    return (
        str(locale.datetime_formats[size])
        .replace("'", "")
        .replace("{0}", babel_dates.format_time(local, "short", locale=locale))
        .replace("{1}", babel_dates.format_date(local, size, locale=locale))
    )


def format_date(value: date | datetime, size: str = "medium", workspace: Any = None) -> str:
    """A date in the page's language; an instant shows the date it is in the workspace."""
    if isinstance(value, datetime):
        value = to_local(value, workspace).date()
    return babel_dates.format_date(value, size, locale=_locale())
