"""pytest fixtures for jobs against a real Redis and real worker processes (docs/jobs.md).

Exposed through ``ent_core.testing``. Redis tests use ``ENT_TEST_REDIS_URL``; without it they
are skipped, unless ``ENT_TEST_REQUIRE_SERVICES=1`` (CI), where they fail.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask


@pytest.fixture(scope="session")
def redis_url(request: pytest.FixtureRequest) -> str:
    """``ENT_TEST_REDIS_URL``, checked and flushed once per session (not under xdist)."""
    url = os.environ.get("ENT_TEST_REDIS_URL")
    if not url:
        message = "needs Redis: set ENT_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)"
        if os.environ.get("ENT_TEST_REQUIRE_SERVICES") == "1":
            pytest.fail(f"ENT_TEST_REQUIRE_SERVICES=1 but this test {message}", pytrace=False)
        pytest.skip(message)
    from redis import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(url)
    try:
        client.ping()
        # Under xdist the workers share the database: each test uses its own queue instead.
        if not hasattr(request.config, "workerinput"):
            client.flushdb()
    except RedisError as exc:
        pytest.fail(f"Redis at ENT_TEST_REDIS_URL={url} does not answer: {exc}", pytrace=False)
    finally:
        client.close()
    return url


@dataclass
class WorkerProcess:
    """An ``ent worker`` running in a subprocess; its output goes to ``log_path``."""

    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait(self, timeout: float = 120) -> int:
        """Wait for a ``--burst`` worker to finish; fails the test with its log if it hangs."""
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            pytest.fail(f"worker still running after {timeout}s:\n{self.output}")

    def stop(self, timeout: float = 15) -> None:
        """Warm shutdown (SIGTERM lets the current job finish), then kill."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class RedisJobs:
    """The app switched to Redis for one test, with a queue of its own, and worker launchers."""

    app: Flask
    url: str
    queue: str
    database_url: str
    tmp_path: Path
    rootdir: Path
    workers: list[WorkerProcess] = field(default_factory=list)

    @property
    def connection(self) -> Any:
        from ent_core.jobs import redis_connection

        return redis_connection(self.app)

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a worker process that shares the test's database, Redis and queue."""
        env = dict(os.environ)
        env.update(
            ENT_ENV="testing",
            PYTHONUNBUFFERED="1",
            DATABASE_URL=self.database_url,
            REDIS_URL=self.url,
            ENT_QUEUE=self.queue,
            ENT_INSTANCE_PATH=self.app.instance_path,
            ENT_JOB_RETRY_INTERVALS=str(self.app.config["ENT_JOB_RETRY_INTERVALS"]),
            PYTHONPATH=os.pathsep.join(p for p in (str(self.rootdir), env.get("PYTHONPATH")) if p),
        )
        env.update(extra)
        return env

    def start_worker(
        self,
        *,
        burst: bool = False,
        app_factory: str | None = None,
        options: Sequence[str] = (),
        **env: str,
    ) -> WorkerProcess:
        """Start ``ent worker`` (or ``flask --app FACTORY worker`` for a test app factory),
        with more command-line ``options`` (``["--fork"]``, ``["--max-jobs", "2"]``)."""
        ent = Path(sys.executable).with_name("ent")
        if app_factory is None and ent.exists():
            command = [str(ent), "worker"]
        else:
            factory = app_factory or "ent_core:create_app"
            command = [sys.executable, "-m", "flask", "--app", factory, "worker"]
        if burst:
            command.append("--burst")
        command.extend(options)
        log_path = self.tmp_path / f"worker-{len(self.workers)}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(  # noqa: S603 - our own command line
                command,
                cwd=self.rootdir,
                env=self.env(**env),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        worker = WorkerProcess(process, log_path)
        self.workers.append(worker)
        return worker

    def run_burst(self, timeout: float = 120, **kwargs: Any) -> WorkerProcess:
        """Run ``ent worker --burst`` until the queue is empty; fails the test if it errors."""
        worker = self.start_worker(burst=True, **kwargs)
        if worker.wait(timeout) != 0:
            pytest.fail(f"ent worker --burst failed:\n{worker.output}")
        return worker

    def queued(self) -> int:
        """Jobs waiting in the queue (not the scheduled ones)."""
        from rq import Queue

        return Queue(self.queue, connection=self.connection).count


def wait_until(
    condition: Callable[[], Any], timeout: float = 60, interval: float = 0.1, message: str = ""
) -> Any:
    """Poll ``condition`` until it returns something truthy; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(message or f"condition not met within {timeout}s")
        time.sleep(interval)


@pytest.fixture
def redis_jobs(
    app_ctx: Flask,
    redis_url: str,
    ent_database_url: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[RedisJobs]:
    """Send this test's jobs to Redis on a fresh queue; workers started here stop afterwards."""
    queue = f"ent-test-{secrets.token_hex(4)}"
    monkeypatch.setitem(app_ctx.config, "REDIS_URL", redis_url)
    monkeypatch.setitem(app_ctx.config, "ENT_QUEUE", queue)
    monkeypatch.setitem(app_ctx.config, "ENT_JOB_RETRY_INTERVALS", "1")
    jobs = RedisJobs(
        app_ctx, redis_url, queue, ent_database_url, tmp_path, Path(request.config.rootpath)
    )
    yield jobs
    for number, worker in enumerate(jobs.workers):
        worker.stop()
        print(f"--- worker {number} (exit {worker.process.returncode}) ---\n{worker.output}")
