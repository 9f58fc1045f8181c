"""pytest fixtures for jobs against a real Redis and real worker processes (docs/jobs.md).

Exposed through ``ent_core.testing``. Redis tests use ``ENT_TEST_REDIS_URL``; without it they
are skipped, unless ``ENT_TEST_REQUIRE_SERVICES=1`` (CI), where they fail.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
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
            os.killpg(self.process.pid, signal.SIGKILL)  # with rq's scheduler process
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
                start_new_session=True,  # its own process group: os.killpg kills it whole
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RedisServer:
    """A ``redis-server`` of the test's own, to stop and start again: a Redis outage and its
    end, without touching the Redis other tests share. Empty at every start (no persistence),
    as a Redis that lost its state."""

    binary: str
    folder: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> None:
        from redis import Redis
        from redis.exceptions import RedisError

        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        client = Redis.from_url(self.url, socket_connect_timeout=1)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except RedisError:
                return False

        try:
            wait_until(answers, timeout, message=f"redis-server on port {self.port} did not start")
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None


@dataclass
class RedisOutage(RedisJobs):
    """:class:`RedisJobs` on a Redis of the test's own, which the test stops and restarts."""

    server: RedisServer | None = None

    def stop_redis(self) -> None:
        """Redis goes down: the app's enqueues find nobody listening."""
        assert self.server is not None
        self.server.stop()

    def start_redis(self) -> None:
        """Redis is back (empty); the app may try it again at once."""
        assert self.server is not None
        self.server.start()
        self.app.extensions.pop("ent.jobs.redis_retry_at", None)


@pytest.fixture
def redis_outage(
    app_ctx: Flask,
    ent_database_url: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[RedisOutage]:
    """The app on a ``redis-server`` of this test's own, running; ``stop_redis()`` and
    ``start_redis()`` make an outage. Needs ``redis-server`` on the PATH: skipped without it,
    failed when ``ENT_TEST_REQUIRE_SERVICES=1``."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "needs redis-server on the PATH"
        if os.environ.get("ENT_TEST_REQUIRE_SERVICES") == "1":
            pytest.fail(f"ENT_TEST_REQUIRE_SERVICES=1 but this test {message}", pytrace=False)
        pytest.skip(message)
    server = RedisServer(binary, tmp_path)
    server.start()
    queue = f"ent-test-{secrets.token_hex(4)}"
    monkeypatch.setitem(app_ctx.config, "REDIS_URL", server.url)
    monkeypatch.setitem(app_ctx.config, "ENT_QUEUE", queue)
    monkeypatch.setitem(app_ctx.config, "ENT_JOB_RETRY_INTERVALS", "1")
    jobs = RedisOutage(
        app_ctx,
        server.url,
        queue,
        ent_database_url,
        tmp_path,
        Path(request.config.rootpath),
        server=server,
    )
    try:
        yield jobs
    finally:
        for number, worker in enumerate(jobs.workers):
            worker.stop()
            print(f"--- worker {number} (exit {worker.process.returncode}) ---\n{worker.output}")
        server.stop()
        client = app_ctx.extensions.get("ent.redis", {}).pop(server.url, None)
        if client is not None:
            client.close()
