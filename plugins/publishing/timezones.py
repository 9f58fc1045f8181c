"""The newsroom's clock: times are typed and shown in the workspace's zone, stored in UTC.

Morocco is UTC+1 most of the year and UTC+0 during Ramadan; ``zoneinfo`` knows the rules, so a
journalist types "09:00" and the article goes out at nine, Casablanca time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ent_core import sdk

DEFAULT_ZONE = "Africa/Casablanca"
ZONE_CHOICES = ("Africa/Casablanca", "UTC", "Europe/Paris")


def newsroom_zone() -> ZoneInfo:
    """The current workspace's zone (setting ``timezone``), Casablanca by default."""
    try:
        name = sdk.plugin_settings("publishing").get("timezone") or DEFAULT_ZONE
        return ZoneInfo(name)
    except (RuntimeError, ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def from_local(value: datetime | None) -> datetime | None:
    """A time typed in the newsroom (naive: the workspace's zone) as aware UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=newsroom_zone())
    return value.astimezone(UTC)


def local_text(value: datetime | None) -> str:
    """``2026-12-01 09:00`` in the workspace's zone (empty for no time)."""
    if value is None:
        return ""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return aware.astimezone(newsroom_zone()).strftime("%Y-%m-%d %H:%M")


def zone_name() -> str:
    return str(newsroom_zone().key)
