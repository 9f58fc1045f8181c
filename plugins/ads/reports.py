"""Reports: what the hourly statistics say, per campaign, creative, placement and day.

Advertisers read ``CampaignStat`` (their workspace's rows), publishers ``PlacementStat`` (theirs):
neither table is ever read for another workspace. Rows are hours in UTC; a report's dates are
days in the workspace's time zone, so a day is the hours from its local midnight to the next
(``sdk.start_of_day``): sums are made per hour in SQL and the hours put into local days here,
which stays right across Morocco's Ramadan clock change. Rates are exact ``Decimal`` ratios
(``None`` when nothing was served), money is ``sdk.Money`` made from integer micro-dirhams.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ent_plugins.ads.models import AdPlacement, Campaign, CampaignStat, Creative, PlacementStat
from ent_plugins.ads.settings import settings
from sqlalchemy import func

from ent_core import sdk

_ = sdk._

#: The longest range a report covers (a year and a day: a leap year's dates).
MAX_DAYS = 366
#: What a report shows when no dates are given: the last 30 days, today included.
DEFAULT_DAYS = 30
MICROS = Decimal(1_000_000)
RATE = Decimal("0.0001")

CAMPAIGN_GROUPS = ("day", "campaign", "creative", "placement")
PLACEMENT_GROUPS = ("day", "placement")


@dataclass(frozen=True, slots=True)
class Period:
    """Local dates ``first`` to ``last`` (both included), and the UTC instants they span."""

    first: date
    last: date
    since: datetime
    until: datetime

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def period(first: date | None = None, last: date | None = None, workspace: Any = None) -> Period:
    """The report's dates (by default the last 30 days, today included), checked."""
    workspace = workspace or sdk.current_workspace()
    last = last or (first + timedelta(days=DEFAULT_DAYS - 1) if first else None)
    last = last or sdk.local_today(workspace)
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise sdk.UserError(
            "invalid_range", _("The first day comes after the last one."), field="from"
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise sdk.UserError(
            "invalid_range",
            _("A report covers %(n)s days at most.", n=MAX_DAYS),
            field="to",
            details={"max_days": MAX_DAYS},
        )
    since = sdk.start_of_day(first, workspace)
    until = sdk.start_of_day(last + timedelta(days=1), workspace)
    return Period(first, last, since, until)


def ratio(part: int, whole: int) -> Decimal | None:
    """``part / whole`` to four decimals (half up), or None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE, rounding=ROUND_HALF_UP)


@dataclass(slots=True)
class Figures:
    """Sums over some hours, and what people read from them."""

    impressions: int = 0
    viewable: int = 0
    clicks: int = 0
    spend_micros: int = 0
    requests: int = 0

    def add(self, other: Figures) -> None:
        self.impressions += other.impressions
        self.viewable += other.viewable
        self.clicks += other.clicks
        self.spend_micros += other.spend_micros
        self.requests += other.requests

    @property
    def viewable_rate(self) -> Decimal | None:
        return ratio(self.viewable, self.impressions)

    @property
    def ctr(self) -> Decimal | None:
        return ratio(self.clicks, self.impressions)

    @property
    def fill_rate(self) -> Decimal | None:
        return ratio(self.impressions, self.requests)

    @property
    def spend(self) -> sdk.Money:
        return sdk.Money(Decimal(self.spend_micros) / MICROS)

    @property
    def earnings(self) -> sdk.Money:
        """The publisher's share of the spend (``settings().publisher_share``)."""
        return sdk.Money(Decimal(self.spend_micros) * settings().publisher_share / MICROS)


@dataclass(slots=True)
class Line:
    """One line of a report: a day, a campaign, a creative or a placement."""

    key: Any
    label: str
    figures: Figures = field(default_factory=Figures)
    detail: str = ""


@dataclass(slots=True)
class Report:
    """A report's lines in order, their totals, and what it covers."""

    period: Period
    by: str
    lines: list[Line]
    totals: Figures
    subject: str = ""

    @property
    def daily(self) -> bool:
        return self.by == "day"


def figures_of(row: Any, requests: bool = False) -> Figures:
    return Figures(
        impressions=int(row.impressions or 0),
        viewable=int(row.viewable or 0),
        clicks=int(row.clicks or 0),
        spend_micros=int(row.spend_micros or 0),
        requests=int(row.requests or 0) if requests else 0,
    )


def sum_columns(model: Any, requests: bool = False) -> list[Any]:
    columns = [
        func.sum(model.impressions).label("impressions"),
        func.sum(model.viewable).label("viewable"),
        func.sum(model.clicks).label("clicks"),
        func.sum(model.spend_micros).label("spend_micros"),
    ]
    if requests:
        columns.append(func.sum(model.requests).label("requests"))
    return columns


def _by_day(rows: Iterable[Any], when: Period, requests: bool = False) -> list[Line]:
    """Hourly sums into the workspace's days, every day of the period present (zeros too)."""
    zone = sdk.workspace_zone()
    days = {d: Line(d, d.isoformat()) for d in when.days}
    for row in rows:
        day = row.hour.astimezone(zone).date()
        if day in days:
            days[day].figures.add(figures_of(row, requests))
    return list(days.values())


def _total(lines: Iterable[Line]) -> Figures:
    totals = Figures()
    for line in lines:
        totals.add(line.figures)
    return totals


# -- advertisers -----------------------------------------------------------------------------
def campaign_report(when: Period, by: str = "day", campaign: Campaign | None = None) -> Report:
    """The workspace's campaigns (or one of them) over ``when``, by day, campaign, creative
    or placement."""
    if by not in CAMPAIGN_GROUPS:
        raise sdk.UserError(
            "invalid_grouping",
            _("Group by one of: %(g)s.", g=", ".join(CAMPAIGN_GROUPS)),
            field="by",
        )
    where = [CampaignStat.hour >= when.since, CampaignStat.hour < when.until]
    if campaign is not None:
        where.append(CampaignStat.campaign_id == campaign.id)
    base = sdk.db.select(*sum_columns(CampaignStat)).where(*where)
    if by == "day":
        rows = sdk.db.session.execute(
            base.add_columns(CampaignStat.hour).group_by(CampaignStat.hour)
        )
        lines = _by_day(rows, when)
    else:
        column = {
            "campaign": CampaignStat.campaign_id,
            "creative": CampaignStat.creative_id,
            "placement": CampaignStat.placement_id,
        }[by]
        rows = sdk.db.session.execute(base.add_columns(column.label("key")).group_by(column))
        found = {row.key: figures_of(row) for row in rows}
        labels = _labels(by, found, campaign)
        lines = [
            Line(key, name, found.get(key, Figures()), detail)
            for key, (name, detail) in labels.items()
            if key in found or by == "campaign"
        ]
    return Report(when, by, lines, _total(lines), campaign.name if campaign else "")


def _labels(by: str, keys: Iterable[int], campaign: Campaign | None) -> dict[int, tuple[str, str]]:
    """What each line is called, in a stable order: the workspace's campaigns (all of them,
    even silent ones, newest first), a campaign's creatives, or the placements served."""
    if by == "campaign":
        statement = sdk.scoped(Campaign).order_by(Campaign.id.desc())
        return {c.id: (c.name, c.status) for c in sdk.db.session.scalars(statement)}
    if by == "creative":
        statement = sdk.scoped(Creative).where(Creative.id.in_(list(keys)))
        if campaign is not None:
            statement = statement.where(Creative.campaign_id == campaign.id)
        rows = sdk.db.session.scalars(statement.order_by(Creative.id))
        return {c.id: (c.name, c.size or c.format) for c in rows}
    return placement_names(keys)


def placement_names(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """The placements an advertiser's ads ran on, named as the publisher names them, with the
    publication's name: another workspace's rows, read for their names only."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    with sdk.all_workspaces():
        rows = sdk.db.session.scalars(sdk.db.select(AdPlacement).where(AdPlacement.id.in_(ids)))
        found = {p.id: p for p in rows}
    owners = sdk.workspace_names(p.workspace_id for p in found.values())
    names: dict[int, tuple[str, str]] = {}
    for pid in ids:
        p = found.get(pid)
        if p is None:
            names[pid] = (_("Placement #%(id)s (removed)", id=pid), "")
        else:
            owner = owners.get(p.workspace_id)
            names[pid] = (p.name, owner.name if owner else "")
    return names


# -- publishers ------------------------------------------------------------------------------
def placement_report(when: Period, by: str = "day", placement: AdPlacement | None = None) -> Report:
    """The workspace's placements (or one of them) over ``when``, by day or placement, with
    requests for the fill rate and the publisher's earnings."""
    if by not in PLACEMENT_GROUPS:
        raise sdk.UserError(
            "invalid_grouping",
            _("Group by one of: %(g)s.", g=", ".join(PLACEMENT_GROUPS)),
            field="by",
        )
    where = [PlacementStat.hour >= when.since, PlacementStat.hour < when.until]
    if placement is not None:
        where.append(PlacementStat.placement_id == placement.id)
    base = sdk.db.select(*sum_columns(PlacementStat, requests=True)).where(*where)
    if by == "day":
        rows = sdk.db.session.execute(
            base.add_columns(PlacementStat.hour).group_by(PlacementStat.hour)
        )
        lines = _by_day(rows, when, requests=True)
    else:
        rows = sdk.db.session.execute(
            base.add_columns(PlacementStat.placement_id.label("key")).group_by(
                PlacementStat.placement_id
            )
        )
        found = {row.key: figures_of(row, requests=True) for row in rows}
        statement = sdk.scoped(AdPlacement).order_by(AdPlacement.id)
        lines = [
            Line(p.id, p.name, found.get(p.id, Figures()), p.code)
            for p in sdk.db.session.scalars(statement)
            if p.active or p.id in found
        ]
    return Report(when, by, lines, _total(lines), placement.name if placement else "")


# -- CSV -------------------------------------------------------------------------------------
def csv_safe(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _rate(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def export_csv(report: Report, *, publisher: bool = False) -> str:
    """The report as CSV (UTF-8 with BOM, ``;``: what Excel opens right in French); rates are
    ratios (0.0125 is 1.25 %), money in MAD HT."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    first = "date" if report.daily else report.by
    if publisher:
        writer.writerow(
            [
                first,
                "name",
                "requests",
                "impressions",
                "fill_rate",
                "viewable",
                "viewable_rate",
                "clicks",
                "ctr",
                "earnings_mad",
            ]
        )
    else:
        writer.writerow(
            [
                first,
                "name",
                "detail",
                "impressions",
                "viewable",
                "viewable_rate",
                "clicks",
                "ctr",
                "spend_mad",
            ]
        )
    for line in [*report.lines, Line("total", "total", report.totals)]:
        f = line.figures
        key = line.key.isoformat() if isinstance(line.key, date) else line.key
        if publisher:
            writer.writerow(
                [
                    csv_safe(key),
                    csv_safe(line.label),
                    f.requests,
                    f.impressions,
                    _rate(f.fill_rate),
                    f.viewable,
                    _rate(f.viewable_rate),
                    f.clicks,
                    _rate(f.ctr),
                    f.earnings.amount,
                ]
            )
        else:
            writer.writerow(
                [
                    csv_safe(key),
                    csv_safe(line.label),
                    csv_safe(line.detail),
                    f.impressions,
                    f.viewable,
                    _rate(f.viewable_rate),
                    f.clicks,
                    _rate(f.ctr),
                    f.spend.amount,
                ]
            )
    return out.getvalue()


def iter_days(report: Report) -> Iterator[tuple[date, Figures]]:
    for line in report.lines:
        yield line.key, line.figures
