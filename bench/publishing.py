"""The publishing plugin's public site versus bare Flask, on PostgreSQL under gunicorn, with wrk.

    .venv/bin/python bench/publishing.py                      # 10,000 articles, 3 rounds of 10 s
    .venv/bin/python bench/publishing.py --quick              # 10,000 articles, 1 round of 3 s
    .venv/bin/python bench/publishing.py --articles 200000    # the large case (a quiet machine!)

Creates a fresh database on 127.0.0.1:5432, migrates it, seeds the platform as ``bench/run.py``
does (a smaller population), then bulk-inserts ``--articles`` published articles (authors,
sectors, tags) into the bench workspace. It measures the anonymous **workspace home** (the 20
latest) and an **article page** in the middle of the archive, on the platform and on a bare
Flask app (``create_baseline`` below) that sends PostgreSQL the same statements, captured from
one steady platform request, and renders the same page from their rows on every request
(plain templates ``bench/templates/publishing_*.html``: the platform's French markup, byte for
byte, with the same ETag, Last-Modified and Cache-Control; checked before measuring, and
recorded as ``same_output``). It prints throughput, p50 and p99 latency, SQL queries per page
and the ratio platform/baseline, and writes
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
import re
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import baseline_app  # noqa: E402 - bench/ is on the path now

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

    from ent_core.db import all_workspaces, db
    from ent_core.workspaces.models import Workspace

    rng = random.Random(2026)
    body_html = render_body(BODY, "markdown")
    with app.app_context(), all_workspaces():  # seeding spans workspaces
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

#: Cards per page, as the platform's listings.
PAGE_SIZE = 20
#: The French labels of the core's sector codes, as plain text (the dashboard's baseline has them).
SECTOR_LABELS = {code: str(text) for code, text in baseline_app.SECTOR_LABELS.items()}
OG_LOCALES = {"fr": "fr_FR", "en": "en_US", "ar": "ar_MA"}
DESCRIPTION_MAX = 300
#: Characters that could end the JSON-LD's script element or confuse an HTML parser.
JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SELECT_LIST = re.compile(r"^\s*SELECT\s+(.*?)\s+FROM\s", re.S)
_ALIAS = re.compile(r"\b(\w+) AS (\w+)\b")


def joined_entities(statements: list[Any], models: dict[str, Any]) -> list[Any]:
    """``statements`` with the tables joined in mapped to objects too, as an ORM app gets them.

    ``baseline_app.prepare`` maps the first table of a statement only: the byline's authors
    (joined to their links) would stay unmapped, and reading ``link.author`` would lazy-load
    them, a statement the platform does not send; the tags come after their link table's key
    and would stay rows. Here the joined entities are loaded with ``contains_eager``, from the
    same SQL, as ``selectinload(...).joinedload(...)`` gives the platform.
    """

    out = []
    for statement in statements:
        orm = _with_joined(statement.sql, statement.parameters, models)
        out.append(
            statement
            if orm is None
            else baseline_app.Statement(statement.sql, statement.parameters, orm)
        )
    return out


def _with_joined(sql: str, parameters: Any, models: dict[str, Any]) -> Any:
    """``select(first entity).from_statement(sql)`` with the others eagerly attached, or None."""
    from sqlalchemy import inspect, select, text
    from sqlalchemy.orm import contains_eager

    select_list = _SELECT_LIST.match(sql)
    if select_list is None or not isinstance(parameters, dict):
        return None
    tables = {alias: table for table, alias in _ALIAS.findall(sql)}
    groups: list[tuple[str, Any, list[Any]]] = []  # (alias, model, its columns), in order
    for item in select_list.group(1).split(","):
        alias, _, name = item.strip().partition(".")
        model = models.get(tables.get(alias, alias))
        if model is None or name not in model.__table__.c:
            return None
        if groups and groups[-1][0] == alias:
            groups[-1][2].append(model.__table__.c[name])
        else:
            groups.append((alias, model, [model.__table__.c[name]]))
    columns = [column for _, _, group in groups for column in group]
    if len(groups) < 2 or len(set(columns)) < len(columns):
        return None
    # An entity is a whole row or a ``load_only`` one (its key and more); a link table's key
    # alone (the tags' ``article_id``) is read by the loader, not made into objects.
    entities = [
        model
        for _, model, group in groups
        if len(group) == len(model.__table__.c)
        or (
            len(group) > len(model.__table__.primary_key.columns)
            and set(model.__table__.primary_key.columns) <= set(group)
        )
    ]
    if not entities:
        return None
    root, *joined = entities
    paths: dict[Any, list[Any]] = {root: []}
    while joined:
        found = next(
            (
                (model, [*paths[parent], rel.class_attribute])
                for model in joined
                for parent in paths
                for rel in inspect(parent).relationships
                if rel.mapper.class_ is model
            ),
            None,
        )
        if found is None:
            return None
        model, path = found
        paths[model] = path
        joined.remove(model)
    options = []
    for path in paths.values():
        if path:
            option = contains_eager(path[0])
            for attribute in path[1:]:
                option = option.contains_eager(attribute)
            options.append(option)
    clause = text(baseline_app._PARAM.sub(lambda m: f":{m.group(1)}", sql))
    return (
        select(root)
        .from_statement(clause.bindparams(**parameters).columns(*columns))
        .options(*options)
    )


def sector_label(code: str) -> str:
    """A sector's French name; a code added later shows as the platform shows it."""
    return SECTOR_LABELS.get(code, code.replace("_", " ").capitalize())


