"""What funders and the public see: money received by source and year, what was spent on what,
and the annual moral and financial report (PDF, French or Arabic).

Only published projects count. Every total is the sum of the ``Decimal`` rows shown beside it,
so the page, the JSON and the PDF agree to the centime.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from ent_plugins.governance.models import (
    Contribution,
    Funder,
    Indicator,
    Meeting,
    Member,
    Milestone,
    Project,
    ProjectUpdate,
)
from ent_plugins.governance.projects import FUNDER_KINDS, STATUSES, budget_totals, latest, progress
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ent_core import sdk

ZERO = Decimal("0.00")
HELD_MEETINGS = ("held", "closed")
FIGURES = ("planned", "committed", "spent")


@dataclass
class FunderRow:
    funder: Funder
    by_year: dict[int, Decimal] = field(default_factory=dict)
    pledged: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum(self.by_year.values(), ZERO)


@dataclass
class KindRow:
    kind: str
    label: str
    funders: list[FunderRow] = field(default_factory=list)

    def on(self, year: int) -> Decimal:
        return sum((row.by_year.get(year, ZERO) for row in self.funders), ZERO)

    @property
    def total(self) -> Decimal:
        return sum((row.total for row in self.funders), ZERO)


@dataclass
class Funds:
    years: list[int]
    kinds: list[KindRow]
    pledged_by_year: dict[int, Decimal]

    def on(self, year: int) -> Decimal:
        return sum((kind.on(year) for kind in self.kinds), ZERO)

    @property
    def total(self) -> Decimal:
        return sum((kind.total for kind in self.kinds), ZERO)

    @property
    def pledged(self) -> Decimal:
        return sum(self.pledged_by_year.values(), ZERO)


def published_projects() -> Any:
    return sdk.scoped(Project).where(Project.published.is_(True))


def funds(year: int | None = None) -> Funds:
    """Money pledged and received for published projects, by funder kind, funder and year."""
    statement = (
        sdk.scoped(Contribution)
        .join(Project, Project.id == Contribution.project_id)
        .where(Project.published.is_(True))
        .options(selectinload(Contribution.funder))
    )
    if year is not None:
        statement = statement.where(Contribution.year == year)
    rows: dict[int, FunderRow] = {}
    pledged: dict[int, Decimal] = {}
    years: set[int] = set()
    for c in sdk.db.session.scalars(statement):
        row = rows.setdefault(c.funder_id, FunderRow(c.funder))
        row.by_year[c.year] = row.by_year.get(c.year, ZERO) + c.received
        row.pledged += c.pledged
        pledged[c.year] = pledged.get(c.year, ZERO) + c.pledged
        years.add(c.year)
    kinds = []
    for kind, label in FUNDER_KINDS.items():
        members = sorted(
            (r for r in rows.values() if r.funder.kind == kind), key=lambda r: r.funder.name.lower()
        )
        if members:
            kinds.append(KindRow(kind, str(label), members))
    return Funds(sorted(years), kinds, pledged)


@dataclass
class Spending:
    project: Project
    lines: list[Any]
    totals: dict[str, Decimal]


def spending() -> list[Spending]:
    """Budget lines of each published project (planned, committed, spent), with totals."""
    projects = sdk.db.session.scalars(
        published_projects().options(selectinload(Project.budget_lines)).order_by(Project.id)
    ).all()
    return [_spending(p) for p in projects]


def _spending(project: Project) -> Spending:
    lines = list(project.budget_lines)
    return Spending(project, lines, budget_totals(lines))


def spending_totals(rows: list[Spending]) -> dict[str, Decimal]:
    return {name: sum((row.totals[name] for row in rows), ZERO) for name in FIGURES}


def _money(value: Decimal) -> dict[str, str]:
    return sdk.Money(value, "MAD").to_json()


def figures_json(year: int | None = None) -> dict[str, Any]:
    """The transparency page as JSON (money as ``{"amount", "currency"}``)."""
    found = funds(year)
    rows = spending()
    return {
        "years": found.years,
        "received": {
            "by_kind": [
                {
                    "kind": kind.kind,
                    "total": _money(kind.total),
                    "by_year": {str(y): _money(kind.on(y)) for y in found.years},
                    "funders": [
                        {
                            "id": row.funder.id,
                            "name": row.funder.name,
                            "total": _money(row.total),
                            "pledged": _money(row.pledged),
                            "by_year": {str(y): _money(v) for y, v in sorted(row.by_year.items())},
                        }
                        for row in kind.funders
                    ],
                }
                for kind in found.kinds
            ],
            "by_year": {str(y): _money(found.on(y)) for y in found.years},
            "pledged_by_year": {
                str(y): _money(v) for y, v in sorted(found.pledged_by_year.items())
            },
            "total": _money(found.total),
            "pledged": _money(found.pledged),
        },
        "spent": {
            "projects": [
                {
                    "id": row.project.id,
                    "title": row.project.title,
                    "lines": [
                        {
                            "label": line.label,
                            "planned": _money(line.planned),
                            "committed": _money(line.committed),
                            "spent": _money(line.spent),
                        }
                        for line in row.lines
                    ],
                    **{name: _money(value) for name, value in row.totals.items()},
                }
                for row in rows
            ],
            **{name: _money(value) for name, value in spending_totals(rows).items()},
        },
    }


# -- the annual report -----------------------------------------------------------------------
@dataclass
class AnnualReport:
    year: int
    projects: list[Project]
    milestones: list[Milestone]
    indicators: list[Indicator]
    updates: int
    members: int
    meetings: int
    funds: Funds
    spending: list[Spending]

    @property
    def spending_totals(self) -> dict[str, Decimal]:
        return spending_totals(self.spending)


def annual_report(year: int) -> AnnualReport:
    """The year's published projects (running at some point of it, or funded in it), the
    milestones reached and indicators measured, counts of members and meetings, the money."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    funded = select(Contribution.project_id).where(Contribution.year == year)
    projects = sdk.db.session.scalars(
        published_projects()
        .where(
            or_(
                Project.id.in_(funded),
                (func.coalesce(Project.starts_on, first) <= last)
                & (func.coalesce(Project.ends_on, last) >= first)
                & (Project.status != "cancelled"),
            )
        )
        .options(
            selectinload(Project.milestones),
            selectinload(Project.budget_lines),
            selectinload(Project.indicators).selectinload(Indicator.measurements),
        )
        .order_by(Project.id)
    ).all()
    ids = [p.id for p in projects]
    start = sdk.to_utc(datetime.combine(first, time()))
    end = sdk.to_utc(datetime.combine(last + timedelta(days=1), time()))
    updates = sdk.db.session.scalar(
        select(func.count(ProjectUpdate.id)).where(
            ProjectUpdate.project_id.in_(ids),
            ProjectUpdate.published.is_(True),
            ProjectUpdate.published_at >= start,
            ProjectUpdate.published_at < end,
        )
    )
    members = sdk.db.session.scalar(
        select(func.count(Member.id)).where(
            Member.joined_on <= last, or_(Member.left_on.is_(None), Member.left_on > last)
        )
    )
    meetings = sdk.db.session.scalar(
        select(func.count(Meeting.id)).where(
            Meeting.status.in_(HELD_MEETINGS), Meeting.starts_at >= start, Meeting.starts_at < end
        )
    )
    return AnnualReport(
        year=year,
        projects=list(projects),
        milestones=[
            m
            for p in projects
            for m in p.milestones
            if m.done_on is not None and first <= m.done_on <= last
        ],
        indicators=[i for p in projects for i in p.indicators],
        updates=updates or 0,
        members=members or 0,
        meetings=meetings or 0,
        funds=funds(year),
        spending=[_spending(p) for p in projects],
    )


