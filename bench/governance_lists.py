"""The member registry with 5,000 members and the votes list with 1,000 resolutions.

    .venv/bin/python bench/governance_lists.py            # 200 requests per page (~3 min)
    .venv/bin/python bench/governance_lists.py --quick    # 50 requests per page

Issue #16's "Measured" section: each list is served in under 150 ms (p95), in the same number
of SQL statements at 100 rows as at 5,000 (members) or 1,000 (resolutions). A fresh PostgreSQL
database (127.0.0.1, dropped at the end), migrated with ``ent db upgrade``, the production
settings and a private Redis (``_common.environment``); the platform in process, the Flask
test client (no HTTP server: the request's own work, as ``bench/governance.py`` measures the
ballots). Two associations, bulk-inserted rows of the module's models:

* ``small``: 100 members with two years of dues, 100 resolutions on 2 meetings' agendas;
* ``large``: 5,000 members, two years of dues (about 8 % late, 4 % lapsed, 1 % partly paid,
  2 % who left), 1,000 resolutions on 5 meetings' agendas, three options each; the last
  meeting's (its roll holds every member) 20 open and the rest drafts, the others closed,
  every tenth closed one with 30 ballots.

The owner (a member of both registries) signs in through ``/auth/sign-in`` (form, password,
CSRF, as in production) and asks, interleaved over 4 rounds, after a warm-up: the registry,
the registry filtered on ``?status=late`` and on ``?status=up_to_date`` (most members), the
votes list, and the second page of each (the ``rel="next"`` link) when it has one.
**Baseline, same run, same client:** the workspace dashboard (session) and ``GET /api/v1/me``
(bearer token), measured the same way; each page's p95 is given as a ratio to theirs, next to
the median CPU time of a request (``process_time``: what the load moves least). SQL
statements per request are recorded on a steady request (``run.recording``) and must be equal
between the sizes. Memory: the resident peak (``ru_maxrss``) and the Python heap's peak over 3
traced requests per page (apart from the timed ones: tracing slows them). Load average before
and after. Figures: docs/performance.md ("Governance: lists"). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import secrets
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import _common  # noqa: E402 - bench/ is on the path now
import run as core_bench  # noqa: E402

TARGET_P95_MS = 150.0
ROUNDS = 4
SIZES = {"small": (100, 100, 2), "large": (5000, 1000, 5)}  # members, resolutions, meetings
OWNER_EMAIL = "owner@bench.example"
NEXT_RE = re.compile(r'<a[^>]*rel="next"[^>]*href="([^"]+)"|<a[^>]*href="([^"]+)"[^>]*rel="next"')


# -- seeding -----------------------------------------------------------------------------------


def seed_platform(app: Any) -> core_bench.Seeded:
    """The owner (a real password, the charter signed) and two associations with governance."""
    from ent_core.db import all_workspaces, db, utcnow
    from ent_core.identity.models import User
    from ent_core.identity.passwords import hash_password
    from ent_core.workspaces.service import create_workspace

    with app.app_context(), all_workspaces():
        now = utcnow()
        owner = User(
            email=OWNER_EMAIL, name="Trésorière", email_verified_at=now,
            password_hash=hash_password(core_bench.PASSWORD),
        )  # fmt: skip
        db.session.add(owner)
        db.session.commit()
        core_bench.sign_charter([owner.id], now)
        db.session.commit()
        for size in SIZES:
            workspace = create_workspace(
                slug=f"asso-{size}", name=f"Association {size}", kind="association",
                owner=owner, status="approved",
            )  # fmt: skip
            # As bench/run.py: the plugin switched on as enable_plugin does, minus the plan.
            core_bench.switch_on_unentitled(app, workspace, "governance", now)
        return core_bench.Seeded(owner.id, OWNER_EMAIL, "asso-large", ["governance"], {}, {})


def seed_association(app: Any, slug: str, members: int, resolutions: int, meetings: int) -> dict:
    """Members, dues, meetings, agenda items, resolutions, options and ballots, in bulk."""
    from ent_plugins.governance.models import (
        AgendaItem,
        Ballot,
        Body,
        DuesPayment,
        DuesRate,
        ElectoralRoll,
        Meeting,
        Member,
        MemberCategory,
        Participation,
        ReceiptCounter,
        RollEntry,
        Vote,
        VoteOption,
    )
    from sqlalchemy import insert, select

    from ent_core import sdk
    from ent_core.identity.models import User
    from ent_core.workspaces.models import Workspace

    with app.app_context(), sdk.all_workspaces():
        ws = sdk.db.session.scalar(select(Workspace).where(Workspace.slug == slug))
        owner_id = sdk.db.session.scalar(select(User.id).where(User.email == OWNER_EMAIL))
    now = datetime.now(UTC)
    today = now.date()
    year = today.year
    with app.app_context(), sdk.in_workspace(ws):
        s = sdk.db.session
        wid = ws.id
        category = dict(s.execute(select(MemberCategory.code, MemberCategory.id)).all())
        s.execute(
            insert(DuesRate),
            [
                {"workspace_id": wid, "category_id": category[code], "year": y, "amount": amount}
                for code, amount in (("founding", 200), ("active", 300))
                for y in (year - 1, year)
            ],
        )

        def code_of(i: int) -> str:
            return "founding" if i % 20 == 0 else "honorary" if i % 25 == 1 else "active"

        s.execute(
            insert(Member),
            [
                {"workspace_id": wid, "number": f"{i + 1:05d}", "name": f"Membre {i:05d}",
                 "email": f"m{i}@{slug}.example", "category_id": category[code_of(i)],
                 "language": ("fr", "ar", "en")[i % 3], "user_id": owner_id if i == 0 else None,
                 "joined_on": date(2018 + i % 6, 1 + i % 12, 1),
                 "left_on": date(year - 1, 6, 30) if i % 50 == 49 else None, "notes": ""}
                for i in range(members)
            ],
        )  # fmt: skip
        member_ids = list(s.scalars(select(Member.id).order_by(Member.id)))
        payments, receipt = [], {year - 1: 0, year: 0}
        for i, member_id in enumerate(member_ids):
            code = code_of(i)
            if code == "honorary":
                continue
            rate = 200 if code == "founding" else 300
            kind = i % 100
            years = [] if 8 <= kind < 12 else [year - 1] if kind < 8 else [year - 1, year]
            for y in years:
                receipt[y] += 1
                payments.append(
                    {"workspace_id": wid, "member_id": member_id, "year": y,
                     "amount": rate // 2 if kind == 12 and y == year else rate,
                     "method": ("cash", "transfer", "cheque")[i % 3],
                     "paid_on": date(y, 1, 15) + timedelta(days=i % 60), "reference": "",
                     "receipt_number": f"{y}-{receipt[y]:05d}", "recorded_by_id": owner_id}
                )  # fmt: skip
        s.execute(insert(DuesPayment), payments)
        s.execute(
            insert(ReceiptCounter),
            [{"workspace_id": wid, "year": y, "last_number": n} for y, n in receipt.items()],
        )
        body = Body(workspace_id=wid, kind="general_assembly", name="Assemblée générale")
        s.add(body)
        s.flush()
        roll = ElectoralRoll(workspace_id=wid, cutoff_on=today, frozen_at=now)
        s.add(roll)
        s.flush()
        s.execute(
            insert(RollEntry),
            [{"workspace_id": wid, "roll_id": roll.id, "member_id": m} for m in member_ids],
        )
        meeting_rows = [
            {"workspace_id": wid, "body_id": body.id, "kind": "ordinary",
             "title": f"Assemblée générale {year - meetings + 1 + n}",
             "starts_at": datetime(year - meetings + 1 + n, 6, 20, 9, tzinfo=UTC),
             "status": "convened" if n == meetings - 1 else "closed",
             "roll_id": roll.id if n == meetings - 1 else None}
            for n in range(meetings)
        ]  # fmt: skip
        s.execute(insert(Meeting), meeting_rows)
        meeting_ids = list(s.scalars(select(Meeting.id).order_by(Meeting.id)))
        per_meeting = resolutions // meetings
        s.execute(
            insert(AgendaItem),
            [
                {"workspace_id": wid, "meeting_id": meeting_ids[v // per_meeting],
                 "position": v % per_meeting, "title": f"Point {v % per_meeting + 1}",
                 "description": ""}
                for v in range(resolutions)
            ],
        )  # fmt: skip
        items = list(s.scalars(select(AgendaItem.id).order_by(AgendaItem.id)))
        last = resolutions - per_meeting  # the last meeting's votes are running or drafts
        open_votes = max(5, resolutions // 50)

        def vote_row(v: int) -> dict[str, Any]:
            starts = meeting_rows[v // per_meeting]["starts_at"]
            running = last <= v < last + open_votes
            closed = v < last
            return {
                "workspace_id": wid, "meeting_id": meeting_ids[v // per_meeting],
                "agenda_item_id": items[v], "title": f"Résolution n° {v + 1} : approuver le point",
                "description": "", "kind": "resolution",
                "ballot": "secret" if v % 3 == 0 else "open", "majority": "simple",
                "status": "closed" if closed else "open" if running else "draft",
                "opens_at": starts if closed or running else None,
                "closes_at": starts + timedelta(hours=3) if closed
                else now + timedelta(days=7) if running else None,
                "opened_at": starts if closed or running else None,
                "closed_at": starts + timedelta(hours=3) if closed else None,
            }  # fmt: skip

        s.execute(insert(Vote), [vote_row(v) for v in range(resolutions)])
        vote_ids = list(s.scalars(select(Vote.id).order_by(Vote.id)))
        s.execute(
            insert(VoteOption),
            [
                {"workspace_id": wid, "vote_id": vid, "position": p, "label": label, "code": code}
                for vid in vote_ids
                for p, (code, label) in enumerate(
                    (("for", "Pour"), ("against", "Contre"), ("abstain", "Abstention"))
                )
            ],
        )
        options: dict[int, list[int]] = {}
        for vid, oid in s.execute(
            select(VoteOption.vote_id, VoteOption.id).order_by(VoteOption.id)
        ):
            options.setdefault(vid, []).append(oid)
        ballots, participations = [], []
        voted = [v for v in range(0, last, 10)] + [last, last + 1]  # the owner voted on two
        for v in voted:
            vid = vote_ids[v]
            secret = v % 3 == 0
            voters = member_ids[:30] if v < last else member_ids[:1]
            for n, member_id in enumerate(voters):
                participations.append(
                    {"workspace_id": wid, "vote_id": vid, "member_id": member_id,
                     "cast_by_id": member_id, "cast_at": now}
                )  # fmt: skip
                ballots.append(
                    {"id": secrets.token_hex(16), "workspace_id": wid, "vote_id": vid,
                     "choices": [options[vid][n % 3]], "member_id": None if secret else member_id,
                     "receipt_hash": hashlib.sha256(secrets.token_bytes(16)).hexdigest()}
                )  # fmt: skip
        s.execute(insert(Participation), participations)
        s.execute(insert(Ballot), ballots)
        s.commit()
    return {
        "members": members, "payments": len(payments), "resolutions": resolutions,
        "meetings": meetings, "open_votes": open_votes, "ballots": len(ballots),
    }  # fmt: skip


def analyse(database_url: str) -> None:
    """Fresh statistics, as autovacuum would give a table loaded long ago."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


