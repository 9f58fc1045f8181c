"""``ent demo``: two sellers, their listings, and one transaction completed and reviewed
(in the test's database for the rows, then on a fresh instance with the real migrations)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ent_core import sdk


@pytest.fixture
def demo(app_ctx: Any) -> Any:
    from ent_core.demo import load_demo

    runner = app_ctx.test_cli_runner()

    def run(*args: str) -> Any:
        if args == ("demo",):  # the tables exist already: the demo without migrating
            return "\n".join(load_demo())
        result = runner.invoke(args=list(args))
        assert result.exit_code == 0, result.output
        return result.output

    return run


def test_the_demo_opens_two_storefronts_and_completes_a_transaction_once(demo: Any) -> None:
    from ent_plugins.marketplace.models import Listing, Order, Review, SellerProfile

    first = demo("demo")
    assert "  marketplace: factcheck-lab opened its storefront" in first
    assert "  marketplace: studio-atlas lists 'Pack micro reportage' (product)" in first
    assert "lematin-tech bought" in first
    listings = json.loads(demo("marketplace", "listings", "--json"))
    assert sorted((row["workspace"], row["kind"]) for row in listings) == [
        ("factcheck-lab", "product"),
        ("factcheck-lab", "service"),
        ("factcheck-lab", "service"),
        ("studio-atlas", "booking"),
        ("studio-atlas", "product"),
    ]
    (order,) = json.loads(demo("marketplace", "orders", "--status", "completed", "--json"))
    assert order["workspace"] == "factcheck-lab"
    assert order["buyer_workspace"] == "lematin-tech"
    assert order["total"] == {"amount": "5400.00", "currency": "MAD"}
    with sdk.all_workspaces():
        row = sdk.db.session.get(Order, order["id"])
        assert [e.transition for e in row.events] == [
            "quote",
            "accept",
            "pay",
            "confirm_payment",
            "deliver",
            "complete",
        ]
        reviews = list(sdk.db.session.scalars(sdk.db.select(Review)))
        assert sorted(r.side for r in reviews) == ["buyer", "seller"]
        assert all(r.published_at is not None for r in reviews)
        listing = sdk.db.session.get(Listing, reviews[0].listing_id)
        assert (listing.rating_sum, listing.rating_count) == (5, 1)
        profile = sdk.db.session.scalar(
            sdk.db.select(SellerProfile).where(SellerProfile.workspace_id == row.workspace_id)
        )
        assert (profile.rating_count, profile.completed_orders) == (1, 1)
        digital = sdk.db.session.scalar(sdk.db.select(Listing).filter_by(delivery="digital"))
        assert digital.file_token
        with sdk.open_upload(digital.file_token) as stored:
            assert stored.read(5) == b"%PDF-"
    second = demo("demo")
    assert "marketplace:" not in second
    assert len(json.loads(demo("marketplace", "listings", "--json"))) == 5
    assert len(json.loads(demo("marketplace", "orders", "--json"))) == 1


def _ent(instance: Path, *args: str) -> str:
    """``ent ARGS`` in a fresh instance (its own SQLite file, migrated by ``ent demo``)."""
    skipped = {"DATABASE_URL", "REDIS_URL"}
    env = {name: value for name, value in os.environ.items() if name not in skipped}
    env |= {"ENT_INSTANCE_PATH": str(instance), "ENT_ENV": "development"}
    command = [str(Path(sys.executable).parent / "ent"), *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_demo_on_a_fresh_instance_with_the_migrations(tmp_path: Path) -> None:
    first = _ent(tmp_path, "demo")
    assert "  added the marketplace add-on to factcheck-lab" in first
    assert "  switched on marketplace for studio-atlas" in first
    assert "(MP-" in first
    orders = json.loads(_ent(tmp_path, "marketplace", "orders", "--json"))
    assert [(o["workspace"], o["status"]) for o in orders] == [("factcheck-lab", "completed")]
    assert "marketplace:" not in _ent(tmp_path, "demo")
