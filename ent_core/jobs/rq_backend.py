"""The rq side of ``enqueue``: every job is a call to ``ent_core.jobs.runner.run``."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from redis import Redis
from rq import Queue, Retry
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus

from ent_core.jobs.runner import run
from ent_core.jobs.settings import job_timeout, queue_name, retry_intervals

log = logging.getLogger(__name__)

_RQ_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_FINISHED = {JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED}


def connect(app: Flask) -> Redis:
    """A client for ``REDIS_URL``, shared by the app's threads (redis-py pools are safe)."""
    url = app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("REDIS_URL is not set")
    clients: dict[str, Redis] = app.extensions.setdefault("ent.redis", {})
    client = clients.get(url)
    if client is None:
        # Bounded waits: a request enqueuing (or /readyz) must not hang on an unreachable Redis.
        client = clients[url] = Redis.from_url(url, socket_connect_timeout=5, socket_timeout=10)
    return client


def rq_job_id(job_id: str) -> str:
    """rq accepts only ``[A-Za-z0-9_-]`` in ids: keep readable ids, hash the others."""
    if _RQ_ID.match(job_id):
        return job_id
    digest = hashlib.sha256(job_id.encode()).hexdigest()[:12]
    return re.sub(r"[^A-Za-z0-9_-]", "_", job_id)[:80] + "-" + digest


def retry_waits(retries: int, intervals: list[int]) -> list[int]:
    """One wait per retry: the n-th retry waits ``intervals[n]``, the last value repeating.

    rq reads its list from the end (a job with one retry would wait the longest interval), so
    each job gets a list exactly as long as its retries.
    """
    return [intervals[min(n, len(intervals) - 1)] for n in range(retries)]


def enqueue_rq(
    app: Flask,
    connection: Redis,
    path: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    *,
    when: datetime | None,
    retries: int,
    job_id: str | None,
    workspace_id: int | None = None,
    rq_id: str | None = None,
) -> str:
    """Queue (or schedule) the call; with ``job_id``, only if no such job is pending.

    ``rq_id`` (from the outbox, without ``job_id``): the id the job was promised; if rq has
    it already, an earlier relay queued it and this one does nothing.
    """
    queue = Queue(queue_name(app), connection=connection)
    # The workspace goes along only when there is one: workers of the previous release
    # still run the jobs of every other caller during an upgrade.
    call = (path, list(args), dict(kwargs)) + (() if workspace_id is None else (workspace_id,))
    options: dict[str, Any] = {
        "args": call,
        "job_timeout": job_timeout(app),
        "description": path,
        "meta": {"ent_func": path},
    }
    if retries:
        options["retry"] = Retry(max=retries, interval=retry_waits(retries, retry_intervals(app)))
    if job_id is None and rq_id is None:
        return _submit(queue, when, options).id
    if job_id is None:
        options.update(job_id=rq_id, unique=True)
        try:
            return _submit(queue, when, options).id
        except DuplicateJobError:
            log.debug("job %s was queued by an earlier relay", rq_id)
            return str(rq_id)
    # rq's ids are global to the Redis database, not to a queue: two platforms (or two test
    # runs) sharing a Redis with different queues must not take each other's job for theirs.
    rq_id = rq_job_id(f"{queue.name}-{job_id}")
    options.update(job_id=rq_id, unique=True)
    # Two rounds: a finished job with this id is replaced once; if someone else queued it in
    # between, theirs is the pending one and ours is not needed.
    for _ in range(2):
        try:
            return _submit(queue, when, options).id
        except DuplicateJobError:
            if not _discard_if_finished(rq_id, connection):
                log.debug("job %s is already pending; not queued again", rq_id)
                return rq_id
    return rq_id


def _submit(queue: Queue, when: datetime | None, options: dict[str, Any]) -> Job:
    if when is None:
        return queue.enqueue(run, **options)
    return queue.enqueue_at(not_before(when), run, **options)


def not_before(when: datetime) -> datetime:
    """``when`` rounded up to the whole second: rq's scheduler keeps whole seconds (it drops
    the fraction), so a job due at 10:00:05.9 would otherwise run at 10:00:05, early; a job
    that checks its own time (a scheduled article) would then find nothing to do."""
    if when.microsecond:
        return when.replace(microsecond=0) + timedelta(seconds=1)
    return when


def _discard_if_finished(rq_id: str, connection: Redis) -> bool:
    """Delete the earlier job with this id if it is over; False while it is still pending."""
    try:
        job = Job.fetch(rq_id, connection=connection)
    except NoSuchJobError:
        return True
    status = job.get_status(refresh=False)
    if status is not None and status not in _FINISHED:
        return False
    job.delete()
    return True


def queue_counts(app: Flask) -> dict[str, int]:
    """Jobs of the platform's queue by state (for ``ent jobs status``)."""
    from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

    queue = Queue(queue_name(app), connection=connect(app))
    return {
        "queued": queue.count,
        "running": StartedJobRegistry(queue=queue).count,
        "scheduled": ScheduledJobRegistry(queue=queue).count,
        "failed": FailedJobRegistry(queue=queue).count,
    }
