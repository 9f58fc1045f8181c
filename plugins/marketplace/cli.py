"""``ent marketplace ...``: the operator's commands (categories, listings, orders, timeouts).

The group is created here; the other parts add their commands to it in their own
``cli_commands`` (``group(cli)`` gives it to them whichever part runs first). List commands
work across workspaces (or in one with ``--workspace``) and take ``--json``; every command
exits non-zero with the reason on stderr when it cannot (CONVENTIONS.md, "CLI").
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, datetime
from typing import Any

import click
from flask.cli import AppGroup

from ent_core import sdk


@click.group("marketplace", cls=AppGroup, help="Marketplace: categories, listings, orders.")
def marketplace_cli() -> None:
    """Group of the marketplace commands."""


def group(cli: Any) -> Any:
    """The ``ent marketplace`` group, added to ``cli`` if no part did yet: any part's
    ``cli_commands`` may call it and ``add_command`` to what it returns."""
    found = cli.commands.get("marketplace")
    if found is None:
        cli.add_command(marketplace_cli)
        found = marketplace_cli
    elif found is not marketplace_cli:
        # A part made a group of its own first: keep its commands, in ours.
        for name, command in found.commands.items():
            marketplace_cli.commands.setdefault(name, command)
        cli.commands["marketplace"] = marketplace_cli
        found = marketplace_cli
    return found


@contextmanager
def _where(slug: str | None) -> Iterator[Any]:
    """``slug``'s rows as one of its requests sees them (refused when unknown or with the
    marketplace off), or every workspace's."""
    with ExitStack() as stack:
        if slug is None:
            yield stack.enter_context(sdk.all_workspaces())
            return
        try:
            yield stack.enter_context(sdk.working_in(slug, plugin="marketplace"))
        except LookupError as exc:
            raise click.ClickException(str(exc)) from None


def _json(value: Any) -> Any:
    """Money as the API writes it, times in ISO 8601, anything else (Decimal) as text."""
    if isinstance(value, sdk.Money):
        return value.to_json()
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def _echo(rows: list[dict[str, Any]], columns: list[str], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=_json))
        return
    click.echo("\t".join(columns))
    for row in rows:
        click.echo("\t".join(_cell(row[c]) for c in columns))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, sdk.Money):
        return str(value.amount)
    return str(value)


def _slugs(ids: Iterable[int]) -> dict[int, str]:
    return {wid: found.slug for wid, found in sdk.workspace_names(set(ids)).items()}


def _choice(value: str | None, known: dict[str, Any], option: str) -> None:
    if value is not None and value not in known:
        raise click.BadParameter(f"{value!r} is not one of {', '.join(known)}", param_hint=option)


# -- categories ------------------------------------------------------------------------------
def _category_row(category: Any) -> dict[str, Any]:
    from ent_plugins.marketplace.category_editing import rate_to_percent

    names = category.names or {}
    return {
        "code": category.code,
        "sector": category.sector,
        "name_fr": names.get("fr", ""),
        "name_en": names.get("en", ""),
        "name_ar": names.get("ar", ""),
        "commission_percent": f"{rate_to_percent(category.commission_rate):f}",
        "position": category.position,
        "active": bool(category.active),
    }


