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


@pytest.fixture
def demo(tmp_path: Path) -> Any:
    """``ent ARGS`` on one fresh instance of the test's own (migrated by ``ent demo``)."""
    return lambda *args: _ent(tmp_path, *args)


def _rows(instance: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """What the demo wrote, read straight from the instance's SQLite file."""
    import sqlite3

    with sqlite3.connect(instance / "ent.sqlite3") as connection:
        return connection.execute(sql, params).fetchall()


def test_the_demo_opens_two_storefronts_and_completes_a_transaction_once(
    demo: Any, tmp_path: Path
) -> None:
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
    events = _rows(
        tmp_path,
        "SELECT transition FROM marketplace_order_event WHERE order_id = ? ORDER BY id",
        order["id"],
    )
    assert [e for (e,) in events] == [
        "quote",
        "accept",
        "pay",
        "confirm_payment",
        "deliver",
        "complete",
    ]
    reviews = _rows(tmp_path, "SELECT side, published_at, listing_id FROM marketplace_review")
    assert sorted(side for side, _, _ in reviews) == ["buyer", "seller"]
    assert all(published for _, published, _ in reviews)
    assert _rows(
        tmp_path,
        "SELECT rating_sum, rating_count FROM marketplace_listing WHERE id = ?",
        reviews[0][2],
    ) == [(5, 1)]
    assert _rows(
        tmp_path,
        "SELECT rating_count, completed_orders FROM marketplace_seller s "
        "JOIN workspace w ON w.id = s.workspace_id WHERE w.slug = 'factcheck-lab'",
    ) == [(1, 1)]
    ((token,),) = _rows(
        tmp_path, "SELECT file_token FROM marketplace_listing WHERE delivery = 'digital'"
    )
    assert (tmp_path / "uploads" / token).read_bytes()[:5] == b"%PDF-"
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