def article_head(
    article: Any,
    site: Any,
    authors: list[Any],
    sectors: list[str],
    tags: list[Any],
    urls: dict[str, Any],
) -> dict[str, Any]:
    """What the article page's ``<head>`` says (Open Graph, JSON-LD), from its rows."""
    from markupsafe import Markup

    title = (article.seo_title or article.title).strip()
    description = _description(article)
    canonical = (article.canonical_url or "").strip()
    if not canonical.lower().startswith(("https://", "http://")) or any(
        c in canonical for c in " \n\r\t\"'<>"
    ):
        canonical = urls["article"]
    changed = max(m for m in (article.published_at, article.updated_at) if m is not None)
    graph = [
        ("og:type", "article"),
        ("og:site_name", site.name),
        ("og:title", title),
        ("og:description", description),
        ("og:url", canonical),
        ("og:locale", OG_LOCALES.get(article.language, article.language)),
        ("article:published_time", article.published_at.isoformat()),
        ("article:modified_time", changed.isoformat()),
    ]
    if urls["cover"]:
        graph += [("og:image", urls["cover"]), ("og:image:alt", article.cover_alt)]
    graph += [("article:author", a.name) for a in authors]
    graph += [("article:section", sector_label(code)) for code in sectors]
    graph += [("article:tag", t.name) for t in tags]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": description,
        "inLanguage": article.language,
        "datePublished": article.published_at.isoformat(),
        "dateModified": changed.isoformat(),
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": urls["article"],
        "author": [
            {"@type": "Person", "name": a.name, "url": url}
            for a, url in zip(authors, urls["authors"], strict=True)
        ],
        "publisher": {"@type": "Organization", "name": site.name, "url": urls["home"]},
        "articleSection": [sector_label(code) for code in sectors],
        "keywords": [t.name for t in tags],
    }
    if urls["cover"]:
        data["image"] = [urls["cover"]]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return {
        "title": title,
        "description": description,
        "canonical": canonical,
        "open_graph": graph,
        "json_ld": Markup(text),  # noqa: S704 - what could leave the script is escaped above
    }


def _description(article: Any) -> str:
    """The SEO description, else the standfirst, else the body's text; cut near 300 characters.

    The platform also runs the chosen text through Markdown before stripping it (the bench's
    standfirsts have no markup, so the text is the same); the body's tags go with nh3."""
    chosen = (article.seo_description, article.standfirst)
    source = next((text for text in chosen if text and text.strip()), None)
    if source is None:
        import html

        import nh3

        source = html.unescape(nh3.clean((article.body_html or "").replace("<", " <"), tags=set()))
    text = " ".join(source.split())
    if len(text) <= DESCRIPTION_MAX:
        return text
    return text[:DESCRIPTION_MAX].rsplit(" ", 1)[0] + "…"


