"""``ent worker``: an rq worker with rq's scheduler, the periodic schedules, the outbox relay
and the sweep of abandoned jobs."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from ent_core.db import utcnow
from ent_core.jobs import runner
from ent_core.jobs.abandoned import requeue_abandoned, worker_class
from ent_core.jobs.calls import Schedule
from ent_core.jobs.outbox import relay_quietly
from ent_core.jobs.schedules import collect_schedules, enqueue_due
from ent_core.jobs.settings import queue_name, sweep_seconds

log = logging.getLogger(__name__)

TICK_SECONDS = 1.0


class ScheduleTicker(threading.Thread):
    """Every second, queue the schedules whose slot has not been claimed by any worker; every
    ``ENT_JOB_SWEEP`` seconds, hand the outbox's waiting jobs to rq and requeue the jobs of
    dead workers (docs/jobs.md)."""

    def __init__(self, app: Flask, schedules: list[Schedule]) -> None:
        super().__init__(name="ent-schedule-ticker", daemon=True)
        self.app = app
        self.schedules = schedules
        # A client of its own: work horses are forked from this process and must never
        # inherit a connection this thread is using.
        self.connection = Redis.from_url(app.config["REDIS_URL"])
        self._stopping = threading.Event()
        self.sweep_every = sweep_seconds(app)
        self.next_sweep = 0.0

    def tick(self) -> list[str]:
        if time.monotonic() >= self.next_sweep:
            self.next_sweep = time.monotonic() + self.sweep_every
            self.sweep()
        with self.app.app_context():
            return enqueue_due(self.app, self.connection, self.schedules, utcnow())

    def sweep(self) -> None:
        """Relay the outbox (jobs recorded while Redis was down) and requeue abandoned jobs."""
        relay_quietly(self.app)
        try:
            requeue_abandoned(self.app, self.connection)
        except RedisError as exc:
            log.warning("sweep of abandoned jobs: Redis unavailable (%s)", exc)
        except Exception:  # the worker goes on; the next sweep tries again
            log.exception("sweep of abandoned jobs failed")

    def run(self) -> None:
        while not self._stopping.wait(TICK_SECONDS):
            try:
                self.tick()
            except Exception:
                log.exception("queuing periodic schedules failed; trying again")

    def stop(self) -> None:
        self._stopping.set()


def run_worker(
    app: Flask,
    *,
    burst: bool = False,
    name: str | None = None,
    fork: bool = False,
    max_jobs: int | None = None,
) -> bool:
    """Work the platform's queue until stopped (or, with ``burst``, until it is empty).

    By default jobs run in this process, one after the other (rq's ``SimpleWorker``): each
    gets a fresh app context and database session (runner.py), but the process keeps its
    imports, compiled statements and database connections warm, so a short job costs a few
    milliseconds instead of a fork and a new connection (docs/jobs.md, "Workers"). ``fork``
    runs each job in a forked work horse (rq's default): a job that crashes the interpreter
    or leaks memory then takes only its horse with it. ``max_jobs`` stops the worker after
    that many jobs, for a supervisor to start a fresh one. Returns whether any job was run.
    """
    url = app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("REDIS_URL is not set")
    if max_jobs is not None and max_jobs < 1:
        raise ValueError("max_jobs must be 1 or more")
    runner.use_app(app)
    schedules = collect_schedules(app)
    ticker = ScheduleTicker(app, schedules)
    ticker.tick()  # a burst worker only gets this one chance (schedules, outbox, sweep)
    if not burst:
        ticker.start()
    connection = Redis.from_url(url)
    cls, options = worker_class(app, fork)
    worker = cls(
        [Queue(queue_name(app), connection=connection)], connection=connection, name=name, **options
    )
    log.info(
        "worker %s on queue %s with %d schedule(s), %s",
        worker.name,
        queue_name(app),
        len(schedules),
        "a work horse per job" if fork else "jobs in process",
    )
    try:
        return worker.work(burst=burst, with_scheduler=True, max_jobs=max_jobs)
    finally:
        ticker.stop()
