"""``ent worker``: an rq worker with rq's scheduler, plus the periodic schedules."""

from __future__ import annotations

import logging
import threading

from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker, Worker

from ent_core.db import utcnow
from ent_core.jobs import runner
from ent_core.jobs.calls import Schedule
from ent_core.jobs.schedules import collect_schedules, enqueue_due
from ent_core.jobs.settings import queue_name

log = logging.getLogger(__name__)

TICK_SECONDS = 1.0


class ScheduleTicker(threading.Thread):
    """Every second, queue the schedules whose slot has not been claimed by any worker."""

    def __init__(self, app: Flask, schedules: list[Schedule]) -> None:
        super().__init__(name="ent-schedule-ticker", daemon=True)
        self.app = app
        self.schedules = schedules
        # A client of its own: work horses are forked from this process and must never
        # inherit a connection this thread is using.
        self.connection = Redis.from_url(app.config["REDIS_URL"])
        self._stopping = threading.Event()

    def tick(self) -> list[str]:
        with self.app.app_context():
            return enqueue_due(self.app, self.connection, self.schedules, utcnow())

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
    ticker.tick()  # a burst worker only gets this one chance to queue due schedules
    if schedules and not burst:
        ticker.start()
    connection = Redis.from_url(url)
    worker_class = Worker if fork else SimpleWorker
    worker = worker_class(
        [Queue(queue_name(app), connection=connection)], connection=connection, name=name
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