def create_baseline() -> Any:
    """A hand-written Flask app serving the same two pages: it replays the platform's captured
    statements (Flask-SQLAlchemy, rows as model objects) and renders the platform's French
    page with plain templates (``bench/templates/publishing_*.html``) on every request, with
    the same caching headers (gunicorn entry point)."""
    from collections import defaultdict

    from babel import Locale
    from babel.dates import format_date, format_datetime
    from flask import Flask, Response, abort, jsonify, render_template, request, url_for

    app = Flask("publishing_baseline", template_folder=str(BENCH / "templates"))
    app.config.update(
        SECRET_KEY=os.environ["SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=baseline_app._postgres_driver(os.environ["DATABASE_URL"]),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
    )
    baseline_app.db.init_app(app)
    app.add_template_global(baseline_app.static_url)
    models = baseline_app.mapped_models()
    capture = {
        name: joined_entities(baseline_app.prepare(items, models), models)
        for name, items in baseline_app.load_capture(os.environ["ENT_BENCH_CAPTURE"]).items()
    }
    base_url = os.environ["ENT_BASE_URL"]
    french = Locale.parse("fr")
    # Dates as the platform shows them: medium format, in French, on UTC (its default zone).
    app.jinja_env.filters["date"] = lambda d: format_date(d.astimezone(UTC), "medium", french)
    app.jinja_env.filters["datetime"] = lambda d: format_datetime(
        d, "medium", tzinfo=UTC, locale=french
    )
    app.jinja_env.globals["sector_label"] = sector_label

    def loaded(page: str) -> dict[str, list[Any]]:
        """What the page's statements loaded, objects grouped by model (rows under ``dict``)."""
        found: dict[str, list[Any]] = defaultdict(list)
        for result in baseline_app.replay(capture[page], True):
            for row in result:
                found[type(row).__name__].append(row)
        return found

    def respond(html: str, last_modified: datetime | None) -> Response:
        response = Response(html, mimetype="text/html")
        response.add_etag()  # a hash of the body, as the platform's
        if last_modified is not None:
            response.last_modified = last_modified
        response.headers["Cache-Control"] = "public, no-cache"
        return response.make_conditional(request)

    @app.get("/healthz")
    def healthz() -> Any:
        return jsonify(status="ok")

    @app.get("/s/<workspace>/publishing/")
    def home(workspace: str) -> Response:
        rows = loaded("home")
        site, articles = rows["Workspace"][0], rows["Article"]
        cards = articles[:PAGE_SIZE]
        bylines: dict[int, list[str]] = defaultdict(list)
        for link in rows["ArticleAuthor"]:
            bylines[link.article_id].append(link.author.name)
        next_url = None
        if len(articles) > PAGE_SIZE:
            last = cards[-1]
            cursor = f"{int(last.published_at.timestamp() * 1_000_000)}.{last.id}"
            next_url = url_for("home", workspace=site.slug, before=cursor)
        html = render_template(
            "publishing_home.html",
            site=site,
            site_sectors=[s.code for s in rows["Sector"]],
            cards=[(a, ", ".join(bylines.get(a.id, ()))) for a in cards],
            next_url=next_url,
        )
        moments = [m for a in cards for m in (a.published_at, a.updated_at) if m is not None]
        return respond(html, max(moments, default=None))

    @app.get("/s/<workspace>/publishing/articles/<slug>")
    def article(workspace: str, slug: str) -> Response:
        rows = loaded("article")
        if not rows["Article"]:
            abort(404)
        site, found = rows["Workspace"][0], rows["Article"][0]
        authors = [link.author for link in rows["ArticleAuthor"]]
        sectors = [row.sector for row in rows["ArticleSector"]]
        tags = rows["Tag"]
        urls = {
            "article": base_url + url_for("article", workspace=site.slug, slug=found.slug),
            "home": base_url + url_for("home", workspace=site.slug),
            "authors": [
                base_url + url_for("author", workspace=site.slug, slug=a.slug) for a in authors
            ],
            "cover": found.cover_key
            and base_url + url_for("cover", workspace=site.slug, article_id=found.id, width=1600),
        }
        html = render_template(
            "publishing_article.html",
            site=site,
            site_sectors=[s.code for s in rows["Sector"]],
            article=found,
            authors=authors,
            sectors=sectors,
            tags=tags,
            meta=article_head(found, site, authors, sectors, tags, urls),
        )
        changed = max(m for m in (found.published_at, found.updated_at) if m is not None)
        return respond(html, changed)

    def elsewhere(**_: Any) -> Response:
        """The site's other pages: not measured, here for their addresses (``url_for``)."""
        abort(404)

    site = "/s/<workspace>/publishing"
    for rule, endpoint in (
        ("/sectors/<code>/", "sector"),
        ("/tags/<slug>/", "tag"),
        ("/authors/<slug>/", "author"),
        ("/search", "search"),
        ("/feed.atom", "atom"),
        ("/feed.rss", "rss"),
        ("/media/covers/<int:article_id>/<int:width>", "cover"),
    ):
        app.add_url_rule(site + rule, endpoint, elsewhere)

    return app


def compare_outputs(platform: Any, baseline: Any, targets: list[Any]) -> dict[str, bool]:
    """Whether both apps answer each target with the same page and caching headers; prints the
    first difference (the baseline should render the platform's page, nothing less)."""
    import run as core_bench

    same = {}
    for t in targets:
        answers = [
            core_bench.steady_request(app, ext, t)[1]
            for app, ext in ((platform, _platform_db()), (baseline, db_of_baseline()))
        ]
        problems = [
            f"{name}: platform {answers[0].headers.get(name)!r}, "
            f"baseline {answers[1].headers.get(name)!r}"
            for name in ("Content-Type", "ETag", "Last-Modified", "Cache-Control")
            if answers[0].headers.get(name) != answers[1].headers.get(name)
        ]
        lines = [a.get_data(as_text=True).splitlines() for a in answers]
        for number, (ours, bare) in enumerate(zip(*lines, strict=False), 1):
            if ours != bare:
                problems.insert(
                    0,
                    f"line {number}: platform {ours.strip()[:200]!r}, "
                    f"baseline {bare.strip()[:200]!r}",
                )
                break
        else:
            if len(lines[0]) != len(lines[1]):
                problems.insert(0, f"lines: platform {len(lines[0])}, baseline {len(lines[1])}")
        same[t.name] = not problems
        if problems:
            print(f"WARNING: {t.name}: the baseline's response differs; " + "; ".join(problems))
    return same


def _platform_db() -> Any:
    from ent_core.db import db

    return db


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
        baseline = create_baseline()
        _common.measure_baseline(baseline, db_of_baseline(), targets)
        same_output = compare_outputs(app, baseline, targets)
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
                    # per page: the baseline answered the platform's page and caching headers
                    "same_output": same_output,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
        core_bench.say(f"results written to {out.relative_to(ROOT)}")
        return 0


def db_of_baseline() -> Any:

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
