"""The publishing plugin's public site versus bare Flask, on PostgreSQL under gunicorn, with wrk.

    .venv/bin/python bench/publishing.py                      # 10,000 articles, 3 rounds of 10 s
    .venv/bin/python bench/publishing.py --quick              # 10,000 articles, 1 round of 3 s
    .venv/bin/python bench/publishing.py --articles 200000    # the large case (a quiet machine!)

Creates a fresh database on 127.0.0.1:5432, migrates it, seeds the platform as ``bench/run.py``
does (a smaller population), then bulk-inserts ``--articles`` published articles (authors,
sectors, tags) into the bench workspace. It measures the anonymous **workspace home** (the 20
latest) and an **article page** in the middle of the archive, on the platform and on a bare
Flask app (``create_baseline`` below) that sends PostgreSQL the same statements, captured from
one steady platform request, and renders a page of the same shape. It prints throughput, p50
and p99 latency, SQL queries per page and the ratio platform/baseline, and writes
``bench/results/publishing-<articles>-<timestamp>.json``.

The issue's targets: at least 60% of the baseline's throughput; the same number of SQL queries
per page whatever the size (compare the ``queries`` of the 10,000 and 200,000 runs); p50 at
200,000 articles within 1.3x of 10,000. Figures go to docs/performance.md. Needs wrk,
redis-server and a local PostgreSQL (trust authentication for ``postgres`` on loopback).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

#: The issue's throughput target for public pages (platform / baseline).
TARGET_RATIO = 0.60
CHUNK = 5_000
AUTHORS = 40
TAGS = 120
SECTORS = ("it", "green", "civil_society")
BODY = "\n\n".join(
    f"Paragraphe {n} : le **numérique** marocain avance, entre *cloud* souverain, data centers "
    f"et formation des talents. [Source](https://example.ma/{n})."
    for n in range(6)
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="1 round of 3 s")
    parser.add_argument("--duration", type=int)
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep-db", action="store_true")
    return parser.parse_args(argv)


def seed_articles(app: Any, slug: str, count: int) -> str:
    """``count`` published articles in workspace ``slug``; returns a slug mid-archive."""
    from ent_plugins.publishing.content import render_body
    from ent_plugins.publishing.models import (
        Article,
        ArticleAuthor,
        ArticleSector,
        ArticleTag,
        Author,
        Tag,
    )
    from sqlalchemy import insert, select

    from ent_core.db import db
    from ent_core.workspaces.models import Workspace

    rng = random.Random(2026)
    body_html = render_body(BODY, "markdown")
    with app.app_context():
        ws = db.session.scalar(select(Workspace).where(Workspace.slug == slug))
        db.session.execute(
            insert(Author),
            [
                {"workspace_id": ws.id, "name": f"Auteur {n:02d}", "slug": f"auteur-{n:02d}",
                 "bio": "Journaliste.", "links": [], "created_at": datetime.now(UTC)}
                for n in range(AUTHORS)
            ],
        )  # fmt: skip
        db.session.execute(
            insert(Tag),
            [{"workspace_id": ws.id, "name": f"Sujet {n}", "slug": f"sujet-{n}"}
             for n in range(TAGS)],
        )  # fmt: skip
        author_ids = list(db.session.scalars(select(Author.id).where(Author.workspace_id == ws.id)))
        tag_ids = list(db.session.scalars(select(Tag.id).where(Tag.workspace_id == ws.id)))
        start = datetime.now(UTC) - timedelta(minutes=count)
        for first in range(0, count, CHUNK):
            rows = []
            for n in range(first, min(first + CHUNK, count)):
                moment = start + timedelta(minutes=n)
                rows.append(
                    {
                        "workspace_id": ws.id,
                        "title": f"Article {n:06d} : le numérique au Maroc",
                        "slug": f"article-{n:06d}",
                        "standfirst": "Un chapeau de deux lignes sur le sujet du jour.",
                        "body": BODY,
                        "body_format": "markdown",
                        "body_html": body_html,
                        "language": ("fr", "fr", "ar", "en")[n % 4],
                        "cover_variants": {},
                        "cover_alt": "",
                        "seo_title": "",
                        "seo_description": "",
                        "canonical_url": "",
                        "editorial_state": "approved",
                        "publication_state": "published",
                        "published_at": moment,
                        "created_at": moment,
                        "updated_at": moment,
                        "syndicated": n % 3 == 0,
                    }
                )
            ids = list(db.session.scalars(insert(Article).returning(Article.id), rows))
            db.session.execute(
                insert(ArticleAuthor),
                [{"article_id": i, "author_id": rng.choice(author_ids), "position": 0}
                 for i in ids],
            )  # fmt: skip
            db.session.execute(
                insert(ArticleSector),
                [{"article_id": i, "sector": SECTORS[i % len(SECTORS)]} for i in ids],
            )
            db.session.execute(
                insert(ArticleTag),
                [{"article_id": i, "tag_id": t} for i in ids for t in rng.sample(tag_ids, 2)],
            )
            db.session.commit()
        db.session.commit()
        # VACUUM too, not only ANALYZE: otherwise autovacuum visits the freshly written
        # tables during the measured rounds, on the same two cores (it cannot run in a
        # transaction, hence the autocommit connection).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(db.text("VACUUM (ANALYZE)"))
    return f"article-{count // 2:06d}"


# -- the bare Flask baseline -----------------------------------------------------------------

BASELINE_PAGE = """<!doctype html>
<html lang="fr" dir="ltr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title><link rel="stylesheet" href="/static/ent.css">
<link rel="alternate" type="application/atom+xml" href="feed.atom">
{% if article %}<link rel="canonical" href="{{ request.url }}">
<meta property="og:title" content="{{ article.title }}">
<script type="application/ld+json">{{ json_ld }}</script>{% endif %}
</head><body><header class="site-header"><p>{{ slug }}</p></header><main id="main">
{% if article %}<article lang="{{ article.language }}">
<h1>{{ article.title }}</h1><p class="lead">{{ article.standfirst }}</p>
<div>{{ article.body_html|safe }}</div></article>
{% else %}<h1>Derniers articles</h1><ol class="grid">
{% for a in articles %}<li class="card"><h3><a href="articles/{{ a.slug }}">{{ a.title }}</a></h3>
<p>{{ a.standfirst }}</p><time>{{ a.published_at.isoformat() }}</time></li>{% endfor %}
</ol>{% endif %}
{% for row in others %}<span hidden>{{ row|length }}</span>{% endfor %}
</main></body></html>"""


def create_baseline() -> Any:
    """Flask + Flask-SQLAlchemy replaying the platform's statements (gunicorn entry point)."""
    import hashlib

    import baseline_app
    from flask import Flask, Response, jsonify, render_template, request
    from jinja2 import DictLoader

    app = Flask("publishing_baseline")
    # A named template, compiled once and cached as Flask caches the platform's own (the
    # baseline used ``render_template_string``, which compiles the source on every request).
    app.jinja_loader = DictLoader({"page.html": BASELINE_PAGE})
    app.config.update(
        SECRET_KEY=os.environ["SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=baseline_app._postgres_driver(os.environ["DATABASE_URL"]),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
    )
    baseline_app.db.init_app(app)
    models = baseline_app.mapped_models()
    capture = {
        name: baseline_app.prepare(items, models)
        for name, items in baseline_app.load_capture(os.environ["ENT_BENCH_CAPTURE"]).items()
    }

    def page(name: str, slug: str) -> Response:
        results = baseline_app.replay(capture[name], True)
        objects = [row for result in results for row in result if not isinstance(row, dict)]
        articles = [o for o in objects if type(o).__name__ == "Article"]
        article = articles[0] if name == "article" and articles else None
        json_ld = ""
        if article is not None:
            json_ld = json.dumps({"@type": "NewsArticle", "headline": article.title})
        html = render_template(
            "page.html",
            title=article.title if article else slug,
            slug=slug,
            article=article,
            articles=articles,
            others=results,
            json_ld=json_ld,
        )
        response = Response(html, mimetype="text/html")
        response.set_etag(hashlib.sha1(html.encode()).hexdigest())  # noqa: S324 - an ETag
        return response.make_conditional(request)

    @app.get("/healthz")
    def healthz() -> Any:
        return jsonify(status="ok")

    @app.get("/s/<slug>/publishing/")
    def home(slug: str) -> Response:
        return page("home", slug)

    @app.get("/s/<slug>/publishing/articles/<article>")
    def article(slug: str, article: str) -> Response:
        return page("article", slug)

    return app


# -- run -------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    import _common
    import run as core_bench

    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    opts = core_bench.options_from(args, workspaces=20, users=100)
    with _common.environment("pub", keep_db=args.keep_db) as env:
        core_bench.say(f"database {env.db_name}; {args.articles:,} articles in {env.workdir}")
        from ent_core import create_app
        from ent_core.db import db

        app = create_app()
        core_bench.say(f"schema: {core_bench.migrate(app)}")
        seeded = core_bench.seed(app, opts)
        if "publishing" not in seeded.enabled:
            raise RuntimeError(f"publishing is not on in {seeded.workspace_slug}: {seeded.refused}")
        began = time.monotonic()
        middle = seed_articles(app, seeded.workspace_slug, args.articles)
        core_bench.say(f"seeded {args.articles:,} articles in {time.monotonic() - began:.0f} s")
        headers = {"User-Agent": core_bench.USER_AGENT}
        base = f"/s/{seeded.workspace_slug}/publishing"
        targets = [
            core_bench.Target("home", f"{base}/", headers),
            core_bench.Target("article", f"{base}/articles/{middle}", headers),
        ]
        _common.capture_statements(app, db, targets, env.capture)
        _common.measure_baseline(create_baseline(), db_of_baseline(), targets)
        env.servers.append(
            core_bench.start_server("platform", "ent_core:create_app()", opts, env.workdir, [])
        )
        env.servers.append(
            core_bench.start_server(
                "baseline",
                "publishing:create_baseline()",
                opts,
                env.workdir,
                ["--pythonpath", "bench"],
            )
        )
        core_bench.load(env.servers, targets, opts)
        rows = report(targets)
        out = core_bench.RESULTS / f"publishing-{args.articles}-{env.stamp}.json"
        core_bench.RESULTS.mkdir(exist_ok=True)
        out.write_text(
            json.dumps(
                {
                    "date": env.stamp,
                    "articles": args.articles,
                    "git": core_bench.git_commit(),
                    "machine": {**core_bench.machine(), "load_average_at_end": os.getloadavg()},
                    "settings": {
                        "duration_s": opts.duration,
                        "rounds": opts.rounds,
                        "wrk": f"-t1 -c{opts.connections}",
                        "gunicorn": f"--workers {opts.workers} --threads {opts.threads}",
                    },
                    "results": rows,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
        core_bench.say(f"results written to {out.relative_to(ROOT)}")
        return 0


def db_of_baseline() -> Any:
    import baseline_app

    return baseline_app.db


def report(targets: list[Any]) -> list[dict[str, Any]]:
    import run as core_bench

    rows = []
    print(f"\n{'page':<9}{'app':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'SQL':>6}{'bytes':>8}")
    for t in targets:
        row: dict[str, Any] = {"target": t.name, "path": t.path, "statements": t.statements}
        for app in ("platform", "baseline"):
            m = core_bench.median_run(t.runs[app])
            row[app] = {
                "rps": round(m["rps"], 1),
                "rps_all_rounds": [round(r["rps"], 1) for r in t.runs[app]],
                "p50_ms": m["latency_us"]["p50"] / 1000,
                "p99_ms": m["latency_us"]["p99"] / 1000,
                "errors": m["errors"],
                "queries": t.queries[app],
                "bytes": t.response_bytes[app],
            }
            a = row[app]
            print(
                f"{t.name if app == 'platform' else '':<9}{app:<10}{a['rps']:>9.1f}"
                f"{a['p50_ms']:>9.2f}{a['p99_ms']:>9.2f}{a['queries']:>6}{a['bytes']:>8}"
            )
        row["ratio"] = round(row["platform"]["rps"] / row["baseline"]["rps"], 3)
        row["meets_target"] = row["ratio"] >= TARGET_RATIO
        verdict = "meets" if row["meets_target"] else "MISSES"
        print(f"{'':<9}ratio {row['ratio']:.2f} ({verdict} the >= {TARGET_RATIO:.0%} target)")
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
