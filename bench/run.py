"""Platform versus bare Flask on PostgreSQL under gunicorn, measured with wrk.

    .venv/bin/python bench/run.py            # 3 rounds of 10 s per app and target
    .venv/bin/python bench/run.py --quick    # 1 round of 3 s
    .venv/bin/python bench/run.py --in-process   # no gunicorn, no wrk: calls and CPU (~1 min)

Creates a fresh database on 127.0.0.1:5432, migrates and seeds it, starts the platform
(``ent_core:create_app()``, every installed plugin) and ``bench/baseline_app.py`` under
gunicorn on loopback, measures a workspace dashboard and ``GET /api/v1/me`` with wrk, prints
throughput, latency, SQL queries per request, the ratio platform/baseline and each worker's
peak resident memory, and writes everything to ``bench/results/<timestamp>.json``.
Method and figures: docs/performance.md. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import dataclasses
import io
import json
import os
import platform as platform_info
import pstats
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BIN = Path(sys.executable).parent
RESULTS = BENCH / "results"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
USER_AGENT = "ent-bench/1"
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway account in a throwaway database
BENCH_SLUG = "bench-000"
#: The issue's target: the platform keeps at least 80% of the baseline's throughput.
TARGET_RATIO = 0.80
#: The brief's limit for one gunicorn worker with every plugin loaded.
WORKER_RSS_LIMIT_MB = 150.0
KINDS = ("media", "auto_entrepreneur", "association", "training_centre")


@dataclass(frozen=True)
class Options:
    duration: int
    warmup: int
    rounds: int
    connections: int
    workers: int
    threads: int
    workspaces: int
    users: int
    keep_db: bool
    profile: bool
    in_process: bool = False


@dataclass
class Target:
    """One URL measured on both apps, with the headers that authenticate it."""

    name: str
    path: str
    headers: dict[str, str]
    note: str = ""
    queries: dict[str, int] = field(default_factory=dict)
    response_bytes: dict[str, int] = field(default_factory=dict)
    inprocess_ms: dict[str, dict[str, float]] = field(default_factory=dict)
    runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    db_events: dict[str, dict[str, int]] = field(default_factory=dict)
    statements: list[str] = field(default_factory=list)
    calls: dict[str, float] = field(default_factory=dict)
    #: Whether both apps answered the same body (CSRF token masked); ``None``: not compared.
    same_output: bool | None = None


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 round of 3 s (a smoke run)")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (default 10)")
    parser.add_argument("--rounds", type=int, help="alternating rounds, median kept (default 3)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app")
    parser.add_argument("--threads", type=int, default=4, help="gthread threads per worker")
    parser.add_argument("--workspaces", type=int, default=200)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--profile", action="store_true", help="profile the platform even if it meets the target"
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="only the in-process figures (calls, CPU, same answers): no gunicorn, no wrk",
    )
    args = parser.parse_args(argv)
    opts = options_from(args, workspaces=args.workspaces, users=args.users, profile=args.profile)
    return dataclasses.replace(opts, in_process=args.in_process)


def options_from(
    args: argparse.Namespace, *, workspaces: int, users: int, profile: bool = False
) -> Options:
    """The run's timing and server options from the command line every bench script shares
    (``--quick``, ``--duration``, ``--rounds``, ``--connections``, ``--workers``,
    ``--threads``, ``--keep-db``)."""
    return Options(
        duration=args.duration or (3 if args.quick else 10),
        warmup=1 if args.quick else 3,
        rounds=args.rounds or (1 if args.quick else 3),
        connections=args.connections,
        workers=args.workers,
        threads=args.threads,
        workspaces=workspaces,
        users=users,
        keep_db=args.keep_db,
        profile=profile,
    )


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# -- database ------------------------------------------------------------------------------


def create_database(name: str) -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_version() -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL) as conn:
        return str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]


def migrate(app: Any) -> str:
    """``ent db upgrade`` once the core has a migration, else ``create_all`` (stated in output)."""
    from sqlalchemy import inspect

    from ent_core.db import db

    if any((ROOT / "ent_core" / "migrations" / "versions").glob("*.py")):
        done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [str(BIN / "ent"), "db", "upgrade"], cwd=ROOT, capture_output=True, text=True
        )
        method = "ent db upgrade"
        if done.returncode != 0:
            # Models ahead of their migrations (work in progress): measure anyway, and say so.
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            say(f"warning: ent db upgrade failed ({last[:200]}); creating missing tables")
            method += f" FAILED ({last[:120]})"
    else:
        method = "db.create_all() (no core migration yet)"
    with app.app_context():
        missing = sorted(set(db.metadata.tables) - set(inspect(db.engine).get_table_names()))
        if missing:
            db.metadata.create_all(db.engine)
            method += f"; create_all for tables without a migration: {', '.join(missing)}"
        from ent_core.charter.service import ensure_default_charter
        from ent_core.workspaces.service import ensure_sectors

        ensure_sectors()
        db.session.commit()
        ensure_default_charter()
    return method


@dataclass(frozen=True)
class Seeded:
    user_id: int
    user_email: str
    workspace_slug: str
    enabled: list[str]
    refused: dict[str, str]
    counts: dict[str, int]


def seed(app: Any, opts: Options) -> Seeded:
    """Users, workspaces, memberships and activations in bulk; the bench workspace by service."""
    from sqlalchemy import func, insert, select

    from ent_core.db import all_workspaces, db, utcnow
    from ent_core.identity.models import User
    from ent_core.identity.passwords import hash_password
    from ent_core.workspaces.models import (
        Membership,
        PluginActivation,
        Sector,
        Workspace,
        workspace_sector,
    )
    from ent_core.workspaces.service import WorkspaceError, enable_plugin

    rng = random.Random(2026)  # the same data on every run
    with app.app_context(), all_workspaces():  # seeding spans workspaces
        now = utcnow()
        password_hash = hash_password(PASSWORD)  # one argon2 hash shared: seeding stays fast
        users = [
            {
                "email": f"user{i:04d}@bench.example",
                "name": f"Utilisatrice {i:04d}",
                "password_hash": password_hash,
                "email_verified_at": now,
                "is_admin": False,
                "is_active_account": True,
                "session_nonce": secrets.token_urlsafe(12),
                "created_at": now,
            }
            for i in range(opts.users)
        ]
        users.append(
            {**users[0], "email": "admin@bench.example", "name": "Admin", "is_admin": True}
        )
        db.session.execute(insert(User), users)
        user_ids = list(db.session.scalars(select(User.id).order_by(User.id)))
        sign_charter(user_ids, now)
        admin = db.session.scalar(select(User).where(User.email == "admin@bench.example"))
        db.session.execute(
            insert(Workspace),
            [
                {
                    "slug": f"bench-{i:03d}",
                    "name": f"Espace de test {i:03d}",
                    "kind": KINDS[i % len(KINDS)],
                    "status": "approved",
                    "created_at": now,
                    "activation_serial": 0,
                }
                for i in range(opts.workspaces)
            ],
        )
        ws_ids = list(db.session.scalars(select(Workspace.id).order_by(Workspace.id)))
        sector_ids = list(db.session.scalars(select(Sector.id)))
        db.session.execute(
            insert(workspace_sector),
            [
                {"workspace_id": w, "sector_id": s}
                for w in ws_ids
                for s in rng.sample(sector_ids, k=min(2, len(sector_ids)))
            ],
        )
        members: dict[tuple[int, int], str] = {}
        for n, ws in enumerate(ws_ids):
            members[(ws, user_ids[n % opts.users])] = "owner"
        for n, uid in enumerate(user_ids[: opts.users]):
            for ws in {ws_ids[n % len(ws_ids)], ws_ids[(n * 7 + 3) % len(ws_ids)]}:
                members.setdefault((ws, uid), rng.choice(("admin", "editor", "member", "member")))
        db.session.execute(
            insert(Membership),
            [
                {"workspace_id": w, "user_id": u, "role": r, "created_at": now}
                for (w, u), r in members.items()
            ],
        )
        db.session.commit()

        registry = app.extensions["ent"]
        names = [p.name for p in registry.ordered()]
        rows = []
        for ws in ws_ids[1:]:
            chosen: list[str] = []
            for plugin in registry.ordered():
                if rng.random() < 0.5 and all(r in chosen for r in plugin.meta.requires):
                    chosen.append(plugin.name)
            rows += [
                {
                    "workspace_id": ws,
                    "plugin": name,
                    "enabled": True,
                    "settings": {},
                    "enabled_at": now,
                    "updated_at": now,
                }
                for name in chosen
            ]
        if rows:
            db.session.execute(insert(PluginActivation), rows)
        db.session.commit()

        bench_ws = db.session.scalar(select(Workspace).where(Workspace.slug == BENCH_SLUG))
        enabled: list[str] = []
        refused: dict[str, str] = {}
        pending = list(names)
        while pending:  # dependency order: retry until nothing more can be switched on
            progress = False
            for name in list(pending):
                try:
                    try:
                        enable_plugin(bench_ws, name, actor=admin, operator=True)
                    except WorkspaceError as exc:
                        if exc.code != "not_entitled":
                            raise
                        db.session.rollback()
                        switch_on_unentitled(app, bench_ws, name, now)
                        refused[f"{name} (switched on without a plan)"] = exc.message
                except WorkspaceError as exc:
                    refused[name] = f"{exc.code}: {exc.message}"
                    if exc.code == "plugin_requires":
                        continue
                    pending.remove(name)
                else:
                    enabled.append(name)
                    refused.pop(name, None)  # a retry after its requirements were met
                    pending.remove(name)
                    progress = True
            if not progress:
                break
        counts = {
            "users": db.session.scalar(select(func.count(User.id))),
            "workspaces": db.session.scalar(select(func.count(Workspace.id))),
            "memberships": db.session.scalar(select(func.count(Membership.id))),
            "plugin_activations": db.session.scalar(select(func.count(PluginActivation.id))),
        }
        first = db.session.get(User, user_ids[0])
        return Seeded(first.id, first.email, BENCH_SLUG, enabled, refused, counts)


def switch_on_unentitled(app: Any, workspace: Any, name: str, now: datetime) -> None:
    """Switch a plugin on as ``enable_plugin`` does, minus the plan check (billing data is not
    seeded): the benchmark prices the plugin at run time, not the subscription."""
    from ent_core.db import db
    from ent_core.workspaces.models import PluginActivation, Workspace

    db.session.add(
        PluginActivation(
            workspace_id=workspace.id, plugin=name, enabled=True, settings={}, enabled_at=now
        )
    )
    workspace.activation_serial = Workspace.activation_serial + 1
    db.session.commit()
    registry = app.extensions["ent"]
    registry.forget(workspace)
    from ent_core.workspaces.service import plugin_settings

    registry.only(name, "ent_workspace_enabled")(
        workspace=workspace, settings=plugin_settings(workspace, name)
    )


def sign_charter(user_ids: list[int], now: datetime) -> None:
    """Everyone has signed the current charter, or the gate would redirect every page."""
    from sqlalchemy import insert

    from ent_core.charter.models import CharterSignature
    from ent_core.charter.service import current_version as current_charter
    from ent_core.charter.service import ensure_default_charter, sha256_of, text_for
    from ent_core.db import db

    ensure_default_charter()
    charter = current_charter()
    if charter is None:
        return
    digest = sha256_of(text_for(charter, "fr").body)
    db.session.execute(
        insert(CharterSignature),
        [
            {
                "user_id": uid,
                "version_id": charter.id,
                "language": "fr",
                "text_sha256": digest,
                "signed_at": now,
                "ip_address": "127.0.0.1",
                "user_agent": USER_AGENT,
            }
            for uid in user_ids
        ],
    )


# -- credentials -----------------------------------------------------------------------------

_CSRF_RE = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
)


def _cookie_from(response: Any, name: str) -> str | None:
    for header in response.headers.getlist("Set-Cookie"):
        key, _, rest = header.partition("=")
        if key == name:
            return rest.split(";", 1)[0]
    return None


def session_cookie(app: Any, seeded: Seeded) -> tuple[str, str]:
    """Sign in through ``/auth/sign-in`` (email, password, CSRF); mint the cookie if it fails.

    Either way the cookie is bound (Flask-Login "strong" protection) to 127.0.0.1 and
    ``USER_AGENT``, which is what wrk sends.
    """
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    client = app.test_client(use_cookies=False)
    headers = {"User-Agent": USER_AGENT}
    form = client.get("/auth/sign-in", headers=headers)
    match = _CSRF_RE.search(form.get_data(as_text=True))
    cookie = _cookie_from(form, name)
    if form.status_code == 200 and match and cookie:
        posted = client.post(
            "/auth/sign-in",
            headers={**headers, "Cookie": f"{name}={cookie}"},
            data={
                "email": seeded.user_email,
                "password": PASSWORD,
                "csrf_token": match.group(1) or match.group(2),
            },
        )
        signed_in = _cookie_from(posted, name)
        if posted.status_code in (302, 303) and signed_in:
            check = client.get(
                f"/w/{seeded.workspace_slug}/",
                headers={**headers, "Cookie": f"{name}={signed_in}"},
            )
            if check.status_code == 200:
                return f"{name}={signed_in}", "signed in through /auth/sign-in"
    return f"{name}={mint_cookie(app, seeded)}", "minted with SECRET_KEY (sign-in form not usable)"


def mint_cookie(app: Any, seeded: Seeded) -> str:
    from flask import session
    from flask_login import login_user

    from ent_core.db import db
    from ent_core.identity.models import User

    with app.test_request_context(
        "/", headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": "127.0.0.1"}
    ):
        login_user(db.session.get(User, seeded.user_id))
        data = dict(session)
        return app.session_interface.get_signing_serializer(app).dumps(data)  # type: ignore[attr-defined]


def api_token(app: Any, seeded: Seeded) -> str:
    from ent_core.db import db
    from ent_core.identity.models import User
    from ent_core.identity.tokens import create_api_token

    with app.app_context():
        _, secret = create_api_token(db.session.get(User, seeded.user_id), "bench")
        return secret


# -- in-process: queries per request, timing, profile -----------------------------------------


def encode_param(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, list | tuple):
        return [encode_param(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot carry a {type(value).__name__} parameter to the baseline")


@dataclass
class Recording:
    """What one request sent to the database: statements, and pool/transaction round trips."""

    statements: list[dict[str, Any]] = field(default_factory=list)
    events: dict[str, int] = field(default_factory=dict)


@contextlib.contextmanager
def recording(app: Any, sqlalchemy_ext: Any) -> Iterator[Recording]:
    """Listen to ``before_cursor_execute`` plus pool checkouts, commits and rollbacks."""
    from sqlalchemy import event

    rec = Recording()

    def statement(conn: Any, cursor: Any, sql: str, parameters: Any, *_: Any) -> None:
        rec.statements.append({"statement": sql, "parameters": parameters})

    def counter(name: str) -> Any:
        def count(*_: Any) -> None:
            rec.events[name] = rec.events.get(name, 0) + 1

        return count

    with app.app_context():
        engine = sqlalchemy_ext.engine
    listeners = [("before_cursor_execute", statement)] + [
        (name, counter(name)) for name in ("checkout", "commit", "rollback")
    ]
    had_events = engine._has_events
    for name, fn in listeners:
        event.listen(engine, name, fn)
    try:
        yield rec
    finally:
        for name, fn in listeners:
            event.remove(engine, name, fn)
        # A listener leaves the engine on its slower path for good (``_has_events`` stays set):
        # the timed requests after this one would pay for events nobody listens to any more.
        engine._has_events = had_events


def steady_request(app: Any, ext: Any, target: Target) -> tuple[Recording, Any]:
    """What the second identical request sends (caches warm, as under load)."""
    client = app.test_client(use_cookies=False)
    client.get(target.path, headers=target.headers)
    with recording(app, ext) as rec:
        response = client.get(target.path, headers=target.headers)
    return rec, response


def time_inprocess(app: Any, target: Target, seconds: float = 3.0) -> dict[str, float]:
    """Wall and CPU milliseconds per request through the test client, without the network.

    CPU time (``process_time``) leaves out the waits on PostgreSQL and on other processes,
    so it stays comparable on a busy machine where wall-clock throughput does not.
    """
    client = app.test_client(use_cookies=False)
    for _ in range(5):
        client.get(target.path, headers=target.headers)
    count, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        client.get(target.path, headers=target.headers)
        count += 1
    return {
        "wall_ms": (time.perf_counter() - start) * 1000 / count,
        "cpu_ms": (time.process_time() - cpu) * 1000 / count,
    }


def calls_inprocess(app: Any, target: Target, requests: int = 20) -> float:
    """Python function calls per steady request (cProfile's count): unlike time, the count
    does not move with the machine's load, so it compares runs on a busy machine."""
    client = app.test_client(use_cookies=False)
    for _ in range(5):
        client.get(target.path, headers=target.headers)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(target.path, headers=target.headers)
    profiler.disable()
    return pstats.Stats(profiler).total_calls / requests  # type: ignore[attr-defined,no-any-return]


def profile_inprocess(app: Any, target: Target, requests: int = 400) -> dict[str, Any]:
    """cProfile of a request loop: where the platform's time goes, grouped by package."""
    client = app.test_client(use_cookies=False)
    for _ in range(20):
        client.get(target.path, headers=target.headers)
    profiler = cProfile.Profile(time.process_time)  # CPU only: waits on the database excluded
    profiler.enable()
    for _ in range(requests):
        client.get(target.path, headers=target.headers)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    by_package: dict[str, float] = {}
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_package[_package_of(filename)] = by_package.get(_package_of(filename), 0.0) + tottime
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    components = {}
    for label, (path_part, function) in COMPONENTS.items():
        cumulative = sum(
            value[3]
            for (filename, _, name), value in stats.stats.items()  # type: ignore[attr-defined]
            if name == function and filename.endswith(path_part)
        )
        components[label] = round(cumulative / total, 3)
    ours = sorted(
        (
            (value[3] / total, value[1] / requests, f"{_strip_paths(filename)}:{name}")
            for (filename, _, name), value in stats.stats.items()  # type: ignore[attr-defined]
            if filename.startswith(str(ROOT)) and "/.venv/" not in filename
        ),
        reverse=True,
    )
    return {
        "target": target.name,
        "requests": requests,
        "cpu_ms_per_request": total * 1000 / requests,
        "platform_functions": [
            {"function": where, "cumulative_share": round(share, 3), "calls_per_request": calls}
            for share, calls, where in ours[:40]
        ],
        "cumulative_share_by_component": components,
        "self_time_share_by_package": {
            k: round(v / total, 3)
            for k, v in sorted(by_package.items(), key=lambda kv: -kv[1])[:15]
        },
        "cumulative_top": _strip_paths(out.getvalue()),
    }


#: Where the platform spends CPU, by the function that enters each part (shares overlap:
#: the ORM runs inside the tenancy guard, templates call permissions, and so on).
COMPONENTS = {
    "tenancy guard (pull_workspace)": ("ent_core/tenancy.py", "pull_workspace"),
    "Flask-Login user loading": ("flask_login/login_manager.py", "_load_user"),
    "permission checks (has_permission)": ("ent_core/permissions.py", "has_permission"),
    "plugin hook calls (pluggy)": ("pluggy/_manager.py", "_hookexec"),
    "template rendering": ("flask/templating.py", "render_template"),
    "url_for": ("flask/app.py", "url_for"),
    "links in templates (template_url_for, cached)": ("ent_core/speedups.py", "template_url_for"),
    "user loader (load_user, charter state included)": ("ent_core/identity/login.py", "load_user"),
    "bearer token loader": ("ent_core/identity/login.py", "load_user_from_token"),
    "Babel translations": ("flask_babel/__init__.py", "get_translations"),
    "ORM statement execution": ("sqlalchemy/orm/session.py", "_execute_internal"),
    "ORM lazy loads": ("sqlalchemy/orm/strategies.py", "_emit_lazyload"),
    "tenant filter (do_orm_execute)": ("ent_core/db.py", "_filter_by_current_workspace"),
    "driver (psycopg execute)": ("psycopg/cursor.py", "execute"),
    "session cookie (open_session)": ("flask/sessions.py", "open_session"),
}


def _package_of(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if str(ROOT) in filename:
        parts = Path(filename).relative_to(ROOT).parts
        return "/".join(parts[:2]) if parts[0] == "ent_core" else parts[0]
    if filename.startswith("<") or filename == "~":
        return "builtins"
    return "stdlib"


def _strip_paths(text: str) -> str:
    text = re.sub(r"\S*site-packages/", "", text)
    return text.replace(str(ROOT) + "/", "")


# -- gunicorn and wrk ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_redis(logdir: Path) -> tuple[str, subprocess.Popen[bytes] | None]:
    """A private, memory-only Redis (production requires REDIS_URL; nothing here uses jobs)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("REDIS_URL"):
            return os.environ["REDIS_URL"], None
        raise RuntimeError("redis-server is not installed: apt-get install -y redis-server")
    port = free_port()
    with (logdir / "redis.log").open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return f"redis://127.0.0.1:{port}/0", process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("redis-server did not start within 20 s")


def start_server(name: str, app_spec: str, opts: Options, logdir: Path, extra: list[str]) -> Server:
    """gunicorn with gthread workers: the settings ``ent serve`` uses (ent_core/serve.py)."""
    port = free_port()
    log = logdir / f"{name}.log"
    cmd = [
        str(BIN / "gunicorn"),
        app_spec,
        *extra,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(opts.workers),
        "--worker-class",
        "gthread" if opts.threads > 1 else "sync",
        "--threads",
        str(opts.threads),
        "--log-level",
        "warning",
        "--keep-alive",
        "5",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    server = Server(name, process, port, log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} gunicorn exited:\n{log.read_text()[-3000:]}")
        # Ready once every worker has built its app: a few answered probes in a row.
        if len(server.workers()) >= opts.workers and all(
            _answers(server.base + "/healthz") for _ in range(2 * opts.workers)
        ):
            return server
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"{name} gunicorn did not start within 120 s; see {log}")


def _answers(url: str) -> bool:
    import requests

    try:
        return requests.get(url, timeout=30).status_code == 200
    except requests.RequestException:
        return False


def preflight(server: Server, target: Target) -> int:
    """One real HTTP request: the server must answer 200, not a redirect to sign-in."""
    import requests

    response = requests.get(
        server.base + target.path, headers=target.headers, allow_redirects=False, timeout=60
    )
    if response.status_code != 200:
        raise RuntimeError(
            f"{server.name} {target.path} answered {response.status_code} "
            f"{response.headers.get('Location', '')}: {response.text[:300]}"
        )
    return len(response.content)


def wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> dict[str, Any]:
    cmd = [
        shutil.which("wrk") or "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
    ]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    cmd += ["-s", str(BENCH / "wrk_report.lua"), url]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout  # noqa: S603
    line = next(x for x in out.splitlines() if x.startswith("ENT_BENCH_JSON "))
    data = json.loads(line.split(" ", 1)[1])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def memory_of(server: Server) -> list[dict[str, Any]]:
    """Peak (VmHWM) and current (VmRSS) resident memory of each gunicorn worker, in MB."""
    rows = []
    for worker in server.workers():
        fields = {}
        for line in Path(f"/proc/{worker.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                fields[key] = int(value.split()[0]) / 1024
        uss = worker.memory_full_info().uss / 2**20
        rows.append(
            {
                "pid": worker.pid,
                "peak_rss_mb": round(fields["VmHWM"], 1),
                "rss_mb": round(fields["VmRSS"], 1),
                "uss_mb": round(uss, 1),
            }
        )
    return rows


# -- report ----------------------------------------------------------------------------------


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(runs, key=lambda r: r["rps"])
    return ordered[len(ordered) // 2]


def summarise(targets: list[Target]) -> list[dict[str, Any]]:
    rows = []
    for t in targets:
        row: dict[str, Any] = {"target": t.name, "path": t.path, "note": t.note}
        for app in ("platform", "baseline"):
            m = median_run(t.runs[app])
            row[app] = {
                "rps": round(m["rps"], 1),
                "rps_all_rounds": [round(r["rps"], 1) for r in t.runs[app]],
                "p50_ms": m["latency_us"]["p50"] / 1000,
                "p99_ms": m["latency_us"]["p99"] / 1000,
                "errors": m["errors"],
                "queries_per_request": t.queries[app],
                "db_round_trips_other": t.db_events[app],
                "response_bytes": t.response_bytes[app],
                "inprocess_wall_ms": round(t.inprocess_ms[app]["wall_ms"], 3),
                "inprocess_cpu_ms": round(t.inprocess_ms[app]["cpu_ms"], 3),
                "python_calls_per_request": round(t.calls[app]),
            }
        row["platform_statements"] = t.statements
        row["same_output"] = t.same_output
        row["cpu_ratio"] = round(
            t.inprocess_ms["platform"]["cpu_ms"] / t.inprocess_ms["baseline"]["cpu_ms"], 2
        )
        row["baseline_raw_inprocess_cpu_ms"] = round(t.inprocess_ms["baseline_raw"]["cpu_ms"], 3)
        ratio = row["platform"]["rps"] / row["baseline"]["rps"]
        row["ratio"] = round(ratio, 3)
        row["overhead_pct"] = round((1 - ratio) * 100, 1)
        row["meets_target"] = ratio >= TARGET_RATIO
        rows.append(row)
    return rows


def print_table(rows: list[dict[str, Any]], memory: dict[str, list[dict[str, Any]]]) -> None:
    head = f"{'target':<11}{'app':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
    head += f"{'SQL/req':>9}{'bytes':>8}{'CPU ms':>9}"
    print("\n(req/s and latency: gunicorn + wrk over loopback, median round; SQL/req, bytes and")
    print(" CPU ms: one in-process request; baseline = same statements through the ORM)")
    print("\n" + head)
    print("-" * len(head))
    for row in rows:
        for app in ("platform", "baseline"):
            a = row[app]
            print(
                f"{row['target'] if app == 'platform' else '':<11}{app:<10}{a['rps']:>9.1f}"
                f"{a['p50_ms']:>9.2f}{a['p99_ms']:>9.2f}{a['queries_per_request']:>9}"
                f"{a['response_bytes']:>8}{a['inprocess_cpu_ms']:>9.2f}"
            )
        verdict = "meets" if row["meets_target"] else "MISSES"
        print(
            f"{'':<11}ratio platform/baseline = {row['ratio']:.2f} "
            f"(overhead {row['overhead_pct']:.0f}%, {verdict} the < 20% target); "
            f"CPU per request platform/baseline = {row['cpu_ratio']:.2f}"
        )
        print(
            f"{'':<11}raw-SQL baseline (no ORM objects): "
            f"{row['baseline_raw_inprocess_cpu_ms']:.2f} CPU ms/request in-process"
        )
        print(
            f"{'':<11}Python function calls per request: platform "
            f"{row['platform']['python_calls_per_request']}, baseline "
            f"{row['baseline']['python_calls_per_request']} (steady on a busy machine)"
        )
        spread = max(
            (max(row[a]["rps_all_rounds"]) - min(row[a]["rps_all_rounds"])) / row[a]["rps"]
            for a in ("platform", "baseline")
        )
        if spread > 0.25:
            print(
                f"{'':<11}rounds vary by up to {spread:.0%} of the median: the machine is busy; "
                "trust the CPU ratio more, or rerun on a quiet machine"
            )
        if row["note"]:
            print(f"{'':<11}note: {row['note']}")
    print("\nPeak resident memory per gunicorn worker (VmHWM):")
    for app, rows_ in memory.items():
        for w in rows_:
            flag = ""
            if app == "platform":
                flag = "ok" if w["peak_rss_mb"] < WORKER_RSS_LIMIT_MB else "OVER LIMIT"
                flag = f"  ({flag}: limit {WORKER_RSS_LIMIT_MB:.0f} MB)"
            print(
                f"  {app:<9} pid {w['pid']:<8} peak {w['peak_rss_mb']:6.1f} MB  "
                f"now {w['rss_mb']:6.1f} MB  unique {w['uss_mb']:6.1f} MB{flag}"
            )


def git_commit() -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(  # noqa: S603
            [shutil.which("git") or "/usr/bin/git", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain"))}


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform_info.processor(),
    )
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform_info.python_version(),
        "postgresql": postgres_version(),
        "wrk": subprocess.run(  # noqa: S603 - fixed arguments
            [shutil.which("wrk") or "wrk", "--version"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.splitlines()[0],
    }


# -- main ------------------------------------------------------------------------------------


def build_targets(app: Any, seeded: Seeded, cookie: str, token: str) -> list[Target]:
    paths = {rule.rule for rule in app.url_map.iter_rules()}
    browser = {"User-Agent": USER_AGENT, "Cookie": cookie}
    targets = [Target("dashboard", f"/w/{seeded.workspace_slug}/", browser)]
    if "/api/v1/me" in paths:
        api_headers = {"User-Agent": USER_AGENT, "Authorization": f"Bearer {token}"}
        targets.append(Target("api", "/api/v1/me", api_headers))
    else:
        targets.append(
            Target(
                "api",
                "/healthz",
                {"User-Agent": USER_AGENT},
                note="GET /api/v1/me is not built yet: /healthz measured instead",
            )
        )
    return targets


def measure_queries(
    platform_app: Any, baseline_app: Any, baseline_db: Any, targets: list[Target], capture: Path
) -> list[str]:
    """Capture the platform's statements, hand them to the baseline, check both send as many."""
    from ent_core.db import db

    warnings = []
    captured: dict[str, list[dict[str, Any]]] = {}
    bodies: dict[str, bytes] = {}
    for t in targets:
        rec, response = steady_request(platform_app, db, t)
        if response.status_code != 200:
            raise RuntimeError(
                f"platform {t.path} answered {response.status_code} in-process "
                f"{response.headers.get('Location', '')}"
            )
        seen = rec.statements
        writes = [s for s in seen if not s["statement"].lstrip().upper().startswith("SELECT")]
        if writes:
            warnings.append(
                f"{t.name}: the platform writes on a steady request: "
                + "; ".join(w["statement"][:80] for w in writes)
            )
        t.queries["platform"] = len(seen)
        t.db_events["platform"] = rec.events
        t.statements = [" ".join(s["statement"].split())[:300] for s in seen]
        t.response_bytes["platform"] = len(response.get_data())
        bodies[t.name] = response.get_data()
        captured[t.name] = [
            {
                "statement": s["statement"],
                "parameters": {k: encode_param(v) for k, v in s["parameters"].items()}
                if isinstance(s["parameters"], dict)
                else [encode_param(v) for v in s["parameters"]],
            }
            for s in seen
        ]
    capture.write_text(json.dumps(captured, indent=1), encoding="utf-8")
    for t in targets:
        rec, response = steady_request(baseline_app(), baseline_db, t)
        if response.status_code != 200:
            raise RuntimeError(f"baseline {t.path} answered {response.status_code} in-process")
        t.queries["baseline"] = len(rec.statements)
        t.db_events["baseline"] = rec.events
        t.response_bytes["baseline"] = len(response.get_data())
        if t.queries["baseline"] != t.queries["platform"]:
            warnings.append(f"{t.name}: query counts differ")
        if t.db_events["baseline"] != t.db_events["platform"]:
            warnings.append(
                f"{t.name}: connection checkouts/commits/rollbacks differ: "
                f"platform {t.db_events['platform']}, baseline {t.db_events['baseline']}"
            )
        difference = first_difference(bodies[t.name], response.get_data())
        t.same_output = difference is None
        if difference is not None:
            warnings.append(f"{t.name}: the baseline's response differs: {difference}")
    return warnings


#: The CSRF token (sign-out form, meta tag), random per request: masked before comparing.
_CSRF_INPUT = re.compile(rb'<input[^>]*\bname="csrf_token"[^>]*>|<meta name="csrf-token"[^>]*>')


def first_difference(platform: bytes, baseline: bytes) -> str | None:
    """Where the baseline's body first departs from the platform's, or ``None`` if it does not.

    The yardstick is a bare app serving *the same response*: a shorter page would count the
    platform's content as its overhead. Only the CSRF token's value is masked.
    """

    def masked(body: bytes) -> list[str]:
        body = _CSRF_INPUT.sub(
            lambda m: re.sub(rb'(value|content)="[^"]*"', rb'\1="-"', m[0]), body
        )
        return body.decode("utf-8", "replace").splitlines()

    ours, theirs = masked(platform), masked(baseline)
    for number, (a, b) in enumerate(zip(ours, theirs, strict=False), start=1):
        if a != b:
            pairs = enumerate(zip(a, b, strict=False))
            at = next((i for i, (x, y) in pairs if x != y), min(len(a), len(b)))
            near = slice(max(0, at - 40), at + 60)
            return f"line {number}: platform {a[near]!r}, baseline {b[near]!r}"
    if len(ours) != len(theirs):
        return f"line {min(len(ours), len(theirs)) + 1}: {len(ours)} lines vs {len(theirs)}"
    return None


def run(opts: Options) -> int:
    if not opts.in_process and shutil.which("wrk") is None:
        print("wrk is not installed. On Debian or Ubuntu: apt-get install -y wrk", file=sys.stderr)
        return 2
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    load_at_start = os.getloadavg()
    if load_at_start[0] > 0.5:
        say(
            f"warning: load average {load_at_start[0]:.1f} before starting: other work shares "
            "the cores, so absolute figures will be low and noisy"
        )
    db_name = f"ent_bench_{stamp.lower()}"
    workdir = Path(tempfile.mkdtemp(prefix="ent-bench-"))
    say(f"database {db_name} on 127.0.0.1:5432; work files in {workdir}")
    url = create_database(db_name)
    servers: list[Server] = []
    redis_process = None
    try:
        redis_url, redis_process = start_redis(workdir)
        return _run(opts, stamp, load_at_start, url, redis_url, workdir, servers)
    finally:
        for s in servers:
            s.stop()
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(timeout=10)
        if opts.keep_db:
            say(f"kept database {db_name}")
        else:
            drop_database(db_name)  # WITH (FORCE) also closes this process's pooled connections
        shutil.rmtree(workdir, ignore_errors=True)


def _run(
    opts: Options,
    stamp: str,
    load_at_start: tuple[float, float, float],
    url: str,
    redis_url: str,
    workdir: Path,
    servers: list[Server],
) -> int:
    """Set up, measure and report; ``run`` cleans up whatever this leaves running."""
    capture = workdir / "capture.json"
    os.environ.update(
        {
            "ENT_ENV": "production",
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SMTP_URL": "smtp://127.0.0.1:2525",  # required in production; nothing is sent
            "ENT_INSTANCE_PATH": str(workdir / "instance"),
            "ENT_BASE_URL": "http://127.0.0.1:5000",
            "ENT_BENCH_CAPTURE": str(capture),
            "ENT_BENCH_BASELINE": "orm",
            "REDIS_URL": redis_url,
        }
    )
    from ent_core import create_app

    app = create_app()
    plugins = [p.name for p in app.extensions["ent"].ordered()]
    say(f"plugins installed: {', '.join(plugins) or 'none'}")
    schema = migrate(app)
    say(f"schema: {schema}")
    seeded = seed(app, opts)
    say(f"seeded {seeded.counts}; bench workspace enables {seeded.enabled}")
    for name, why in seeded.refused.items():
        say(f"  plugin {name}: {why}")
    cookie, how = session_cookie(app, seeded)
    say(f"session cookie {how}")
    token = api_token(app, seeded)
    targets = build_targets(app, seeded, cookie, token)

    sys.path.insert(0, str(BENCH))
    import baseline_app

    baseline_apps: dict[str, Any] = {}

    def baseline(mode: str = "orm") -> Any:
        if mode not in baseline_apps:
            os.environ["ENT_BENCH_BASELINE"] = mode
            baseline_apps[mode] = baseline_app.create_app()
            os.environ["ENT_BENCH_BASELINE"] = "orm"  # what gunicorn serves
        return baseline_apps[mode]

    warnings = measure_queries(app, baseline, baseline_app.db, targets, capture)
    for w in warnings:
        say(f"warning: {w}")
    for t in targets:
        t.calls["platform"] = calls_inprocess(app, t)
        t.calls["baseline"] = calls_inprocess(baseline(), t)
    if opts.in_process:
        print_in_process(app, targets, baseline)
        return 0
    for t in targets:
        t.inprocess_ms["platform"] = time_inprocess(app, t)
        t.inprocess_ms["baseline"] = time_inprocess(baseline(), t)
        t.inprocess_ms["baseline_raw"] = time_inprocess(baseline("raw"), t)

    servers.append(start_server("platform", "ent_core:create_app()", opts, workdir, []))
    servers.append(
        start_server(
            "baseline", "baseline_app:create_app()", opts, workdir, ["--pythonpath", "bench"]
        )
    )
    load(servers, targets, opts)
    memory = {s.name: memory_of(s) for s in servers}
    rows = summarise(targets)
    print_table(rows, memory)

    profiles = []
    if opts.profile or not all(r["meets_target"] for r in rows):
        for t in targets:
            profiles.append(profile_inprocess(app, t))
        print("\nWhere the platform's CPU goes (cProfile in-process; shares overlap):")
        for p in profiles:
            print(f"  {p['target']} ({p['cpu_ms_per_request']:.1f} CPU ms/request profiled):")
            for label, share in sorted(
                p["cumulative_share_by_component"].items(), key=lambda kv: -kv[1]
            ):
                print(f"    {share:6.0%}  {label}")

    out = write_results(
        stamp,
        {
            "machine": {
                **machine(),
                "load_average_at_start": load_at_start,
                "load_average_at_end": os.getloadavg(),
            },
            "settings": {
                "duration_s": opts.duration,
                "warmup_s": opts.warmup,
                "rounds": opts.rounds,
                "wrk": f"-t1 -c{opts.connections}",
                "gunicorn": f"--workers {opts.workers} --worker-class "
                f"{'gthread' if opts.threads > 1 else 'sync'} --threads {opts.threads}",
                "ENT_ENV": "production",
            },
            "schema": schema,
            "seed": seeded.counts,
            "plugins_installed": plugins,
            "plugins_enabled_in_bench_workspace": seeded.enabled,
            "plugins_refused": seeded.refused,
            "session_cookie": how,
            "warnings": warnings,
            "results": rows,
            "memory": memory,
            "worker_rss_limit_mb": WORKER_RSS_LIMIT_MB,
            "profiles": profiles,
        },
    )
    say(f"results written to {out.relative_to(ROOT)}")
    return 0


def print_in_process(
    platform_app: Any, targets: list[Target], baseline: Any, rounds: int = 5
) -> None:
    """``--in-process``: the steady figures, for iterating on a change in a minute.

    CPU per request is the median of ``rounds`` alternating rounds of one second per app, so
    both apps see the same machine load; calls are cProfile's exact count.
    """
    print(
        f"\n{'target':<11}{'SQL':>5}{'same page':>11}{'calls p / b':>16}{'ratio':>7}"
        f"{'CPU ms p / b':>16}{'ratio':>7}"
    )
    for t in targets:
        cpu: dict[str, list[float]] = {"platform": [], "baseline": []}
        for index in range(rounds):
            order = ("platform", "baseline") if index % 2 == 0 else ("baseline", "platform")
            for name in order:
                app = platform_app if name == "platform" else baseline()
                cpu[name].append(time_inprocess(app, t, seconds=1.0)["cpu_ms"])
        p, b = (sorted(cpu[n])[rounds // 2] for n in ("platform", "baseline"))
        calls_p, calls_b = t.calls["platform"], t.calls["baseline"]
        print(
            f"{t.name:<11}{t.queries['platform']:>5}{t.same_output!s:>11}"
            f"{calls_p:>8.0f} / {calls_b:<5.0f}{calls_b / calls_p:>7.2f}"
            f"{p:>8.2f} / {b:<5.2f}{b / p:>7.2f}"
        )
    print("(ratio = baseline / platform: the share of the baseline's throughput, CPU-bound)")


def load(servers: list[Server], targets: list[Target], opts: Options) -> None:
    """Warm each server up, then alternate which app goes first in each round."""
    for t in targets:
        for s in servers:
            preflight(s, t)
            wrk(s.base + t.path, t.headers, opts.warmup, opts.connections)
    for r in range(opts.rounds):
        for t in targets:
            for s in servers if r % 2 == 0 else reversed(servers):
                result = wrk(s.base + t.path, t.headers, opts.duration, opts.connections)
                t.runs.setdefault(s.name, []).append(result)
                p99 = result["latency_us"]["p99"] / 1000
                say(
                    f"round {r + 1}/{opts.rounds} {t.name:<9} {s.name:<8} "
                    f"{result['rps']:8.1f} req/s  p99 {p99:.1f} ms"
                )


def write_results(stamp: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{stamp}.json"
    payload = {"date": stamp, "git": git_commit(), **data}
    out.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