@marketplace_cli.command("categories", help="List the categories and their commissions.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def categories(as_json: bool) -> None:
    from ent_plugins.marketplace.category_editing import all_categories

    rows = [_category_row(c) for c in all_categories()]
    columns = ["code", "sector", "commission_percent", "active", "position", "name_fr"]
    _echo(rows, columns, as_json)


@marketplace_cli.command("category", help="Change a category's commission or state.")
@click.argument("code")
@click.option("--commission", help="The commission in percent, 0 to 50 (8 = 8 %).")
@click.option("--active/--inactive", default=None, help="Open or close it to listings.")
@click.option("--json", "as_json", is_flag=True, help="Print the category as JSON.")
def category(code: str, commission: str | None, active: bool | None, as_json: bool) -> None:
    from ent_plugins.marketplace.categories import category_by_code
    from ent_plugins.marketplace.category_editing import update_category

    if commission is None and active is None:
        raise click.UsageError("give --commission, --active or --inactive")
    found = category_by_code(code)
    if found is None:
        raise click.ClickException(f"no category is named {code!r}")
    try:
        update_category(found, {"commission_percent": commission, "active": active}, actor=None)
    except sdk.UserError as exc:
        sdk.db.session.rollback()
        raise click.ClickException(str(exc.message)) from None
    sdk.db.session.commit()
    row = _category_row(found)
    if as_json:
        _echo(row, [], True)  # type: ignore[arg-type]
        return
    state = "open" if row["active"] else "closed"
    click.echo(f"{code}: commission {row['commission_percent']} %, {state}")


# -- listings and orders ---------------------------------------------------------------------
@marketplace_cli.command("listings", help="List listings (every workspace's, or one's).")
@click.option("--workspace", "slug", help="Only this workspace's listings (its slug).")
@click.option("--status", help="Only listings in this status (draft, pending, published...).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def listings(slug: str | None, status: str | None, as_json: bool) -> None:
    from ent_plugins.marketplace.catalogues import LISTING_STATUSES
    from ent_plugins.marketplace.models import Listing

    _choice(status, LISTING_STATUSES, "--status")
    with _where(slug):
        statement = sdk.db.select(Listing).order_by(Listing.id.desc())
        if status:
            statement = statement.where(Listing.status == status)
        found = list(sdk.db.session.scalars(statement))
        names = _slugs(row.workspace_id for row in found)
        rows = [
            {
                "id": row.id,
                "workspace": names.get(row.workspace_id, ""),
                "kind": row.kind,
                "status": row.status,
                "category": row.category.code,
                "price": sdk.Money(row.price) if row.price is not None else None,
                "stock": row.stock,
                "sales": row.sales_count,
                "title": row.title,
            }
            for row in found
        ]
    _echo(rows, ["id", "workspace", "kind", "status", "price", "category", "title"], as_json)


@marketplace_cli.command("orders", help="List orders (every workspace's, or one seller's).")
@click.option("--workspace", "slug", help="Only this seller's orders (its slug).")
@click.option("--status", help="Only orders in this status (inquiry, paid, completed...).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def orders(slug: str | None, status: str | None, as_json: bool) -> None:
    from ent_plugins.marketplace.catalogues import ORDER_STATUSES
    from ent_plugins.marketplace.models import Order

    _choice(status, ORDER_STATUSES, "--status")
    with _where(slug):
        statement = sdk.db.select(Order).order_by(Order.id.desc())
        if status:
            statement = statement.where(Order.status == status)
        found = list(sdk.db.session.scalars(statement))
        names = _slugs(
            [row.workspace_id for row in found]
            + [row.buyer_workspace_id for row in found if row.buyer_workspace_id]
        )
        rows = [
            {
                "id": row.id,
                "reference": row.reference,
                "workspace": names.get(row.workspace_id, ""),
                "process": row.process,
                "status": row.status,
                "buyer": row.buyer.email if row.buyer is not None else None,
                "buyer_workspace": names.get(row.buyer_workspace_id or 0),
                "total": sdk.Money(row.total),
                "commission": sdk.Money(row.commission),
                "created_at": row.created_at,
                "expires_at": row.expires_at,
            }
            for row in found
        ]
    columns = ["id", "reference", "workspace", "process", "status", "total", "buyer"]
    _echo(rows, columns, as_json)


# -- timeouts --------------------------------------------------------------------------------
def marketplace_schedules() -> list[Any]:
    """The schedules the parts register (``marketplace.*``), in the parts' order."""
    from ent_plugins.marketplace.parts import collect

    return [s for s in collect("schedules") if s.name.startswith("marketplace.")]


def _function(func: Any) -> Any:
    if not isinstance(func, str):
        return func
    module, _, name = func.partition(":")
    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


@marketplace_cli.command(
    "expire",
    help="Run the marketplace's timeouts now (unanswered inquiries, holds, unpaid orders, "
    "automatic completion...) instead of waiting for the workers.",
)
@click.option("--only", "names", multiple=True, help="Only this schedule (repeatable).")
def expire(names: tuple[str, ...]) -> None:
    schedules = marketplace_schedules()
    known = {s.name for s in schedules}
    unknown = [n for n in names if n not in known]
    if unknown:
        listed = ", ".join(sorted(known)) or "none"
        raise click.ClickException(f"unknown schedule {unknown[0]!r} (known: {listed})")
    ran = [s for s in schedules if not names or s.name in names]
    for schedule in ran:
        result = _function(schedule.func)()
        sdk.db.session.commit()
        said = f": {result}" if result is not None else ""
        click.echo(f"ran {schedule.name}{said}")
    if not ran:
        click.echo("no marketplace schedule is registered")
