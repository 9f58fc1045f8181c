"""What the plugin benchmarks share: a throwaway platform environment and statement capture.

``bench/run.py`` holds the measuring helpers (gunicorn, wrk, in-process timing); this module
holds the set-up the plugin benchmarks (``publishing.py``, ``training.py``) would otherwise
each repeat: a fresh database, a private Redis, the production environment variables, and
the capture of what one steady platform request sends PostgreSQL (which the bare Flask
baselines replay).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import run as core_bench  # noqa: E402 - bench/ is on the path now


@dataclass
class Environment:
    """One benchmark's database, work folder and Redis; ``servers`` are stopped on exit."""

    stamp: str
    db_name: str
    database_url: str
    workdir: Path
    redis_url: str
    servers: list[Any] = field(default_factory=list)

    @property
    def capture(self) -> Path:
        return Path(os.environ["ENT_BENCH_CAPTURE"])


@contextlib.contextmanager
def environment(
    prefix: str, *, keep_db: bool = False, redis_url: str | None = None, **extra_env: str
) -> Iterator[Environment]:
    """A fresh database ``ent_bench_<prefix>_<timestamp>`` and the production settings.

    Without ``redis_url`` a private, memory-only ``redis-server`` is started. Everything is
    removed on exit (the database too unless ``keep_db``), whatever happened inside.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    db_name = f"ent_bench_{prefix}_{stamp.lower()}"
    workdir = Path(tempfile.mkdtemp(prefix=f"ent-bench-{prefix}-"))
    url = core_bench.create_database(db_name)
    redis_process = None
    env: Environment | None = None
    try:
        if redis_url is None:
            redis_url, redis_process = core_bench.start_redis(workdir)
        os.environ.update(
            {
                "ENT_ENV": "production",
                "DATABASE_URL": url,
                "SECRET_KEY": secrets.token_urlsafe(32),
                "SMTP_URL": "smtp://127.0.0.1:2525",  # required in production
                "ENT_INSTANCE_PATH": str(workdir / "instance"),
                "ENT_BASE_URL": "http://127.0.0.1:5000",
                "ENT_BENCH_CAPTURE": str(workdir / "capture.json"),
                "REDIS_URL": redis_url,
                **extra_env,
            }
        )
        env = Environment(stamp, db_name, url, workdir, redis_url)
        yield env
    finally:
        for server in env.servers if env else []:
            server.stop()
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(timeout=10)
        if keep_db:
            core_bench.say(f"kept database {db_name}")
        else:
            core_bench.drop_database(db_name)  # WITH (FORCE): pooled connections closed too
        shutil.rmtree(workdir, ignore_errors=True)


def capture_statements(app: Any, db: Any, targets: list[Any], path: Path) -> None:
    """Record one steady platform request per target into ``path`` for the baseline to replay.

    Fills each target's ``queries``, ``statements`` and ``response_bytes`` for the platform;
    raises if a page does not answer 200 in-process.
    """
    captured = {}
    for t in targets:
        rec, response = core_bench.steady_request(app, db, t)
        if response.status_code != 200:
            raise RuntimeError(f"platform {t.path} answered {response.status_code}")
        t.queries["platform"] = len(rec.statements)
        t.statements = [" ".join(s["statement"].split())[:300] for s in rec.statements]
        t.response_bytes["platform"] = len(response.get_data())
        captured[t.name] = [
            {
                "statement": s["statement"],
                "parameters": {k: core_bench.encode_param(v) for k, v in s["parameters"].items()}
                if isinstance(s["parameters"], dict)
                else [core_bench.encode_param(v) for v in s["parameters"]],
            }
            for s in rec.statements
        ]
    path.write_text(json.dumps(captured), encoding="utf-8")


def measure_baseline(baseline: Any, db: Any, targets: list[Any]) -> None:
    """The baseline's statement count and response size per target, in-process."""
    for t in targets:
        rec, response = core_bench.steady_request(baseline, db, t)
        if response.status_code != 200:
            raise RuntimeError(f"baseline {t.path} answered {response.status_code}")
        t.queries["baseline"] = len(rec.statements)
        t.response_bytes["baseline"] = len(response.get_data())
