"""The newsroom's clock: times are typed and shown in the workspace's zone, stored in UTC.

The zone is the workspace's (``sdk.workspace_zone()``, chosen on the workspace's settings
page), no longer a setting of this module. Morocco is UTC+1 most of the year and UTC+0
during Ramadan; ``zoneinfo`` knows the rules, so a journalist types "09:00" and the article
goes out at nine, Casablanca time.
"""

from __future__ import annotations

from datetime import datetime

from ent_core import sdk


def from_local(value: datetime | None) -> datetime | None:
    """A time typed in the newsroom (naive: the workspace's zone) as aware UTC."""
    return None if value is None else sdk.to_utc(value)


def local_text(value: datetime | None) -> str:
    """``2026-12-01 09:00`` in the workspace's zone (empty for no time)."""
    return "" if value is None else sdk.to_local(value).strftime("%Y-%m-%d %H:%M")


def zone_name() -> str:
    return str(sdk.workspace_zone().key)
