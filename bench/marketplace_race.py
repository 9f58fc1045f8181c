"""Marketplace: 200 buyers racing for the last 10 items, and for a slot of 10 places.

Each buyer is an account with its own API token and its own Flask test client, in its own
thread (so its own database session and transaction); a barrier releases them together on
``POST /api/v1/marketplace/orders``. The guarded ``UPDATE``s must sell exactly 10 and refuse
the others with 409. The baseline is the same 200 threads on ``GET /api/v1/me`` (the
platform's cost of a request: token, charter gate, session), so the race's own cost reads as
the difference. Figures go to docs/performance.md, "Marketplace: races".

    .venv/bin/python bench/marketplace_race.py            # a fresh PostgreSQL database
    .venv/bin/python bench/marketplace_race.py --buyers 400 --stock 10
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import secrets
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import run as core_bench  # noqa: E402 - bench/ is on the path now

SELLER = "factcheck-lab"


def build(database_url: str, buyers: int, stock: int) -> tuple[Any, dict[str, Any]]:
    """The platform with a seller (a product of ``stock`` units, a slot of ``stock`` places)
    and ``buyers`` accounts, each with a token and the charter signed."""
    from sqlalchemy import insert, select

    from ent_core import create_app, sdk
    from ent_core.billing.testing import entitle
    from ent_core.identity.models import ApiToken, User
    from ent_core.reference_data import ensure_reference_data
    from ent_core.workspaces.service import create_workspace, enable_plugin

    app = create_app({"ENT_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    now = datetime.now(UTC)
    with app.app_context(), sdk.all_workspaces():
        from ent_plugins.marketplace.categories import category_by_code, seed_categories
        from ent_plugins.marketplace.models import Listing, ListingSlot

        sdk.db.drop_all()
        sdk.db.create_all()
        ensure_reference_data()
        seed_categories()
        owner = User(email="owner@factcheck.ma", name="Seller", password_hash="-")  # noqa: S106
        sdk.db.session.add(owner)
        sdk.db.session.commit()
        seller = create_workspace(
            slug=SELLER, name="FactCheck Lab", kind="media", owner=owner, sectors=("it",),
            status="approved",
        )  # fmt: skip
        entitle(seller, ["marketplace"])
        enable_plugin(seller, "marketplace", actor=None)
        category = category_by_code("fact-checking")
        common = {
            "workspace_id": seller.id,
            "category_id": category.id,
            "sector": "it",
            "status": "published",
            "published_at": now,
            "vat_rate": Decimal("0.20"),
        }
        product = Listing(title="Rapport", kind="product", delivery="physical",
                          price=Decimal("200.00"), stock=stock, **common)  # fmt: skip
        workshop = Listing(title="Atelier", kind="booking", price=Decimal("900.00"), **common)
        sdk.db.session.add_all([product, workshop])
        sdk.db.session.flush()
        slot = ListingSlot(
            workspace_id=seller.id,
            listing_id=workshop.id,
            capacity=stock,
            starts_at=now + timedelta(days=7),
            ends_at=now + timedelta(days=7, hours=2),
        )
        sdk.db.session.add(slot)
        sdk.db.session.execute(
            insert(User),
            [{"email": f"b{i}@example.ma", "name": f"Buyer {i}", "password_hash": "-",
              "email_verified_at": now} for i in range(buyers)],
        )  # fmt: skip
        ids = list(sdk.db.session.scalars(select(User.id).where(User.id != owner.id)))
        core_bench.sign_charter(ids, now)
        tokens = [f"ent_{secrets.token_urlsafe(32)}" for _ in ids]
        sdk.db.session.execute(
            insert(ApiToken),
            [{"user_id": uid, "name": "bench", "prefix": t[:10],
              "token_hash": hashlib.sha256(t.encode()).hexdigest()}
             for uid, t in zip(ids, tokens, strict=True)],
        )  # fmt: skip
        sdk.db.session.commit()
        seeded = {"tokens": tokens, "product": product.id, "workshop": workshop.id, "slot": slot.id}
    return app, seeded


def race(
    app: Any, tokens: list[str], call: Callable[[Any, dict[str, str]], int]
) -> tuple[list[int], float]:
    """Every token in its own thread with its own client, released together: statuses, seconds."""
    barrier = threading.Barrier(len(tokens) + 1)
    statuses: list[int] = [0] * len(tokens)

    def run(i: int) -> None:
        client = app.test_client()
        headers = {"Authorization": f"Bearer {tokens[i]}"}
        barrier.wait(timeout=60)
        try:
            statuses[i] = call(client, headers)
        except Exception:
            statuses[i] = -1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(tokens))]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=60)
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=600)
    return statuses, time.perf_counter() - started


def remaining(app: Any, seeded: dict[str, Any]) -> tuple[int, int]:
    from ent_core import sdk

    with app.app_context(), sdk.all_workspaces():
        from ent_plugins.marketplace.models import Listing, ListingSlot

        return (
            sdk.db.session.get(Listing, seeded["product"]).stock,
            sdk.db.session.get(ListingSlot, seeded["slot"]).taken,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--buyers", type=int, default=200)
    parser.add_argument("--stock", type=int, default=10)
    parser.add_argument("--database-url", default=None, help="default: a fresh PostgreSQL one")
    args = parser.parse_args()
    db_name = None
    url = args.database_url
    if url is None:
        db_name = f"ent_bench_mprace_{datetime.now(UTC).strftime('%Y%m%dt%H%M%Sz')}"
        url = core_bench.create_database(db_name)
    try:
        core_bench.say(f"seeding {args.buyers} buyers, {args.stock} items and places")
        app, seeded = build(url, args.buyers, args.stock)
        tokens = seeded["tokens"]
        base, base_s = race(app, tokens, lambda c, h: c.get("/api/v1/me", headers=h).status_code)
        buy = {"listing_id": seeded["product"]}
        sold, sold_s = race(
            app, tokens,
            lambda c, h: c.post("/api/v1/marketplace/orders", json=buy, headers=h).status_code,
        )  # fmt: skip
        book = {"listing_id": seeded["workshop"], "slot_id": seeded["slot"]}
        booked, booked_s = race(
            app, tokens,
            lambda c, h: c.post("/api/v1/marketplace/orders", json=book, headers=h).status_code,
        )  # fmt: skip
        stock_left, taken = remaining(app, seeded)
    finally:
        if db_name:
            core_bench.drop_database(db_name)
    n = args.buyers
    print(f"database: {url.split(':')[0]} {core_bench.postgres_version() if db_name else ''}, "
          f"{n} threads, Flask test client each")  # fmt: skip
    print(f"baseline GET /api/v1/me: {base.count(200)}/{n} ok in {base_s:.2f} s")
    for name, statuses, seconds, left in (
        ("items", sold, sold_s, f"stock left {stock_left}"),
        ("places", booked, booked_s, f"taken {taken}"),
    ):
        won, lost = statuses.count(201), statuses.count(409)
        print(
            f"{name}: {won} sold, {lost} refused (409), {n - won - lost} other; "
            f"{left}; {seconds:.2f} s ({seconds / base_s:.2f} x the baseline)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the process: {peak:.0f} MB")
    ok = sold.count(201) == args.stock and booked.count(201) == args.stock and stock_left == 0
    print("exactly as many sales as units: " + ("yes" if ok else "NO"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