# -- measuring ---------------------------------------------------------------------------------


def next_link(body: str) -> str | None:
    match = NEXT_RE.search(body)
    return unescape(match.group(1) or match.group(2)) if match else None


def record(app: Any, db: Any, client: Any, path: str, headers: dict[str, str]) -> dict:
    """What a steady request (the second one) answers and sends PostgreSQL."""
    client.get(path, headers=headers)
    with core_bench.recording(app, db) as rec:
        response = client.get(path, headers=headers)
    return {
        "status": response.status_code,
        "bytes": len(response.get_data()),
        "body": response.get_data(as_text=True),
        "statements": [" ".join(s["statement"].split())[:240] for s in rec.statements],
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def heap_peak(client: Any, path: str, headers: dict[str, str], requests: int = 3) -> int:
    tracemalloc.start()
    peak = 0
    for _ in range(requests):
        tracemalloc.reset_peak()
        client.get(path, headers=headers)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    return peak


def measure(
    app: Any, targets: list[dict[str, Any]], requests: int, warmup: int
) -> dict[str, list[float]]:
    """Milliseconds per request, the targets interleaved over ``ROUNDS`` rounds so that a
    change of the machine's load falls on all of them alike."""
    client = app.test_client(use_cookies=False)
    for t in targets:
        for _ in range(warmup):
            assert client.get(t["path"], headers=t["headers"]).status_code == 200, t["path"]
    times: dict[str, list[float]] = {t["name"]: [] for t in targets}
    per_round = max(1, requests // ROUNDS)
    for r in range(ROUNDS):
        for t in targets:
            spent, cpu = times[t["name"]], t.setdefault("cpu_ms", [])
            for _ in range(per_round):
                started, cpu_started = time.perf_counter(), time.process_time()
                client.get(t["path"], headers=t["headers"])
                spent.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
        core_bench.say(f"round {r + 1}/{ROUNDS} done; load {os.getloadavg()[0]:.2f}")
    return times


def targets_for(app: Any, db: Any, cookie: str, token: str) -> list[dict[str, Any]]:
    """The pages of both sizes (with their second pages, found by following the link), the
    baselines, and each one's statements on a steady request."""
    browser = {"User-Agent": core_bench.USER_AGENT, "Cookie": cookie}
    api = {"User-Agent": core_bench.USER_AGENT, "Authorization": f"Bearer {token}"}
    client = app.test_client(use_cookies=False)
    targets = [
        {"name": "baseline: dashboard", "kind": "baseline", "path": "/w/asso-large/",
         "headers": browser},
        {"name": "baseline: /api/v1/me", "kind": "baseline", "path": "/api/v1/me",
         "headers": api},
    ]  # fmt: skip
    for size in SIZES:
        base = f"/w/asso-{size}/governance"
        pages = [
            ("members", f"{base}/members/"),
            ("members ?status=late", f"{base}/members/?status=late"),
            ("members ?status=up_to_date", f"{base}/members/?status=up_to_date"),
            ("votes", f"{base}/votes/"),
        ]
        for page, path in pages:
            targets.append({"name": f"{page} [{size}]", "page": page, "size": size,
                            "kind": "page", "path": path, "headers": browser})  # fmt: skip
            second = next_link(record(app, db, client, path, browser)["body"])
            if second is not None:
                targets.append({"name": f"{page} p.2 [{size}]", "page": f"{page} p.2",
                                "size": size, "kind": "page", "path": second,
                                "headers": browser})  # fmt: skip
            else:
                core_bench.say(f"{path}: no second page (no rel=next link)")
    for t in targets:
        rec = record(app, db, client, t["path"], t["headers"])
        if rec["status"] != 200:
            raise RuntimeError(f"{t['path']} answered {rec['status']}")
        t["statements"] = rec["statements"]
        t["bytes"] = rec["bytes"]
        t["rows"] = rec["body"].count("<tr>") - 1 if t["kind"] == "page" else None
    return targets


def report(targets: list[dict[str, Any]], times: dict[str, list[float]]) -> list[dict]:
    rows = []
    for t in targets:
        spent = times[t["name"]]
        rows.append(
            {
                "name": t["name"], "path": t["path"], "kind": t["kind"],
                "page": t.get("page"), "size": t.get("size"), "requests": len(spent),
                "p50_ms": statistics.median(spent), "p95_ms": percentile(spent, 0.95),
                "max_ms": max(spent), "cpu_p50_ms": statistics.median(t["cpu_ms"]),
                "sql": len(t["statements"]), "bytes": t["bytes"],
                "table_rows": t["rows"], "heap_peak_mb": t["heap_peak"] / 1e6,
                "statements": t["statements"],
            }
        )  # fmt: skip
    base = {r["name"]: r["p95_ms"] for r in rows if r["kind"] == "baseline"}
    for r in rows:
        r["p95_over_dashboard"] = r["p95_ms"] / base["baseline: dashboard"]
        r["p95_over_me"] = r["p95_ms"] / base["baseline: /api/v1/me"]
        r["meets_p95"] = r["kind"] != "page" or r["p95_ms"] < TARGET_P95_MS
    print(
        f"\n{'page':<38}{'rows':>5}{'p50':>8}{'p95':>8}{'max':>8}{'cpu':>7}{'SQL':>5}"
        f"{'/dash':>7}{'/me':>7}{'heap MB':>9}  p95 < {TARGET_P95_MS:.0f} ms"
    )
    for r in rows:
        verdict = "" if r["kind"] != "page" else "PASS" if r["meets_p95"] else "FAIL"
        print(
            f"{r['name']:<38}{r['table_rows'] if r['table_rows'] is not None else '':>5}"
            f"{r['p50_ms']:>8.1f}{r['p95_ms']:>8.1f}{r['max_ms']:>8.1f}{r['cpu_p50_ms']:>7.1f}"
            f"{r['sql']:>5}"
            f"{r['p95_over_dashboard']:>7.2f}{r['p95_over_me']:>7.2f}"
            f"{r['heap_peak_mb']:>9.2f}  {verdict}"
        )
    return rows


def same_statements(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per page, the statement count at each size: equal, or the statements that differ."""
    checks = []
    pages = dict.fromkeys(r["page"] for r in rows if r["kind"] == "page")
    print()
    for page in pages:
        by_size = {r["size"]: r for r in rows if r["page"] == page}
        counts = {size: r["sql"] for size, r in by_size.items()}
        equal = len(by_size) == len(SIZES) and len(set(counts.values())) == 1
        check: dict[str, Any] = {"page": page, "sql": counts, "equal": equal}
        if not equal and len(by_size) == len(SIZES):
            small, large = (by_size[s]["statements"] for s in SIZES)
            check["only_small"] = [x for x in small if x not in large]
            check["only_large"] = [x for x in large if x not in small]
        sizes = ", ".join(f"{size} {n}" for size, n in counts.items())
        verdict = "PASS" if equal else "FAIL" if len(by_size) == len(SIZES) else "n/a"
        print(f"SQL statements, {page:<32} {sizes:<22} {verdict}")
        checks.append(check)
    return checks


def machine() -> dict[str, Any]:
    """``run.machine()`` without wrk's version (not used here, maybe not installed)."""
    import platform

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": core_bench.postgres_version(),
    }


def run(args: argparse.Namespace) -> int:
    requests = args.requests or (50 if args.quick else 200)
    warmup = 5 if args.quick else 10
    load_before = os.getloadavg()
    with _common.environment("govlists", keep_db=args.keep_db) as env:
        from ent_core import create_app
        from ent_core.db import db

        app = create_app()
        core_bench.say(f"database {env.db_name}; schema: {core_bench.migrate(app)}")
        began = time.monotonic()
        seeded = seed_platform(app)
        sizes = {
            size: seed_association(app, f"asso-{size}", *counts) for size, counts in SIZES.items()
        }
        analyse(env.database_url)
        core_bench.say(f"seeded {sizes} in {time.monotonic() - began:.0f} s")
        cookie, how = core_bench.session_cookie(app, seeded)
        core_bench.say(f"session: {how}")
        token = core_bench.api_token(app, seeded)
        targets = targets_for(app, db, cookie, token)
        core_bench.say(f"{len(targets)} pages, {requests} requests each after {warmup} warm-up")
        times = measure(app, targets, requests, warmup)
        client = app.test_client(use_cookies=False)
        for t in targets:
            t["heap_peak"] = heap_peak(client, t["path"], t["headers"])
        load_after = os.getloadavg()
        rows = report(targets, times)
        checks = same_statements(rows)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\nmemory: {rss_mb:.0f} MB resident peak (the whole process, seeding included)")
        print(
            f"load average: before {' '.join(f'{x:.2f}' for x in load_before)}, "
            f"after {' '.join(f'{x:.2f}' for x in load_after)} ({os.cpu_count()} cores)"
        )
        fast = all(r["meets_p95"] for r in rows)
        constant = all(c["equal"] for c in checks if c["sql"] and len(c["sql"]) == len(SIZES))
        print(f"p95 under {TARGET_P95_MS:.0f} ms: {'PASS' if fast else 'FAIL'}")
        print(f"statements independent of the size: {'PASS' if constant else 'FAIL'}")
        out = core_bench.RESULTS / f"governance-lists-{env.stamp}.json"
        core_bench.RESULTS.mkdir(exist_ok=True)
        out.write_text(
            json.dumps(
                {
                    "date": env.stamp,
                    "git": core_bench.git_commit(),
                    "machine": machine(),
                    "load_average": {"before": load_before, "after": load_after},
                    "settings": {"requests": requests, "warmup": warmup, "rounds": ROUNDS},
                    "seeded": sizes,
                    "session": how,
                    "rss_peak_mb": rss_mb,
                    "results": rows,
                    "statement_checks": checks,
                    "pass": {"p95": fast, "statements": constant},
                },
                indent=2,
                default=str,
            ),
            encoding="utf-8",
        )
        core_bench.say(f"results written to {out.relative_to(core_bench.ROOT)}")
    return 0 if fast and constant else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 requests per page, not 200")
    parser.add_argument("--requests", type=int, help="requests per page (overrides --quick)")
    parser.add_argument("--keep-db", action="store_true", help="keep the database (EXPLAIN)")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
