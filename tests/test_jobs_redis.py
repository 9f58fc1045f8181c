"""Jobs against a real Redis and real ``ent worker`` processes (ENT_TEST_REDIS_URL).

This module is also a tiny plugin (``jobs_probe``) so a worker started with
``flask --app tests.test_jobs_redis:probe_app worker`` has a periodic schedule to run.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask, current_app
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry

from ent_core.audit import AuditEvent, record
from ent_core.db import db
from ent_core.jobs import Schedule, current_job_id, enqueue, redis_connection
from ent_core.jobs.settings import queue_name
from ent_core.jobs.testing import RedisJobs, wait_until
from ent_core.plugins import PluginMeta, hookimpl

pytestmark = pytest.mark.redis

meta = PluginMeta(name="jobs_probe", version="1.0", label="Jobs probe")


@hookimpl
def ent_schedules() -> list[Schedule]:
    # Thirty days by default: no slot boundary falls between two workers' start.
    every = timedelta(seconds=int(os.environ.get("PROBE_EVERY", str(30 * 86400))))
    return [Schedule("jobs_probe.tick", tick, every)]


def probe_app() -> Flask:
    """The worker's app factory: the platform plus this module as a plugin."""
    from ent_core import create_app

    return create_app(plugin_modules=[sys.modules[__name__]])


# -- jobs, run by the worker process -------------------------------------------------------
def record_run(token: str) -> None:
    """Write an audit row: proves an app context bound to the test's database."""
    record(
        "jobs.probe",
        subject=token,
        details={
            "job_id": current_job_id(),
            "env": current_app.config["ENT_ENV"],
            "pid": os.getpid(),
        },
    )
    db.session.commit()


def flaky_run(token: str) -> None:
    """Fails on the first attempt, succeeds on the second."""
    if redis_connection().incr(f"test:{token}:attempts") == 1:
        raise RuntimeError("first attempt fails")
    record_run(token)


def always_fails(token: str) -> None:
    redis_connection().incr(f"test:{token}:attempts")
    raise RuntimeError("always fails")


def tick() -> None:
    redis_connection().rpush(f"test:{queue_name(current_app)}:ticks", current_job_id() or "")


# -- helpers ---------------------------------------------------------------------------------
def probe_rows(token: str) -> list[AuditEvent]:
    db.session.rollback()  # see what the worker committed since
    query = db.select(AuditEvent).where(
        AuditEvent.action == "jobs.probe", AuditEvent.subject == token
    )
    return list(db.session.execute(query).scalars())


def attempts(jobs: RedisJobs, token: str) -> int:
    return int(jobs.connection.get(f"test:{token}:attempts") or 0)


# -- tests -------------------------------------------------------------------------------------
def test_worker_runs_the_job_in_an_app_context(redis_jobs: RedisJobs) -> None:
    job_id = enqueue(record_run, "ctx")
    assert job_id is not None
    assert probe_rows("ctx") == []
    assert redis_jobs.queued() == 1

    redis_jobs.run_burst()

    [row] = probe_rows("ctx")
    assert row.details["job_id"] == job_id
    assert row.details["env"] == "testing"
    assert row.details["pid"] != os.getpid()
    assert Job.fetch(job_id, connection=redis_jobs.connection).get_status() == JobStatus.FINISHED


def test_a_suspended_workspace_jobs_are_skipped_by_the_worker(
    redis_jobs: RedisJobs, make_workspace: Any
) -> None:
    from ent_core.db import in_workspace
    from ent_core.sanctions.service import reinstate_workspace, suspend_workspace

    workspace = make_workspace("acme")
    with in_workspace(workspace):
        enqueue(record_run, "while-suspended")
    suspend_workspace(workspace, "Spam.", actor=None)
    redis_jobs.run_burst()
    assert probe_rows("while-suspended") == []

    reinstate_workspace(workspace, "Fixed.", actor=None)
    with in_workspace(workspace):
        enqueue(record_run, "reinstated")
    redis_jobs.run_burst()
    assert len(probe_rows("reinstated")) == 1


def slow_run(token: str) -> None:
    time.sleep(5)
    record_run(token)


def test_jobs_run_one_after_the_other_in_the_worker_process(redis_jobs: RedisJobs) -> None:
    for n in range(3):
        enqueue(record_run, f"{redis_jobs.queue}-inproc-{n}")
    redis_jobs.run_burst()
    pids = {probe_rows(f"{redis_jobs.queue}-inproc-{n}")[0].details["pid"] for n in range(3)}
    assert len(pids) == 1 and os.getpid() not in pids  # one warm process, not three forks


def test_with_fork_each_job_gets_a_work_horse(redis_jobs: RedisJobs) -> None:
    for n in range(3):
        enqueue(record_run, f"{redis_jobs.queue}-fork-{n}")
    redis_jobs.run_burst(options=["--fork"])
    pids = {probe_rows(f"{redis_jobs.queue}-fork-{n}")[0].details["pid"] for n in range(3)}
    assert len(pids) == 3


def test_max_jobs_stops_the_worker_for_its_supervisor(redis_jobs: RedisJobs) -> None:
    for n in range(3):
        enqueue(record_run, f"{redis_jobs.queue}-max-{n}")
    redis_jobs.run_burst(options=["--max-jobs", "2"])
    ran = [bool(probe_rows(f"{redis_jobs.queue}-max-{n}")) for n in range(3)]
    assert ran == [True, True, False]  # the queue is first in, first out
    redis_jobs.run_burst()
    assert all(probe_rows(f"{redis_jobs.queue}-max-{n}") for n in range(3))


