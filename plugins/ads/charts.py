"""Bar charts of a report's days, drawn on the server as SVG (no script, no library).

The picture is for people who would rather look than read: it carries a ``<title>`` and a
``<desc>`` (what it shows, its highest day and the total), every bar its own ``<title>``, and
the page puts the same figures in a table next to it. In a right-to-left page the days run from
right to left, as Arabic readers expect a time line to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_date

#: The drawing's coordinate space (the SVG scales to its box, keeping the ratio).
WIDTH, HEIGHT = 640, 220
#: Room for the value labels on the axis side, the date labels below, a little air above.
AXIS, BELOW, ABOVE = 56, 28, 12


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    #: What the bar's own ``<title>`` says ("15 Jun: 1,200").
    label: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    text: str
    #: The last day's label ends at the plot's edge rather than run over it.
    anchor: str = "middle"


@dataclass(frozen=True, slots=True)
class Chart:
    """Everything the template draws: bars, the top value's line, date ticks, the texts."""

    id: str
    title: str
    desc: str
    bars: list[Bar]
    ticks: list[Tick]
    top: str
    top_y: float
    base_y: float
    axis_x: float
    anchor: str
    plot_start: float
    plot_end: float
    width: int = WIDTH
    height: int = HEIGHT


def _nice(top: float) -> float:
    """A round ceiling for the scale (1, 2, 2.5 or 5 times a power of ten)."""
    if top <= 0:
        return 1
    power = 1.0
    while power * 10 <= top:
        power *= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= top:
            return step * power
    return 10 * power


def day_label(day: date) -> str:
    return format_date(day, "d MMM")


def daily_bars(
    chart_id: str,
    days: Sequence[tuple[date, float]],
    *,
    title: str,
    describe: Callable[[Any, Any, Any], str],
    show: Callable[[float], str],
    rtl: bool = False,
) -> Chart:
    """A bar per day, in left-to-right coordinates (the SVG says ``direction="ltr"``):
    ``describe(total, best_day, best_value)`` writes the ``<desc>``, ``show`` formats a value
    as people read it."""
    days = [(d, float(v)) for d, v in days]
    top = _nice(max((v for _, v in days), default=0))
    plot_width = WIDTH - AXIS
    base_y = HEIGHT - BELOW
    height = base_y - ABOVE
    slot = plot_width / max(len(days), 1)
    gap = min(slot * 0.2, 4)
    bars, ticks = [], []
    every = max(1, round(len(days) / 6))
    for n, (day, value) in enumerate(days):
        start = AXIS + n * slot if not rtl else WIDTH - AXIS - (n + 1) * slot
        h = height * (value / top) if top else 0
        bars.append(
            Bar(
                x=round(start + gap / 2, 2),
                y=round(base_y - h, 2),
                width=round(slot - gap, 2),
                height=round(h, 2),
                label=f"{day_label(day)}: {show(value)}",
            )
        )
        if n == len(days) - 1 and n:
            edge = 0 if rtl else WIDTH
            ticks.append(Tick(edge, day_label(day), "start" if rtl else "end"))
        elif n % every == 0:
            ticks.append(Tick(round(start + slot / 2, 2), day_label(day)))
    best_day, best = max(days, key=lambda d: d[1], default=(None, 0))
    total = sum(v for _, v in days)
    return Chart(
        id=chart_id,
        title=title,
        desc=describe(show(total), day_label(best_day) if best_day else "", show(best)),
        bars=bars,
        ticks=ticks,
        top=show(top),
        top_y=ABOVE,
        base_y=base_y,
        axis_x=WIDTH - AXIS + 4 if rtl else AXIS - 4,
        anchor="start" if rtl else "end",
        plot_start=0 if rtl else AXIS,
        plot_end=WIDTH - AXIS if rtl else WIDTH,
    )
