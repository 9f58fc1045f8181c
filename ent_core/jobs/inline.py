"""Jobs without Redis: run now in the caller, or later from an in-process scheduler thread.

Delayed calls live in memory: they run when due while the process lives (``ent serve`` in
development) and are lost when it stops. Production sets ``REDIS_URL``.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask, current_app

from ent_core.db import utcnow
from ent_core.jobs.calls import Schedule, dotted, resolve, skipped_while_suspended

log = logging.getLogger(__name__)

TICK_SECONDS = 1.0


def run_inline(
    path: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    retries: int,
    workspace_id: int | None = None,
) -> None:
    """Call now, retrying at once; in testing the last failure propagates to the test."""
    if skipped_while_suspended(path, workspace_id):
        return
    for attempt in range(retries + 1):
        try:
            resolve(path)(*args, **kwargs)
            return
        except Exception:
            if current_app.config.get("ENT_JOBS_INLINE_RAISE") and attempt == retries:
                raise
            log.exception("job %s failed (attempt %d of %d)", path, attempt + 1, retries + 1)


@dataclass(order=True)
class DeferredCall:
    due: datetime
    seq: int
    path: str = field(compare=False)
    args: tuple[Any, ...] = field(compare=False)
    kwargs: dict[str, Any] = field(compare=False)
    retries: int = field(compare=False)
    job_id: str | None = field(compare=False)
    workspace_id: int | None = field(compare=False, default=None)


class InlineJobs:
    """Per-application store of delayed calls and the scheduler thread serving them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: list[DeferredCall] = []
        self.counter = itertools.count()
        self.scheduler: InlineScheduler | None = None

    def add(self, call: DeferredCall) -> bool:
        with self.lock:
            if call.job_id is not None and any(c.job_id == call.job_id for c in self.pending):
                return False
            heapq.heappush(self.pending, call)
            return True

    def pop_due(self, now: datetime) -> list[DeferredCall]:
        due = []
        with self.lock:
            while self.pending and self.pending[0].due <= now:
                due.append(heapq.heappop(self.pending))
        return due


def inline_jobs(app: Flask) -> InlineJobs:
    return app.extensions.setdefault("ent.jobs.inline", InlineJobs())


def defer(
    app: Flask,
    path: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    when: datetime,
    retries: int,
    job_id: str | None,
    workspace_id: int | None = None,
) -> None:
    """Keep the call until ``when``; make sure something in this process will run it."""
    jobs = inline_jobs(app)
    call = DeferredCall(when, next(jobs.counter), path, args, kwargs, retries, job_id, workspace_id)
    if not jobs.add(call):
        log.info("job %s is already pending; not queued again", job_id)
        return
    if app.testing:
        return  # tests decide when time passes: run_due_jobs(app, now=...)
    scheduler = jobs.scheduler
    if scheduler is None or not scheduler.is_alive():
        log.warning(
            "no REDIS_URL: job %s due at %s is kept in this process's memory only",
            path,
            when.isoformat(),
        )
        start_inline_scheduler(app, schedules=())


def pending_jobs(app: Flask) -> list[DeferredCall]:
    """Delayed inline calls not yet run, soonest first."""
    jobs = inline_jobs(app)
    with jobs.lock:
        return sorted(jobs.pending)


def run_due_jobs(app: Flask, now: datetime | None = None) -> int:
    """Run the delayed inline calls due at ``now`` (default: the clock), each in its own context."""
    calls = inline_jobs(app).pop_due(now or utcnow())
    failures: list[Exception] = []
    for call in calls:
        try:
            with app.app_context():
                run_inline(call.path, call.args, call.kwargs, call.retries, call.workspace_id)
        except Exception as exc:  # the other due calls still run
            failures.append(exc)
    if failures:
        raise failures[0]
    return len(calls)


class InlineScheduler(threading.Thread):
    """A daemon thread: periodic schedules once per slot, and delayed calls when due."""

    def __init__(self, app: Flask, schedules: Iterable[Schedule]) -> None:
        super().__init__(name="ent-inline-scheduler", daemon=True)
        self.app = app
        self.schedules = list(schedules)
        self.last_slot: dict[str, int] = {}
        self._stopping = threading.Event()
        self.next_sweep = 0.0

    def run(self) -> None:
        while True:
            try:
                self.tick(utcnow())
            except Exception:
                log.exception("inline scheduler tick failed")
            if self._stopping.wait(TICK_SECONDS):
                return

    def tick(self, now: datetime) -> None:
        for schedule in self.schedules:
            slot = schedule.slot(now)
            if self.last_slot.get(schedule.name) == slot:
                continue
            self.last_slot[schedule.name] = slot
            try:
                with self.app.app_context():
                    run_inline(dotted(schedule.func), (), {}, schedule.retries)
            except Exception:
                log.exception("schedule %s failed", schedule.name)
        try:
            run_due_jobs(self.app, now)
        except Exception:
            log.exception("a delayed job failed")
        if time.monotonic() >= self.next_sweep:  # outbox rows no commit relayed (a crash)
            from ent_core.jobs.outbox import relay_quietly
            from ent_core.jobs.settings import sweep_seconds

            self.next_sweep = time.monotonic() + sweep_seconds(self.app)
            relay_quietly(self.app)

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)


def start_inline_scheduler(
    app: Flask, schedules: Iterable[Schedule] | None = None
) -> InlineScheduler | None:
    """Without Redis, run schedules and delayed jobs in a thread of this process.

    With ``REDIS_URL`` set it does nothing and returns ``None``: ``ent worker`` does that work.
    ``schedules`` defaults to what the ``ent_schedules`` hooks return.
    """
    if app.config.get("REDIS_URL"):
        return None
    jobs = inline_jobs(app)
    with jobs.lock:
        if jobs.scheduler is not None and jobs.scheduler.is_alive():
            return jobs.scheduler
        if schedules is None:
            from ent_core.jobs.schedules import collect_schedules

            schedules = collect_schedules(app)
        jobs.scheduler = InlineScheduler(app, schedules)
        jobs.scheduler.start()
        return jobs.scheduler
