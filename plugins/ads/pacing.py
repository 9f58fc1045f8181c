"""Pacing: how much of a daily cap a campaign may have used by this time of the day.

An ``even`` campaign spreads its daily budget (or its daily impression cap) over the
advertiser's day: at 06:00 it may have delivered a quarter of it, at 18:00 three quarters,
plus a small allowance so that it is not refused one impression early for a rounding. An
``asap`` campaign may use all of it at once. The limit is a tighter daily cap for the moment,
and the real-time counters check it with the other caps in one atomic step (``caps.py``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

#: The allowance, as a share of the daily cap (at least one unit: an impression, or what
#: one impression or click costs).
ALLOWANCE = 0.01


def paced(cap: int, fraction: float, unit: int = 1) -> int:
    """The most an even campaign may have delivered so far today, out of ``cap``, when
    ``fraction`` of the day is gone (``unit``: the smallest step, so that the allowance
    always lets one more through)."""
    allowance = max(unit, int(cap * ALLOWANCE))
    return min(cap, int(cap * fraction) + allowance)


class Clock:
    """The advertiser's clock at the decision's moment, worked out once per time zone and
    decision: its date (for daily counters), its hour of the week (dayparts, Monday 00:00 is
    0) and the share of its day gone (pacing)."""

    __slots__ = ("day", "fraction", "weekhour")

    def __init__(self, day: str, weekhour: int, fraction: float) -> None:
        self.day = day
        self.weekhour = weekhour
        self.fraction = fraction


def clock_at(timestamp: float, zone: ZoneInfo) -> Clock:
    """The :class:`Clock` of ``zone`` at Unix time ``timestamp``."""
    local = datetime.fromtimestamp(timestamp, zone)
    seconds = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
    return Clock(
        f"{local.year:04d}{local.month:02d}{local.day:02d}",
        local.weekday() * 24 + local.hour,
        seconds / 86400,
    )
