"""``ent marketplace listings|orders|expire``: the operator's views and the timeouts."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from ent_plugins.marketplace.tests.conftest import make_listing

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock


@pytest.fixture
def run(app_ctx: Any) -> Any:
    runner = app_ctx.test_cli_runner()
    return lambda *args: runner.invoke(args=["marketplace", *args])


def _order(seller: Any, listing: Any, buyer: Any, status: str = "inquiry") -> Any:
    from ent_plugins.marketplace.models import Order

    with sdk.all_workspaces():
        order = Order(
            workspace_id=seller.id,
            reference=f"MP-2026-{listing.id:06d}",
            process="inquiry",
            status=status,
            buyer_id=buyer.id,
            total=Decimal("1800.00"),
        )
        sdk.db.session.add(order)
        sdk.db.session.commit()
    return order


def test_listings_across_workspaces_or_in_one(run: Any, seller: Any, make_workspace: Any) -> None:
    make_listing(seller)
    make_listing(seller, "Brouillon", status="draft")
    other = make_workspace("studio-atlas", plugins=("marketplace",))
    make_listing(other, "Heure de studio")
    rows = json.loads(run("listings", "--json").output)
    assert sorted((r["workspace"], r["title"]) for r in rows) == [
        ("factcheck-lab", "Brouillon"),
        ("factcheck-lab", "Vérification d'une enquête"),
        ("studio-atlas", "Heure de studio"),
    ]
    assert rows[-1]["price"] == {"amount": "1500.00", "currency": "MAD"}
    one = run("listings", "--workspace", "factcheck-lab", "--status", "draft", "--json")
    assert [r["title"] for r in json.loads(one.output)] == ["Brouillon"]
    text = run("listings").output.splitlines()
    assert text[0].split("\t") == [
        "id",
        "workspace",
        "kind",
        "status",
        "price",
        "category",
        "title",
    ]


def test_orders_with_their_status_and_amounts(
    run: Any, seller: Any, user: Any, newsroom: Any
) -> None:
    listing = make_listing(seller)
    order = _order(seller, listing, user)
    rows = json.loads(run("orders", "--status", "inquiry", "--json").output)
    assert [(r["reference"], r["buyer"], r["total"]["amount"]) for r in rows] == [
        (order.reference, user.email, "1800.00")
    ]
    assert json.loads(run("orders", "--status", "paid", "--json").output) == []


def test_unknown_workspaces_statuses_and_modules_off_exit_non_zero(run: Any, newsroom: Any) -> None:
    assert run("listings", "--workspace", "nowhere").exit_code == 1
    off = run("orders", "--workspace", "matin-tech")
    assert off.exit_code == 1
    assert "marketplace module is off" in off.output
    assert run("orders", "--status", "lost").exit_code == 2


def test_expire_runs_the_marketplace_schedules_now(
    run: Any, monkeypatch: Any, seller: Any, user: Any
) -> None:
    from ent_plugins.marketplace import cli, process
    from ent_plugins.marketplace.models import Order

    listing = make_listing(seller)
    order = _order(seller, listing, user)

    def expire_inquiries() -> int:
        with sdk.all_workspaces():
            late = list(
                sdk.db.session.scalars(sdk.db.select(Order).where(Order.status.in_(process.OPEN)))
            )
            for found in late:
                process.move(found, "expire", side="system")
        return len(late)

    schedules = [
        sdk.Schedule("marketplace.expire_orders", expire_inquiries, timedelta(minutes=5)),
        sdk.Schedule("marketplace.other", lambda: None, timedelta(hours=1)),
    ]
    monkeypatch.setattr(cli, "marketplace_schedules", lambda: schedules)
    only = run("expire", "--only", "marketplace.expire_orders")
    assert only.exit_code == 0, only.output
    assert only.output == "ran marketplace.expire_orders: 1\n"
    with sdk.all_workspaces():
        assert sdk.db.session.get(Order, order.id).status == "expired"
    again = run("expire")
    assert again.exit_code == 0, again.output
    assert again.output.splitlines() == [
        "ran marketplace.expire_orders: 0",
        "ran marketplace.other",
    ]
    assert run("expire", "--only", "marketplace.nothing").exit_code == 1


def test_the_schedules_found_are_the_parts_marketplace_ones(app_ctx: Any) -> None:
    from ent_plugins.marketplace.cli import marketplace_schedules

    assert all(s.name.startswith("marketplace.") for s in marketplace_schedules())


def test_a_part_that_made_the_group_first_keeps_its_commands(app_ctx: Any) -> None:
    import click
    from ent_plugins.marketplace.cli import group, marketplace_cli

    cli = click.Group("ent")
    early = click.Group("marketplace")
    early.add_command(click.Command("payouts"))
    cli.add_command(early)
    found = group(cli)
    assert found is marketplace_cli and cli.commands["marketplace"] is marketplace_cli
    assert {"payouts", "categories", "expire"} <= set(found.commands)
    marketplace_cli.commands.pop("payouts")