def test_a_job_past_its_timeout_is_stopped_and_the_worker_goes_on(
    redis_jobs: RedisJobs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(redis_jobs.app.config, "ENT_JOB_TIMEOUT", "1")
    slow = enqueue(slow_run, f"{redis_jobs.queue}-slow", retries=0)
    enqueue(record_run, f"{redis_jobs.queue}-after")
    redis_jobs.run_burst()
    job = Job.fetch(str(slow), connection=redis_jobs.connection)
    assert job.get_status() == JobStatus.FAILED
    # Timed by the worker itself, not around the worker's process: starting and stopping a
    # process took a minute once on a loaded CI machine while the job had stopped at 1 s.
    assert job.ended_at - job.started_at < timedelta(seconds=5)  # not its five seconds of sleep
    assert probe_rows(f"{redis_jobs.queue}-slow") == []
    assert len(probe_rows(f"{redis_jobs.queue}-after")) == 1


def test_debounced_calls_join_one_job(redis_jobs: RedisJobs) -> None:
    token = f"{redis_jobs.queue}-debounced"
    ids = {
        enqueue(record_run, token, job_id=f"join-{token}", debounce=timedelta(seconds=1))
        for _ in range(3)
    }
    registry = ScheduledJobRegistry(redis_jobs.queue, connection=redis_jobs.connection)
    assert len(ids) == 1 and registry.get_job_ids() == list(ids)
    assert redis_jobs.queued() == 0  # held back for the others to join
    redis_jobs.start_worker()
    wait_until(lambda: probe_rows(token), message="the debounced job never ran")
    time.sleep(1.5)
    assert len(probe_rows(token)) == 1


def test_a_job_id_is_per_queue(redis_jobs: RedisJobs, monkeypatch: pytest.MonkeyPatch) -> None:
    from rq import Queue

    ours = enqueue(record_run, "shared", job_id="nightly-report")
    other = f"{redis_jobs.queue}-other"  # another platform on the same Redis
    monkeypatch.setitem(redis_jobs.app.config, "ENT_QUEUE", other)
    theirs = enqueue(record_run, "shared", job_id="nightly-report")
    assert ours != theirs
    assert Queue(redis_jobs.queue, connection=redis_jobs.connection).job_ids == [ours]
    assert Queue(other, connection=redis_jobs.connection).job_ids == [theirs]


def test_failed_jobs_are_retried(redis_jobs: RedisJobs) -> None:
    # Keys carry the test's own queue name: Redis outlives one test session.
    retry, doom = f"{redis_jobs.queue}-retry", f"{redis_jobs.queue}-doomed"
    recovered = enqueue(flaky_run, retry, retries=2)
    doomed = enqueue(always_fails, doom, retries=1)
    redis_jobs.start_worker()

    def status(job_id: str | None) -> JobStatus | None:
        return Job.fetch(str(job_id), connection=redis_jobs.connection).get_status()

    wait_until(
        lambda: status(recovered) == JobStatus.FINISHED and status(doomed) == JobStatus.FAILED,
        message="the retries did not play out",
    )
    assert attempts(redis_jobs, retry) == 2
    assert len(probe_rows(retry)) == 1
    assert attempts(redis_jobs, doom) == 2  # the first try and one retry


def test_delayed_job_runs_after_its_time(redis_jobs: RedisJobs) -> None:
    enqueued_at = datetime.now(UTC)
    job_id = enqueue(record_run, "delayed", delay=timedelta(seconds=2))
    registry = ScheduledJobRegistry(redis_jobs.queue, connection=redis_jobs.connection)
    assert job_id in registry.get_job_ids()
    assert redis_jobs.queued() == 0

    redis_jobs.start_worker()

    [row] = wait_until(lambda: probe_rows("delayed"), message="the delayed job never ran")
    assert row.created_at >= enqueued_at + timedelta(seconds=2)


def test_job_id_makes_enqueuing_idempotent(redis_jobs: RedisJobs) -> None:
    probe = f"probe:{redis_jobs.queue}"  # unique per test run: Redis keeps old job ids
    first = enqueue(record_run, "once", job_id=probe)
    second = enqueue(record_run, "once", job_id=probe)
    assert first == second
    assert redis_jobs.queued() == 1

    redis_jobs.run_burst()
    assert len(probe_rows("once")) == 1

    # Once the job is over, the same id may be queued again.
    assert enqueue(record_run, "once", job_id=probe) == first
    assert redis_jobs.queued() == 1


def test_schedule_fires_once_per_slot_with_two_workers(redis_jobs: RedisJobs) -> None:
    workers = [
        redis_jobs.start_worker(burst=True, app_factory=f"{__name__}:probe_app") for _ in range(2)
    ]
    for worker in workers:
        assert worker.wait() == 0, worker.output

    ticks = redis_jobs.connection.lrange(f"test:{redis_jobs.queue}:ticks", 0, -1)
    assert len(ticks) == 1


def test_every_slot_runs_exactly_once_while_workers_run(redis_jobs: RedisJobs) -> None:
    for _ in range(2):
        redis_jobs.start_worker(app_factory=f"{__name__}:probe_app", PROBE_EVERY="1")
    key = f"test:{redis_jobs.queue}:ticks"

    wait_until(lambda: redis_jobs.connection.llen(key) >= 3, message="the schedule did not fire")
    time.sleep(0.5)
    ticks: list[Any] = redis_jobs.connection.lrange(key, 0, -1)
    assert len(ticks) == len(set(ticks)), ticks
