"""``ent governance ...``: what a secretary or treasurer does from a terminal, for a script or
a cron: the registry in and out as CSV, the payments out, reminders, votes and their results.

Every command names the association by its slug and works in it as one of its requests would
(``sdk.working_in``); exits non-zero with the reason on stderr when it cannot.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup

from ent_core import sdk


@contextmanager
def _association(slug: str) -> Iterator[Any]:
    """Work in ``slug``, refusing a workspace that does not exist or has the module off."""
    with ExitStack() as stack:
        try:
            workspace = stack.enter_context(sdk.working_in(slug, plugin="governance"))
        except LookupError as exc:
            raise click.ClickException(str(exc)) from None
        yield workspace


def _write(text: str, output: str | None) -> None:
    if output in (None, "-"):
        click.echo(text, nl=False)
    else:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}", err=True)


@click.group("governance", cls=AppGroup, help="Governance: registry, dues, votes.")
def governance_cli() -> None:
    """Group of the governance commands."""


@governance_cli.group("members", help="The member registry.")
def members_cli() -> None:
    """Registry commands."""


@members_cli.command("export", help="Write the registry as CSV (Excel-ready: UTF-8, ';').")
@click.argument("slug")
@click.option("--output", "-o", help="File to write (default: standard output).")
def members_export(slug: str, output: str | None) -> None:
    from ent_plugins.governance import dues, members
    from ent_plugins.governance.models import Member
    from sqlalchemy.orm import joinedload

    with _association(slug) as workspace:
        today = sdk.local_today(workspace)
        filters = members.Filters(include_left=True)
        statement = members.registry_statement(filters, today).options(joinedload(Member.category))
        rows = list(sdk.db.session.scalars(statement.order_by(Member.id)))
        statuses = dues.statuses_on(today, [m.id for m in rows]) if rows else {}
        sdk.audit("governance.members_exported", details={"count": len(rows), "via": "cli"})
        sdk.db.session.commit()
        _write(members.export_csv(rows, statuses), output)


@members_cli.command("import", help="Add the members of a CSV file (all or nothing).")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every line, write nothing.")
def members_import(slug: str, path: Path, dry_run: bool) -> None:
    from ent_plugins.governance import members

    with _association(slug):
        report = members.import_members(path.read_bytes(), dry_run=dry_run)
        for error in report.errors:
            click.echo(f"line {error.line}, {error.column}: {error.message}", err=True)
        if not report.ok:
            sys.exit(1)
        verb = "would add" if dry_run else "added"
        click.echo(f"{verb} {len(report.rows)} member(s) to {slug}")


@governance_cli.group("payments", help="Dues payments.")
def payments_cli() -> None:
    """Payment commands."""


@payments_cli.command("export", help="Write the dues payments as CSV.")
@click.argument("slug")
@click.option("--year", type=int, help="Only the payments for this year's dues.")
@click.option("--output", "-o", help="File to write (default: standard output).")
def payments_export(slug: str, year: int | None, output: str | None) -> None:
    from ent_plugins.governance import payments
    from ent_plugins.governance.models import DuesPayment

    with _association(slug):
        statement = payments.payments_statement(year=year).order_by(DuesPayment.id)
        _write(payments.export_csv(sdk.db.session.scalars(statement)), output)


@governance_cli.command("remind", help="Mail a reminder to each late or lapsed member now.")
@click.argument("slug")
def remind(slug: str) -> None:
    from ent_plugins.governance import payments

    with _association(slug) as workspace:
        sent = payments.send_reminders(workspace, sdk.local_today(workspace))
        click.echo(f"{sent} reminder(s) sent")


@governance_cli.group("votes", help="Votes and their results.")
def votes_cli() -> None:
    """Vote commands."""


@votes_cli.command("list", help="List the association's votes.")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def votes_list(slug: str, as_json: bool) -> None:
    from ent_plugins.governance.models import Vote
    from sqlalchemy import select

    with _association(slug):
        rows = [
            {
                "id": v.id,
                "title": v.title,
                "status": v.status,
                "secret": v.ballot == "secret",
                "closes_at": v.closes_at.isoformat() if v.closes_at else None,
            }
            for v in sdk.db.session.scalars(select(Vote).order_by(Vote.id))
        ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['id']}\t{row['status']}\t{row['title']}")


@votes_cli.command("results", help="Print the results of a closed vote.")
@click.argument("slug")
@click.argument("vote_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def votes_results(slug: str, vote_id: int, as_json: bool) -> None:
    from ent_plugins.governance import votes
    from ent_plugins.governance.models import Vote

    with _association(slug):
        vote = sdk.db.session.get(Vote, vote_id)
        if vote is None:
            raise click.ClickException(f"no vote {vote_id} in {slug!r}")
        try:
            result = votes.results(vote)
        except sdk.UserError as exc:
            raise click.ClickException(str(exc.message)) from None
        labels = votes.option_labels(vote)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(vote.title)
    for option_id, count in sorted(result["counts"].items(), key=lambda item: -item[1]):
        click.echo(f"  {count}\t{labels.get(option_id, option_id)}")
    outcome = result["outcome"]
    if outcome.get("adopted") is not None:
        click.echo("adopted" if outcome["adopted"] else "rejected")
    click.echo(f"{result['participants']} of {result['electorate']} voted")
