"""One ``enqueue`` for the whole platform: rq when REDIS_URL is set, inline otherwise.

See docs/jobs.md. Jobs must be idempotent: rq retries them, and a periodic schedule may run
again after Redis loses its state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, current_app

from ent_core.jobs.calls import Schedule, dotted, enqueuing_workspace, resolve
from ent_core.jobs.inline import (
    InlineScheduler,
    pending_jobs,
    run_due_jobs,
    run_inline,
    start_inline_scheduler,
)
from ent_core.jobs.runner import current_job_id

__all__ = [
    "InlineScheduler",
    "Schedule",
    "current_job_id",
    "dotted",
    "enqueue",
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
    if retries < 0:
        raise ValueError("retries must be 0 or more")
    if debounce is not None:
        if job_id is None:
            raise ValueError("debounce needs a job_id: the calls to join share it")
        if at is not None or delay is not None:
            raise ValueError("give either debounce= or at=/delay=, not both")
        if debounce < timedelta(0):
            raise ValueError("debounce must not be negative")
    path = dotted(func)
    when = _due(at, delay)
    # Checked when the job runs: a suspended workspace's jobs are skipped (docs/jobs.md).
    workspace_id = enqueuing_workspace()
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("REDIS_URL"):
        if debounce:
            when = datetime.now(UTC) + debounce
        from ent_core.jobs.rq_backend import connect, enqueue_rq

        return enqueue_rq(
            app,
            connect(app),
            path,
            args,
            kwargs,
            when=when,
            retries=retries,
            job_id=job_id,
            workspace_id=workspace_id,
        )
    if when is None or when <= datetime.now(UTC):
        run_inline(path, args, kwargs, retries, workspace_id)
    else:
        from ent_core.jobs.inline import defer

        defer(app, path, args, kwargs, when, retries, job_id, workspace_id)
    return job_id
