"""``ent ads ...``: the régie's inventory, statistics and campaigns from a terminal or a cron.

``placements list`` and ``campaigns list`` work across workspaces for the operator (or in one
with ``--workspace``); ``stats`` reads one workspace's figures as its reports page does. Every
command exits non-zero with the reason on stderr when it cannot (CONVENTIONS.md, "CLI").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import click
from flask.cli import AppGroup

from ent_core import sdk


@contextmanager
def _workspace(slug: str) -> Iterator[Any]:
    """Work in ``slug`` as one of its requests would; refuse one unknown or with ads off."""
    with ExitStack() as stack:
        try:
            workspace = stack.enter_context(sdk.working_in(slug, plugin="ads"))
        except LookupError as exc:
            raise click.ClickException(str(exc)) from None
        yield workspace


def _listing(slug: str | None) -> Any:
    """Where a list command reads: ``slug``'s rows (as ``_workspace``), or every workspace's."""
    return _workspace(slug) if slug else sdk.all_workspaces()


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-06-15") from None


def _json(value: Any) -> Any:
    if isinstance(value, sdk.Money):
        return value.to_json()
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=_json))


def _echo_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    click.echo("\t".join(columns))
    for row in rows:
        click.echo("\t".join("" if row[c] is None else str(_plain(row[c])) for c in columns))


def _plain(value: Any) -> Any:
    return value.amount if isinstance(value, sdk.Money) else value


@click.group("ads", cls=AppGroup, help="Advertising: placements, statistics, campaigns.")
def ads_cli() -> None:
    """Group of the ads commands."""


# -- placements ------------------------------------------------------------------------------
@ads_cli.group("placements", help="The publishers' placements.")
def placements_cli() -> None:
    """Placement commands."""


@placements_cli.command("list", help="List placements (every workspace's, or one's).")
@click.option("--workspace", "slug", help="Only this workspace's placements (its slug).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def placements_list(slug: str | None, as_json: bool) -> None:
    from ent_plugins.ads.index import offered_clause
    from ent_plugins.ads.models import AdPlacement

    def rows() -> list[dict[str, Any]]:
        statement = sdk.db.select(AdPlacement, offered_clause().label("offered")).order_by(
            AdPlacement.workspace_id, AdPlacement.id
        )
        listed = list(sdk.db.session.execute(statement))
        names = _slugs(p.workspace_id for p, _ in listed)
        return [
            {
                "id": p.id,
                "workspace": names.get(p.workspace_id, ""),
                "kind": p.kind,
                "code": p.code,
                "name": p.name,
                "public_id": p.public_id,
                # As the API says: in the network now; ``joined``: the publisher's choice.
                "active": bool(p.active and offered),
                "joined": p.active,
                "sizes": list(p.sizes),
                "formats": list(p.formats),
                "excluded_categories": list(p.excluded_categories),
                "site_url": p.site_url,
            }
            for p, offered in listed
        ]

    with _listing(slug):
        found = rows()
    if as_json:
        _echo_json(found)
        return
    for row in found:
        row["sizes"] = ",".join(row["sizes"])
        row["active"] = "in" if row["active"] else "out"
    _echo_table(found, ["id", "workspace", "kind", "code", "active", "sizes", "name"])


def _slugs(ids: Iterable[int]) -> dict[int, str]:
    """The slugs of the workspaces of ``ids`` (the rows listed), by id."""
    return {wid: found.slug for wid, found in sdk.workspace_names(ids).items()}


# -- campaigns -------------------------------------------------------------------------------
@ads_cli.group("campaigns", help="The advertisers' campaigns.")
def campaigns_cli() -> None:
    """Campaign commands."""


@campaigns_cli.command("list", help="List campaigns across workspaces (newest first).")
@click.option("--status", help="Only campaigns in this status (draft, pending, approved...).")
@click.option("--workspace", "slug", help="Only this workspace's campaigns (its slug).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def campaigns_list(status: str | None, slug: str | None, as_json: bool) -> None:
    from ent_plugins.ads.catalogues import CAMPAIGN_STATUSES
    from ent_plugins.ads.models import Campaign

    if status is not None and status not in CAMPAIGN_STATUSES:
        raise click.BadParameter(
            f"{status!r} is not one of {', '.join(CAMPAIGN_STATUSES)}", param_hint="--status"
        )

    def rows() -> list[dict[str, Any]]:
        statement = sdk.db.select(Campaign).order_by(Campaign.id.desc())
        if status:
            statement = statement.where(Campaign.status == status)
        listed = list(sdk.db.session.scalars(statement))
        names = _slugs(c.workspace_id for c in listed)
        return [
            {
                "id": c.id,
                "workspace": names.get(c.workspace_id, ""),
                "name": c.name,
                "status": c.status,
                "priority": c.priority,
                "pricing": c.pricing,
                "starts_at": c.starts_at,
                "ends_at": c.ends_at,
                "budget": sdk.Money(c.budget),
                "spent": sdk.Money(c.spent or 0),
            }
            for c in listed
        ]

    with _listing(slug):
        found = rows()
    if as_json:
        _echo_json(found)
        return
    _echo_table(found, ["id", "workspace", "status", "budget", "spent", "name"])


# -- statistics ------------------------------------------------------------------------------
@ads_cli.command("stats", help="A workspace's figures: its campaigns', or its placements'.")
@click.option("--workspace", "slug", required=True, help="The workspace's slug.")
@click.option("--campaign", "campaign_id", type=int, help="One campaign (default: all).")
@click.option(
    "--placements", is_flag=True, help="The workspace's placements (a publisher's figures)."
)
@click.option(
    "--by",
    type=click.Choice(["campaign", "day", "creative", "placement"]),
    help="Lines per campaign (default), day (default with --campaign), creative or placement.",
)
@click.option("--from", "first", help="First day, YYYY-MM-DD (default: 30 days ago).")
@click.option("--to", "last", help="Last day, YYYY-MM-DD (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV, as the reports page exports it.")
def stats(
    slug: str,
    campaign_id: int | None,
    placements: bool,
    by: str | None,
    first: str | None,
    last: str | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    from ent_plugins.ads import reports
    from ent_plugins.ads.models import Campaign

    if as_json and as_csv:
        raise click.UsageError("choose --json or --csv, not both")
    if placements and campaign_id is not None:
        raise click.UsageError("choose --campaign or --placements, not both")
    with _workspace(slug):
        try:
            when = reports.period(_day(first), _day(last))
        except sdk.UserError as exc:
            raise click.ClickException(exc.message) from None
        if placements:
            by = by or "placement"
            if by not in reports.PLACEMENT_GROUPS:
                raise click.UsageError("with --placements, --by is placement or day")
            report = reports.placement_report(when, by)
        else:
            campaign = None
            if campaign_id is not None:
                campaign = sdk.db.session.scalar(
                    sdk.scoped(Campaign).where(Campaign.id == campaign_id)
                )
                if campaign is None:
                    raise click.ClickException(f"{slug} has no campaign {campaign_id}")
            by = by or ("day" if campaign else "campaign")
            if campaign is not None and by == "campaign":
                raise click.UsageError("with --campaign, --by is day, creative or placement")
            report = reports.campaign_report(when, by, campaign)
        if as_csv:
            click.echo(reports.export_csv(report, publisher=placements).lstrip("\ufeff"), nl=False)
            return
        data = _stats_rows(report, placements)
    if as_json:
        _echo_json(
            {
                "workspace": slug,
                "from": when.first,
                "to": when.last,
                "by": report.by,
                "items": data[:-1],
                "totals": data[-1],
            }
        )
        return
    columns = ["key", "name", "impressions", "viewable_rate", "clicks", "ctr", "spend"]
    if placements:
        columns = ["key", "name", "requests", "impressions", "fill_rate", "clicks", "earnings"]
    _echo_table(data, columns)


def _stats_rows(report: Any, publisher: bool) -> list[dict[str, Any]]:
    """The report's lines, then its totals, as plain values."""
    from ent_plugins.ads.reports import Line

    rows = []
    for line in [*report.lines, Line("total", "total", report.totals)]:
        f = line.figures
        row: dict[str, Any] = {
            "key": line.key.isoformat() if isinstance(line.key, date) else line.key,
            "name": line.label,
            "impressions": f.impressions,
            "viewable": f.viewable,
            "viewable_rate": f.viewable_rate,
            "clicks": f.clicks,
            "ctr": f.ctr,
        }
        if publisher:
            row |= {"requests": f.requests, "fill_rate": f.fill_rate, "earnings": f.earnings}
        else:
            row |= {"spend": f.spend}
        rows.append(row)
    return rows
