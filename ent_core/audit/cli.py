"""``ent audit list``: read the audit trail from scripts."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from ent_core.audit.queries import events_page
from ent_core.db import all_workspaces


@click.group("audit", help="Read the audit trail.")
def audit_group() -> None:
    # An operator's command names its workspaces in its arguments: it works across them.
    click.get_current_context().with_resource(all_workspaces())


@audit_group.command("list", help="Newest events first.")
@click.option("--workspace", "slug", help="Only this workspace's events.")
@click.option("--action", default="", help="An action (auth.sign_in) or a family (auth).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_appcontext
def list_events(slug: str | None, action: str, limit: int, as_json: bool) -> None:
    events, _ = events_page(workspace_slug=slug, action=action, limit=limit)
    if as_json:
        click.echo(json.dumps(events, default=str, ensure_ascii=False))
        return
    for e in events:
        click.echo(
            f"{e['created_at']:%Y-%m-%d %H:%M:%S} {e['action']:<24} "
            f"{e['actor'] or '-':<28} {e['workspace'] or '-':<16} {e['subject']}"
        )
