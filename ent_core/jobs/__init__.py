"""One ``enqueue`` for the whole platform: rq when REDIS_URL is set, inline otherwise.

See docs/jobs.md. Jobs must be idempotent: rq retries them, and a periodic schedule may run
again after Redis loses its state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, current_app

from ent_core.jobs import outbox
from ent_core.jobs.calls import Schedule, dotted, enqueuing_workspace, resolve
from ent_core.jobs.inline import (
    InlineScheduler,
    pending_jobs,
    run_due_jobs,
    run_inline,
    start_inline_scheduler,
)
from ent_core.jobs.outbox import JobCall
from ent_core.jobs.runner import current_job_id

__all__ = [
    "InlineScheduler",
    "Schedule",
    "current_job_id",
    "dotted",
    "enqueue",
    "enqueue_in_transaction",
    "pending_jobs",
    "redis_connection",
    "resolve",
    "run_due_jobs",
    "run_inline",
    "start_inline_scheduler",
]


def redis_connection(app: Flask | None = None) -> Any:
    """The shared Redis client for ``REDIS_URL`` (also handy inside jobs)."""
    from ent_core.jobs.rq_backend import connect

    return connect(app or current_app._get_current_object())  # type: ignore[attr-defined]


def _due(at: datetime | None, delay: timedelta | None) -> datetime | None:
    if at is not None and delay is not None:
        raise ValueError("give either at= or delay=, not both")
    if delay is not None:
        if delay < timedelta(0):
            raise ValueError("delay must not be negative")
        return datetime.now(UTC) + delay
    if at is not None:
        # The platform's datetimes are UTC; a naive one is read as UTC, never as local time.
        return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return None


def enqueue(
    func: Callable[..., Any] | str,
    *args: Any,
    at: datetime | None = None,
    delay: timedelta | None = None,
    retries: int = 3,
    job_id: str | None = None,
    debounce: timedelta | None = None,
    **kwargs: Any,
) -> str | None:
    """Run ``func(*args, **kwargs)`` in the background, now or at ``at`` / after ``delay``.

    ``func`` must be a module-level function (or its ``"module:function"`` path); arguments
    must pickle (pass ids, not ORM objects). A ``job_id`` makes the call idempotent: while a
    job with that id is pending, enqueuing it again does nothing. ``debounce`` (with
    ``job_id``) holds the job back that long with Redis, so that the calls made meanwhile join
    it: one job does the work of many (inline, the job runs at once). Returns the rq job id,
    or ``job_id`` without Redis.
    """
    call = _checked_call(func, args, kwargs, at, delay, retries, job_id, debounce)
    if outbox.in_transaction():
        return outbox.record(call)
    return outbox.send_now(call)


def _checked_call(
    func: Callable[..., Any] | str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    at: datetime | None,
    delay: timedelta | None,
    retries: int,
    job_id: str | None,
    debounce: timedelta | None,
) -> JobCall:
    if retries < 0:
        raise ValueError("retries must be 0 or more")
    if debounce is not None:
        if job_id is None:
            raise ValueError("debounce needs a job_id: the calls to join share it")
        if at is not None or delay is not None:
            raise ValueError("give either debounce= or at=/delay=, not both")
        if debounce < timedelta(0):
            raise ValueError("debounce must not be negative")
    return JobCall(
        dotted(func),
        args,
        kwargs,
        _due(at, delay),
        retries,
        job_id,
        debounce,
        # Checked when the job runs: a suspended workspace's jobs are skipped (docs/jobs.md).
        enqueuing_workspace(),
    )


def enqueue_in_transaction(
    func: Callable[..., Any] | str,
    *args: Any,
    at: datetime | None = None,
    delay: timedelta | None = None,
    retries: int = 3,
    job_id: str | None = None,
    debounce: timedelta | None = None,
    **kwargs: Any,
) -> str | None:
    """``enqueue`` as part of the session's current transaction, even before it writes.

    For code that runs inside a unit of work and must go out only if it commits (after-commit
    subscribers of domain events): the job is written into the transaction and handed over
    after ``db.session.commit()``; a rollback drops it. ``enqueue`` itself does this once the
    transaction has written something (docs/jobs.md, "Jobs and transactions").
    """
    call = _checked_call(func, args, kwargs, at, delay, retries, job_id, debounce)
    return outbox.record(call)