def report_pdf(report: AnnualReport) -> bytes:
    """The report as an A4 PDF in the current language (Arabic right to left)."""
    kit = sdk.pdf
    pdf = kit.new_document(format="A4")
    family, start = kit.FONT_FAMILY, kit.start_align()
    rtl = start == "R"
    workspace = sdk.current_workspace()
    title = sdk._("Moral and financial report %(year)s", year=report.year)
    pdf.set_title(title)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()

    def line(text: str, size: int = 11, style: str = "", height: float = 6) -> None:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, height, text, align=start, new_x="LMARGIN", new_y="NEXT")

    def table(widths: list[int], rows: list[list[str]], bold: set[int]) -> None:
        """Rows of cells (the first column at the start side), rows in ``bold`` in bold."""
        for index, row in enumerate(rows):
            pdf.set_font(family, "B" if index in bold else "", 9)
            cells = list(zip(widths, row, strict=True))
            for position, (width, text) in enumerate(reversed(cells) if rtl else cells):
                first_column = position == (len(cells) - 1 if rtl else 0)
                align = start if first_column else kit.end_align()
                pdf.cell(width, 7, text, border=1, align=align)
            pdf.ln(7)
        pdf.ln(3)

    def clip(text: str, width: float, style: str = "") -> str:
        """A user's text cut to fit ``width`` mm of a table cell at 9 points, isolated."""
        pdf.set_font(family, style, 9)
        if pdf.get_string_width(text) > width - 3:
            while text and pdf.get_string_width(text + "...") > width - 3:
                text = text[:-1]
            text = text.rstrip() + "..."
        return kit.isolate(text)

    line(kit.isolate(workspace.name), 12, "B")
    line(title, 18, "B", 10)
    pdf.ln(2)
    line(sdk._("Moral report"), 14, "B", 8)
    members, meetings, updates = report.members, report.meetings, report.updates
    for count in (
        sdk.ngettext(
            "%(num)s member at the end of the year",
            "%(num)s members at the end of the year",
            members,
            num=kit.pdf_decimal(members),
        ),
        sdk.ngettext(
            "%(num)s meeting held in the year",
            "%(num)s meetings held in the year",
            meetings,
            num=kit.pdf_decimal(meetings),
        ),
        sdk.ngettext(
            "%(num)s project update published",
            "%(num)s project updates published",
            updates,
            num=kit.pdf_decimal(updates),
        ),
    ):
        line(f"• {count}")
    pdf.ln(2)
    line(sdk._("Projects of the year"), 12, "B", 7)
    if not report.projects:
        line(sdk._("No published project this year."))
    for project in report.projects:
        status = str(STATUSES.get(project.status, project.status))
        where = f" — {kit.isolate(project.location)}" if project.location else ""
        line(f"• {kit.isolate(project.title)} ({status}){where}", 11, "B")
        if project.summary:
            line(kit.isolate(project.summary), 10)
    pdf.ln(2)
    line(sdk._("Milestones reached"), 12, "B", 7)
    if not report.milestones:
        line(sdk._("No milestone was reached this year."))
    for milestone in report.milestones:
        line(
            f"• {kit.pdf_date(milestone.done_on)} — {kit.isolate(milestone.title)} "
            f"({kit.isolate(milestone.project.title)})",
            10,
        )
    pdf.ln(2)
    line(sdk._("Indicators"), 12, "B", 7)
    if report.indicators:
        last_day = date(report.year, 12, 31)
        rows = [[sdk._("Indicator"), sdk._("Baseline"), sdk._("Target"), sdk._("Measured")]]
        for indicator in report.indicators:
            measured = latest(indicator, last_day)
            unit = f" {indicator.unit}" if indicator.unit else ""
            shown = "—"
            if measured is not None:
                share = progress(indicator, last_day)
                shown = (
                    f"{kit.pdf_decimal(measured.value.normalize())}{unit} ({kit.ltr(f'{share} %')})"
                )
            rows.append(
                [
                    clip(indicator.name, 70),
                    f"{kit.pdf_decimal(indicator.baseline.normalize())}{unit}",
                    f"{kit.pdf_decimal(indicator.target.normalize())}{unit}",
                    shown,
                ]
            )
        table([70, 35, 35, 50], rows, {0})
    else:
        line(sdk._("No indicator is followed yet."))

    pdf.add_page()
    line(sdk._("Financial report"), 14, "B", 8)
    line(sdk._("Funds received in %(year)s by source", year=kit.ltr(report.year)), 12, "B", 7)
    rows = [[sdk._("Source"), sdk._("Pledged"), sdk._("Received")]]
    bold = {0}
    for kind in report.funds.kinds:
        bold.add(len(rows))
        pledged = sum((row.pledged for row in kind.funders), ZERO)
        rows.append([kind.label, kit.pdf_money(pledged, "MAD"), kit.pdf_money(kind.total, "MAD")])
        for row in kind.funders:
            rows.append(
                [
                    clip(row.funder.name, 100),
                    kit.pdf_money(row.pledged, "MAD"),
                    kit.pdf_money(row.total, "MAD"),
                ]
            )
    bold.add(len(rows))
    rows.append(
        [
            sdk._("Total"),
            kit.pdf_money(report.funds.pledged, "MAD"),
            kit.pdf_money(report.funds.total, "MAD"),
        ]
    )
    table([100, 45, 45], rows, bold)
    line(sdk._("Spending of the year's projects, to the date of this report"), 12, "B", 7)
    rows = [
        [sdk._("Project and budget line"), sdk._("Planned"), sdk._("Committed"), sdk._("Spent")]
    ]
    bold = {0}
    for item in report.spending:
        bold.add(len(rows))
        rows.append(
            [clip(item.project.title, 85, "B")]
            + [kit.pdf_money(item.totals[n], "MAD") for n in FIGURES]
        )
        for budget_line in item.lines:
            rows.append(
                [clip(budget_line.label, 85)]
                + [kit.pdf_money(getattr(budget_line, n), "MAD") for n in FIGURES]
            )
    bold.add(len(rows))
    totals = report.spending_totals
    rows.append([sdk._("Total")] + [kit.pdf_money(totals[n], "MAD") for n in FIGURES])
    table([85, 35, 35, 35], rows, bold)
    pdf.set_font(family, "", 8)
    pdf.cell(
        0,
        5,
        sdk._("Issued on %(day)s", day=kit.pdf_date(sdk.local_today())),
        align=start,
    )
    return bytes(pdf.output())
