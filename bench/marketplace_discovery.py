"""The public marketplace with 50,000 listings from 1,000 sellers: home and search.

    .venv/bin/python bench/marketplace_discovery.py             # 200 requests per page
    .venv/bin/python bench/marketplace_discovery.py --quick     # 50 requests per page

Issue #18's "Measured" target: the marketplace home and its searches answer in under 150 ms
(p95), in the same number of SQL statements at 1,000 listings as at 50,000. A fresh
PostgreSQL database (127.0.0.1, dropped at the end), migrated with ``ent db upgrade``, the
production settings and a private Redis (``_common.environment``); the platform in process,
the Flask test client (the request's own work, no HTTP server). 1,000 approved workspaces
with the marketplace on (bulk-inserted activations) sell listings bulk-inserted with their
search documents (``search_text.document_text``, as the ORM event writes them), spread over
the categories, with prices, ratings and French, English or Arabic titles.
**Baseline, same run, same client:** ``/healthz`` and the portal's home. SQL statements per
request are recorded on a steady request and must be equal between the sizes. Memory: the
resident peak (``ru_maxrss``). Figures: docs/performance.md ("Marketplace: discovery").
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import _common  # noqa: E402 - bench/ is on the path now
import run as core_bench  # noqa: E402

TARGET_P95_MS = 150.0
SELLERS = 1000
SIZES = (1_000, 50_000)
WORDS = (
    "vérification", "enquête", "données", "formation", "podcast", "vidéo", "thème",
    "extension", "logiciel", "rédaction", "audit", "désinformation", "reportage",
    "environnement", "association", "studio",
)  # fmt: skip
ARABIC = ("تحقق", "الأخبار", "تكوين", "بودكاست", "فيديو", "بيئة")
PAGES = {
    "healthz (baseline)": "/healthz",
    "portal home (baseline)": "/portal/",
    "marketplace home": "/marketplace/",
    "search q=enquete": "/marketplace/search?q=enquete",
    "search q=الاخبار": "/marketplace/search?q=%D8%A7%D9%84%D8%A7%D8%AE%D8%A8%D8%A7%D8%B1",
    "search filters+price sort": (
        "/marketplace/search?category=fact-checking&price_min=100&price_max=3000&sort=price_asc"
    ),
    "search rating sort": "/marketplace/search?sort=rating&min_rating=3",
    "API listings": "/api/v1/marketplace/listings?q=formation",
}


def seed_sellers(app: Any) -> list[int]:
    """1,000 approved workspaces (IT sector) with the marketplace on."""
    from sqlalchemy import insert

    from ent_core import sdk
    from ent_core.identity.models import User
    from ent_core.workspaces.models import PluginActivation
    from ent_core.workspaces.service import create_workspace

    now = datetime.now(UTC)
    with app.app_context(), sdk.all_workspaces():
        owner = User(email="owner@market.example", name="Vendeuse", email_verified_at=now)
        sdk.db.session.add(owner)
        sdk.db.session.commit()
        ids = []
        for n in range(SELLERS):
            workspace = create_workspace(
                slug=f"vendeur-{n:04d}", name=f"Vendeur {n:04d}", kind="auto_entrepreneur",
                owner=owner, sectors=("it",), status="approved",
            )  # fmt: skip
            ids.append(workspace.id)
        sdk.db.session.execute(
            insert(PluginActivation),
            [{"workspace_id": i, "plugin": "marketplace", "enabled": True, "settings": {},
              "enabled_at": now} for i in ids],
        )  # fmt: skip
        sdk.db.session.commit()
        return ids


def seed_listings(app: Any, sellers: list[int], start: int, stop: int) -> None:
    """Listings ``start``..``stop`` and their search documents, in bulk (5,000 a statement)."""
    from ent_plugins.marketplace.categories import active_categories, seed_categories
    from ent_plugins.marketplace.models import Listing
    from ent_plugins.marketplace.models.search import ListingSearchDocument
    from ent_plugins.marketplace.search_text import document_text
    from sqlalchemy import insert, select

    from ent_core import sdk

    now = datetime.now(UTC)
    with app.app_context(), sdk.all_workspaces():
        seed_categories()
        sdk.db.session.commit()
        categories = active_categories()
        for chunk in range(start, stop, 5000):
            rows = []
            for n in range(chunk, min(stop, chunk + 5000)):
                category = categories[n % len(categories)]
                words = [WORDS[(n * 7 + k) % len(WORDS)] for k in range(3)]
                title = " ".join(words).capitalize() if n % 5 else " ".join(ARABIC[n % 6 :][:2])
                rows.append(
                    {"workspace_id": sellers[n % len(sellers)], "kind": "service", "unit": "day",
                     "title": f"{title} {n}", "description": f"Offre {n}: " + " ".join(words * 8),
                     "language": "ar" if n % 5 == 0 else "fr", "category_id": category.id,
                     "sector": category.sector,
                     "price": None if n % 11 == 0 else Decimal(100 + (n * 37) % 5000),
                     "vat_rate": Decimal("0.20"), "location": ("Rabat", "Casablanca", "Fès")[n % 3],
                     "status": "published" if n % 10 else "draft",
                     "published_at": now - timedelta(minutes=n), "rating_sum": (n % 6) * 3,
                     "rating_count": 3 if n % 6 else 0,
                     "rating_average": Decimal(n % 6) if n % 6 else None,
                     "created_at": now, "updated_at": now,
                     "hold_minutes": 0, "file_name": "", "delivery": "", "rejection_reason": "",
                     "pending_changes": {}, "sales_count": 0}
                )  # fmt: skip
            ids = list(sdk.db.session.scalars(insert(Listing).returning(Listing.id), rows))
            docs = [
                {"listing_id": i, "document": document_text([r["title"], r["description"],
                                                             r["location"]])}
                for i, r in zip(ids, rows, strict=True)
            ]  # fmt: skip
            sdk.db.session.execute(insert(ListingSearchDocument), docs)
            sdk.db.session.commit()
        sdk.db.session.execute(sdk.db.text("ANALYZE"))
        sdk.db.session.commit()
        assert sdk.db.session.scalar(select(sdk.db.func.count(Listing.id))) == stop


def measure(app: Any, requests: int) -> dict[str, dict[str, float]]:
    """p50/p95 (ms) and SQL statements of each page, after a warm-up."""
    from sqlalchemy import event

    from ent_core.db import db

    client = app.test_client()
    figures: dict[str, dict[str, float]] = {}
    for name, url in PAGES.items():
        for _ in range(5):
            assert client.get(url).status_code == 200, (name, url)
        seen: list[str] = []
        with app.app_context():
            engine = db.engine

        def record(*args: Any, seen: list[str] = seen) -> None:
            seen.append(args[2])

        event.listen(engine, "before_cursor_execute", record)
        client.get(url)
        event.remove(engine, "before_cursor_execute", record)
        times = []
        for _ in range(requests):
            began = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        times.sort()
        figures[name] = {
            "p50": statistics.median(times),
            "p95": times[int(len(times) * 0.95) - 1],
            "sql": len(seen),
        }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 requests per page")
    opts = parser.parse_args(argv)
    requests = 50 if opts.quick else 200
    with _common.environment("market"):
        from ent_core import create_app

        app = create_app()
        core_bench.migrate(app)
        sellers = seed_sellers(app)
        results = {}
        previous = 0
        for size in SIZES:
            seed_listings(app, sellers, previous, size)
            previous = size
            results[size] = measure(app, requests)
            core_bench.say(f"measured at {size} listings")
    print(f"{'page':32} " + " ".join(f"{s:>8} p50 {s:>8} p95  sql" for s in SIZES))
    ok = True
    for name in PAGES:
        cells = []
        for size in SIZES:
            f = results[size][name]
            cells.append(f"{f['p50']:12.1f} {f['p95']:12.1f} {int(f['sql']):4d}")
        counts = {results[s][name]["sql"] for s in SIZES}
        flag = "" if len(counts) == 1 else "  <- SQL count differs"
        if "baseline" not in name and results[SIZES[-1]][name]["p95"] > TARGET_P95_MS:
            flag += "  <- over target"
        ok = ok and not flag
        print(f"{name:32} " + " ".join(cells) + flag)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MB; target p95 < {TARGET_P95_MS:.0f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
