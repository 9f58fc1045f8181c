"""A general assembly of 2,000 members voting at once, and the tally of 10,000 ballots.

    .venv/bin/python bench/governance.py                  # fresh PostgreSQL database (127.0.0.1)
    .venv/bin/python bench/governance.py --database-url sqlite:////tmp/g.db
    .venv/bin/python bench/governance.py --members 500 --ballots 2000     # quick look

Issue #16's "Measured" section. One process, the Flask test client (no HTTP server: the
request's own work is what is measured, as ``bench/events.py`` does), ``--threads`` threads
(4) each with its own client, as members who vote at the same moment:

1. **Casting.** ``--members`` members (2,000), each with a platform account, a bearer token and
   the charter signed (bulk-inserted rows), on the roll of an open secret resolution; every
   one sends ``POST .../governance/votes/<id>/ballots`` once. The clock runs from the first
   request to the last answer. Then each member sends the same request again (all must answer
   409 ``already_voted``) and the tables are counted: exactly one participation and one ballot
   per member, and the tally adds up to the members. **Baseline, same run:** the same members
   send ``GET /api/v1/me`` (token, charter gate, JSON) through the same threads; the ratio
   ballot/``me`` says what a ballot costs over the platform's cheapest authenticated call.
2. **Tallying.** ``--ballots`` (10,000) secret ballots bulk-inserted on a second vote; the
   median of 7 ``tally(vote)`` and of 7 ``results(vote)`` (the published page's data: counts,
   outcome and the receipts' list), next to the bare ``SELECT choices`` they start from.

Peak memory: the process's resident set (``ru_maxrss``) and the Python heap's peak during a
traced tally. Targets: casting under 10 s, the tally under 200 ms. Figures:
docs/performance.md ("Governance"). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import secrets
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run as core_bench  # noqa: E402 - bench/ is on the path now

CAST_TARGET_S = 10.0
TALLY_TARGET_S = 0.200
SLUG = "assemblee"


def build(database_url: str, members: int) -> tuple[Any, dict[str, Any]]:
    """The platform with an association of ``members`` voting members, each with a token."""
    from sqlalchemy import insert, select

    from ent_core import create_app, sdk
    from ent_core.billing.testing import entitle
    from ent_core.identity.models import ApiToken, User
    from ent_core.reference_data import ensure_reference_data
    from ent_core.workspaces.models import Membership
    from ent_core.workspaces.service import create_workspace, enable_plugin

    app = create_app({"ENT_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    now = datetime.now(UTC)
    with app.app_context(), sdk.all_workspaces():
        sdk.db.drop_all()
        sdk.db.create_all()
        ensure_reference_data()
        owner = User(email="owner@example.ma", name="Owner", password_hash="-")  # noqa: S106 - never signs in
        sdk.db.session.add(owner)
        sdk.db.session.commit()
        workspace = create_workspace(
            slug=SLUG, name="Assemblée", kind="association", owner=owner, sectors=("green",),
            status="approved",
        )  # fmt: skip
        entitle(workspace, ["governance"])
        enable_plugin(workspace, "governance", actor=None)
        sdk.db.session.execute(
            insert(User),
            [
                {"email": f"m{i}@example.ma", "name": f"Member {i}", "password_hash": "-",
                 "email_verified_at": now}
                for i in range(members)
            ],
        )  # fmt: skip
        ids = list(sdk.db.session.scalars(select(User.id).where(User.email != owner.email)))
        core_bench.sign_charter([owner.id, *ids], now)
        sdk.db.session.execute(
            insert(Membership),
            [{"workspace_id": workspace.id, "user_id": uid, "role": "member"} for uid in ids],
        )
        tokens = [f"ent_{secrets.token_urlsafe(32)}" for _ in ids]
        sdk.db.session.execute(
            insert(ApiToken),
            [
                {"user_id": uid, "name": "bench", "prefix": t[:10],
                 "token_hash": hashlib.sha256(t.encode()).hexdigest()}
                for uid, t in zip(ids, tokens, strict=True)
            ],
        )  # fmt: skip
        sdk.db.session.commit()
        votes = _association(workspace, ids)
    return app, {"tokens": tokens, **votes}


def _association(workspace: Any, user_ids: list[int]) -> dict[str, Any]:
    """Members on the registry (one per account), a consultation open to them, its options."""
    from ent_plugins.governance import votes as service
    from ent_plugins.governance.models import Member, MemberCategory
    from sqlalchemy import insert

    from ent_core import sdk

    with sdk.in_workspace(workspace):
        category = MemberCategory(
            code="voter", name="Voter", pays_dues=False
        )  # no dues: every one votes
        sdk.db.session.add(category)
        sdk.db.session.flush()
        sdk.db.session.execute(
            insert(Member),
            [
                {"workspace_id": workspace.id, "number": str(i), "name": f"Member {i}",
                 "category_id": category.id, "user_id": uid, "joined_on": date(2020, 1, 1)}
                for i, uid in enumerate(user_ids)
            ],
        )  # fmt: skip
        vote = service.create_vote(
            title="Approve the accounts", kind="resolution", secret=True,
            cutoff_on=date.today(), today=date.today(),
        )  # fmt: skip
        service.open_vote(vote)
        sdk.db.session.commit()
        return {
            "vote_id": vote.id,
            "workspace_id": workspace.id,
            "options": [o.id for o in vote.options],
        }


def in_threads(app: Any, threads: int, jobs: list[Any], work: Callable[[Any, Any], int]) -> Any:
    """Run ``work(client, job)`` over ``jobs`` in ``threads`` threads; seconds and statuses."""
    statuses: list[int] = []
    lock = threading.Lock()
    chunks = [jobs[i::threads] for i in range(threads)]
    barrier = threading.Barrier(threads + 1)

    def run(chunk: list[Any]) -> None:
        client = app.test_client()
        barrier.wait()
        mine = [work(client, job) for job in chunk]
        with lock:
            statuses.extend(mine)

    pool = [threading.Thread(target=run, args=(c,)) for c in chunks]
    for t in pool:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in pool:
        t.join()
    return time.perf_counter() - started, statuses


def cast_all(app: Any, seeded: dict[str, Any], threads: int) -> dict[str, Any]:
    url = f"/api/v1/workspaces/{SLUG}/governance/votes/{seeded['vote_id']}/ballots"
    options = seeded["options"]
    jobs = list(enumerate(seeded["tokens"]))

    def ballot(client: Any, job: tuple[int, str]) -> int:
        i, token = job
        body = {"choices": [options[i % len(options)]]}
        return client.post(url, json=body, headers={"Authorization": f"Bearer {token}"}).status_code

    def me(client: Any, job: tuple[int, str]) -> int:
        return client.get("/api/v1/me", headers={"Authorization": f"Bearer {job[1]}"}).status_code

    in_threads(app, threads, jobs[:50], me)  # warm the code paths (not the ballots)
    baseline_s, baseline_statuses = in_threads(app, threads, jobs, me)
    cast_s, statuses = in_threads(app, threads, jobs, ballot)
    again_s, again = in_threads(app, threads, jobs, ballot)
    return {
        "cast_s": cast_s,
        "cast_statuses": {s: statuses.count(s) for s in set(statuses)},
        "again_statuses": {s: again.count(s) for s in set(again)},
        "again_s": again_s,
        "baseline_s": baseline_s,
        "baseline_statuses": {s: baseline_statuses.count(s) for s in set(baseline_statuses)},
    }


def verify(app: Any, seeded: dict[str, Any]) -> dict[str, int]:
    """Rows in the tables and the tally, against the members who voted."""
    from ent_plugins.governance.models import Ballot, Participation, Vote
    from ent_plugins.governance.tally import tally
    from sqlalchemy import func, select

    from ent_core import sdk

    with app.app_context(), sdk.in_workspace(seeded["workspace_id"]):
        vote = sdk.db.session.get(Vote, seeded["vote_id"])
        counted = tally(vote)
        return {
            "participations": sdk.db.session.scalar(
                select(func.count(Participation.id)).where(Participation.vote_id == vote.id)
            ),
            "distinct_members": sdk.db.session.scalar(
                select(func.count(func.distinct(Participation.member_id))).where(
                    Participation.vote_id == vote.id
                )
            ),
            "ballots": sdk.db.session.scalar(
                select(func.count(Ballot.id)).where(Ballot.vote_id == vote.id)
            ),
            "tallied": sum(counted.counts.values()),
        }


def tally_bench(app: Any, seeded: dict[str, Any], ballots: int) -> dict[str, Any]:
    """``ballots`` secret ballots on a closed vote; tally, results and the bare SELECT."""
    from ent_plugins.governance import votes as service
    from ent_plugins.governance.models import Ballot
    from ent_plugins.governance.tally import tally
    from sqlalchemy import insert, select

    from ent_core import sdk

    with app.app_context(), sdk.in_workspace(seeded["workspace_id"]):
        vote = service.create_vote(
            title="Elect the bureau", kind="multiple", max_choices=2, cutoff_on=date.today(),
            options=["A", "B", "C", "D"], today=date.today(),
        )  # fmt: skip
        service.open_vote(vote)
        options = [o.id for o in vote.options]
        rows = [
            {"id": secrets.token_hex(16), "vote_id": vote.id,
             "workspace_id": seeded["workspace_id"], "member_id": None,
             "choices": [options[i % 4], options[(i * 7 + 1) % 4]] if i % 3 else [options[i % 4]],
             "receipt_hash": hashlib.sha256(secrets.token_bytes(10)).hexdigest()}
            for i in range(ballots)
        ]  # fmt: skip
        sdk.db.session.execute(insert(Ballot), rows)
        vote.status = service.CLOSED
        sdk.db.session.commit()

        def timed(fn: Callable[[], Any], runs: int = 7) -> float:
            times = []
            for _ in range(runs):
                sdk.db.session.expire_all()
                started = time.perf_counter()
                fn()
                times.append(time.perf_counter() - started)
            return statistics.median(times)

        bare = timed(
            lambda: sdk.db.session.execute(
                select(Ballot.__table__.c.choices).where(Ballot.__table__.c.vote_id == vote.id)
            ).all()
        )
        counting = timed(lambda: tally(vote))
        publishing = timed(lambda: service.results(vote))
        counted = tally(vote)
        tracemalloc.start()
        tally(vote)
        _, heap_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert counted.ballots == ballots, counted
    return {"bare_s": bare, "tally_s": counting, "results_s": publishing, "heap_peak": heap_peak}


def cast_over_http(
    url: str, seeded: dict[str, Any], workers: int, connections: int, seconds: int
) -> Any:
    """The same ballots through gunicorn (``workers`` processes, the settings ``ent serve``
    uses) and wrk over loopback; the clock is the database's: first to last participation."""
    import json
    import os
    import shutil
    import subprocess

    from sqlalchemy import create_engine, func, select, text

    workdir = Path(tempfile.mkdtemp(prefix="ent-bench-gov-http-"))
    redis_url, redis_process = core_bench.start_redis(workdir)
    os.environ.update(
        {
            "ENT_ENV": "production",
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SMTP_URL": "smtp://127.0.0.1:2525",  # required in production; nothing is sent
            "ENT_INSTANCE_PATH": str(workdir / "instance"),
            "ENT_BASE_URL": "http://127.0.0.1:5000",
            "REDIS_URL": redis_url,
        }
    )
    opts = argparse.Namespace(workers=workers, threads=1)
    server = core_bench.start_server("platform", "ent_core:create_app()", opts, workdir, [])
    try:
        options = seeded["options"]
        lines = [f"{t} {options[i % len(options)]}" for i, t in enumerate(seeded["tokens"])]
        (workdir / "tokens.txt").write_text("\n".join(lines) + "\n")
        path = f"/api/v1/workspaces/{SLUG}/governance/votes/{seeded['vote_id']}/ballots"
        cmd = [shutil.which("wrk") or "wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
               "--timeout", "10s", "-s", str(BENCH / "wrk_ballots.lua"), server.base, "--",
               str(workdir / "tokens.txt"), path]  # fmt: skip
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout  # noqa: S603
        report = json.loads(next(x for x in out.splitlines() if x.startswith("ENT_BENCH_JSON "))
                            .split(" ", 1)[1])  # fmt: skip
        # Baseline, same server, same connections: the cheapest authenticated call.
        me = core_bench.wrk(
            server.base + "/api/v1/me",
            {"Authorization": f"Bearer {seeded['tokens'][0]}"},
            5,
            connections,
        )
        peak = max(row["peak_rss_mb"] for row in core_bench.memory_of(server))
    finally:
        server.stop()
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        first, last, count = conn.execute(
            select(func.min(text("cast_at")), func.max(text("cast_at")), func.count())
            .select_from(text("governance_participation"))
            .where(text(f"vote_id = {int(seeded['vote_id'])}"))
        ).one()
    engine.dispose()
    return {"seconds": (last - first).total_seconds(), "participations": count,
            "worker_peak_mb": peak, "me_per_s": me["requests"] / (me["duration_us"] / 1e6),
            **report}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh PostgreSQL database, dropped")
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--ballots", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--http",
        action="store_true",
        help="cast through gunicorn and wrk instead (PostgreSQL only): real HTTP, every core",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (--http)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (--http)")
    parser.add_argument(
        "--seconds", type=int, default=30, help="wrk's run (--http): long enough for every ballot"
    )
    args = parser.parse_args()
    db_name = None
    url = args.database_url
    if url is None:
        db_name = f"ent_bench_governance_{datetime.now(UTC).strftime('%Y%m%dt%H%M%Sz')}"
        url = core_bench.create_database(db_name)
    elif url == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='ent-bench-gov-')) / 'bench.db'}"
    try:
        core_bench.say(f"seeding {args.members} members on {url.split(':')[0]}")
        app, seeded = build(url, args.members)
        if args.http:
            return print_http(
                cast_over_http(url, seeded, args.workers, args.connections, args.seconds), args
            )
        core_bench.say(f"{args.members} ballots in {args.threads} threads")
        cast = cast_all(app, seeded, args.threads)
        rows = verify(app, seeded)
        core_bench.say(f"tally of {args.ballots} ballots")
        counted = tally_bench(app, seeded, args.ballots)
    finally:
        if db_name:
            core_bench.drop_database(db_name)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = args.members
    print(f"database: {url.split(':')[0]}, {args.threads} threads, Flask test client")
    print(f"casting:  {n} ballots in {cast['cast_s']:.2f} s ({n / cast['cast_s']:.0f}/s), "
          f"statuses {cast['cast_statuses']}")  # fmt: skip
    print(f"baseline: {n} GET /api/v1/me in {cast['baseline_s']:.2f} s, "
          f"ratio ballot/me {cast['cast_s'] / cast['baseline_s']:.2f}")  # fmt: skip
    print(f"again:    {n} second ballots in {cast['again_s']:.2f} s, "
          f"statuses {cast['again_statuses']}")  # fmt: skip
    print(f"tables:   {rows}")
    ms = {k: counted[k] * 1e3 for k in ("tally_s", "results_s", "bare_s")}
    print(f"tally:    {args.ballots} ballots in {ms['tally_s']:.1f} ms (median of 7); "
          f"results {ms['results_s']:.1f} ms; bare SELECT {ms['bare_s']:.1f} ms, "
          f"ratio tally/SELECT {ms['tally_s'] / ms['bare_s']:.2f}")  # fmt: skip
    print(f"memory:   {rss_mb:.0f} MB resident peak; tally heap peak "
          f"{counted['heap_peak'] / 1e6:.2f} MB")  # fmt: skip
    exact = (
        cast["cast_statuses"] == {201: n}
        and cast["again_statuses"] == {409: n}
        and rows == {"participations": n, "distinct_members": n, "ballots": n, "tallied": n}
    )
    fast = cast["cast_s"] < CAST_TARGET_S and counted["tally_s"] < TALLY_TARGET_S
    print("no ballot lost or counted twice" if exact else "BALLOTS MISCOUNTED")
    print("PASS" if exact and fast else "OVER TARGET")
    return 0 if exact and fast else 1


def print_http(result: dict[str, Any], args: argparse.Namespace) -> int:
    n, seconds = args.members, result["seconds"]
    latency = result["latency_us"]
    print(f"gunicorn {args.workers} workers, wrk {args.connections} connections, PostgreSQL")
    print(f"casting:  {result['participations']} of {n} ballots in {seconds:.2f} s "
          f"({n / seconds:.0f}/s, first to last in the database); "
          f"p50 {latency['p50'] / 1e3:.1f} ms, p99 {latency['p99'] / 1e3:.1f} ms")  # fmt: skip
    rate = n / seconds
    print(f"baseline: GET /api/v1/me {result['me_per_s']:.0f}/s on the same server; "
          f"ratio ballots/me {rate / result['me_per_s']:.2f}")  # fmt: skip
    print(f"memory:   {result['worker_peak_mb']:.0f} MB peak per worker")
    exact = result["participations"] == n
    print("no ballot lost" if exact else "BALLOTS MISSING")
    fast = seconds < CAST_TARGET_S
    print("PASS" if exact and fast else "OVER TARGET")
    return 0 if exact and fast else 1


if __name__ == "__main__":
    raise SystemExit(main())
