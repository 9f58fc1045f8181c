"""``ent plan`` and ``ent subscription``: what an operator scripts for onboarding."""

from __future__ import annotations

import json
from typing import Any

import click
from flask.cli import with_appcontext

from ent_core.billing import subscriptions as service
from ent_core.billing.errors import BillingError
from ent_core.billing.plans import list_plans, plan_item
from ent_core.db import all_workspaces, db
from ent_core.workspaces.models import Workspace


@click.group("plan", help="The plan catalogue.")
def plan_group() -> None:
    # An operator's command names its workspaces in its arguments: it works across them.
    click.get_current_context().with_resource(all_workspaces())


@plan_group.command("list", help="Plans on offer (add --all for inactive ones).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--all", "include_inactive", is_flag=True, help="Include inactive plans.")
@with_appcontext
def list_command(as_json: bool, include_inactive: bool) -> None:
    items = [plan_item(p, "en") for p in list_plans(include_inactive=include_inactive)]
    if as_json:
        click.echo(json.dumps(items))
        return
    for item in items:
        click.echo(
            f"{item['code']:<14} {item['price_month']:>10} {item['currency']}/month "
            f"{item['price_year']:>10} {item['currency']}/year  "
            f"VAT {item['vat_rate']}  {', '.join(item['plugins'])}"
            + ("  (add-on)" if item["addon"] else "")
        )


@click.group("subscription", help="A workspace's subscription.")
def subscription_group() -> None:
    # An operator's command names its workspaces in its arguments: it works across them.
    click.get_current_context().with_resource(all_workspaces())


def _workspace(slug: str) -> Workspace:
    workspace = db.session.scalar(db.select(Workspace).where(Workspace.slug == slug))
    if workspace is None:
        raise click.ClickException(f"no workspace {slug!r}")
    return workspace


def _jsonable(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in item.items()}


@subscription_group.command(
    "start", help="Record a paid period (a bank transfer arrived): invoice it, mark it paid."
)
@click.argument("slug")
@click.argument("plan")
@click.option("--months", type=click.IntRange(1, 36), default=1, show_default=True)
@click.option("--yearly", is_flag=True, help="One year at the yearly price.")
@click.option("--reference", default="cli", show_default=True, help="The transfer's reference.")
@with_appcontext
def start_command(slug: str, plan: str, months: int, yearly: bool, reference: str) -> None:
    workspace = _workspace(slug)
    try:
        subscription, invoice = service.start_paid(
            workspace, plan, months=months, yearly=yearly, reference=reference
        )
    except BillingError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(
        f"{slug}: {subscription.plan.code} {subscription.state} until "
        f"{subscription.current_period_end:%Y-%m-%d}; invoice {invoice.number} "
        f"({invoice.total} {invoice.currency}, subscriber {invoice.subscriber_share}) paid."
    )


@subscription_group.command("show", help="The workspace's subscription.")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_appcontext
def show_command(slug: str, as_json: bool) -> None:
    item = service.subscription_item(service.get_subscription(_workspace(slug)), "en")
    if as_json:
        click.echo(json.dumps(_jsonable(item)))
        return
    if item["state"] == "none":
        click.echo(f"{slug}: no subscription")
        return
    click.echo(
        f"{slug}: {item['plan']} ({item['period']}) {item['state']}, period "
        f"{item['current_period_start']:%Y-%m-%d} → {item['current_period_end']:%Y-%m-%d}"
        + (f", then {item['next_plan']}" if item["next_plan"] else "")
    )


@subscription_group.command("cancel", help="Cancel at the end of the paid period.")
@click.argument("slug")
@with_appcontext
def cancel_command(slug: str) -> None:
    try:
        subscription = service.cancel(_workspace(slug), actor=None)
    except BillingError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(
        f"{slug}: {subscription.state}, usable until {subscription.current_period_end:%Y-%m-%d}"
    )
