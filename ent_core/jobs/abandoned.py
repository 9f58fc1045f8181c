"""Jobs whose worker died: short heartbeats while a job runs, and a sweep that requeues them.

rq records a running job in the queue's ``StartedJobRegistry`` with an expiry its worker keeps
pushing back (the heartbeat). rq's own settings push it back by the job's whole timeout plus a
minute in a ``SimpleWorker``, and clean the registry every ten minutes: a killed worker's job
then waited about a quarter of an hour. Here a worker beats every ``ENT_JOB_HEARTBEAT``
seconds (a thread beside the job in a ``SimpleWorker``; rq's horse monitor with ``--fork``),
the expiry is three beats away, and every worker's ticker sweeps the registry each
``ENT_JOB_SWEEP`` seconds (docs/jobs.md, "Abandoned jobs").
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker, Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.worker import WorkerStatus

from ent_core.jobs.settings import HEARTBEATS_MISSED, heartbeat_seconds, queue_name, sweep_seconds

log = logging.getLogger(__name__)


class _ShortHeartbeats:
    """A running job's registry entry expires a few heartbeats away, not a timeout away."""

    heartbeat_every: int = 10

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        return self.heartbeat_every * HEARTBEATS_MISSED


class EntSimpleWorker(_ShortHeartbeats, SimpleWorker):
    """rq's in-process worker, with a thread that beats while the job runs."""

    def execute_job(self, job: Job, queue: Queue) -> None:
        execution = self.prepare_execution(job)
        beat = _Heartbeat(self, job, execution)
        beat.start()
        try:
            self.perform_job(job, queue, execution)
        finally:
            beat.stop()
        self.set_state(WorkerStatus.IDLE)


class EntWorker(_ShortHeartbeats, Worker):
    """rq's forking worker; its horse monitor beats every ``job_monitoring_interval``."""


def worker_class(app: Flask, fork: bool) -> tuple[type[Worker], dict[str, Any]]:
    """The worker class for ``ent worker`` and its keyword arguments, heartbeats configured."""
    every = heartbeat_seconds(app)
    cls: type[Any] = EntWorker if fork else EntSimpleWorker
    configured = type(cls.__name__, (cls,), {"heartbeat_every": every})
    return configured, {"job_monitoring_interval": every}


class _Heartbeat(threading.Thread):
    def __init__(self, worker: Any, job: Job, execution: Any) -> None:
        super().__init__(name="ent-job-heartbeat", daemon=True)
        self.worker, self.job, self.execution = worker, job, execution
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.worker.heartbeat_every):
            try:
                self.worker.maintain_heartbeats(self.job, self.execution)
            except Exception:  # Redis hiccup: the next beat tries again
                log.warning("heartbeat of job %s failed", self.job.id, exc_info=True)

    def stop(self) -> None:
        self._done.set()
        self.join(5)


def requeue_abandoned(app: Flask, connection: Redis) -> list[str]:
    """Queue again the jobs whose worker stopped beating; returns their ids.

    A requeue counts as a retry (``retries_left`` goes down) and is immediate: the worker
    died, the job did not fail, and a delayed retry would wait for rq's scheduler, whose lock
    the dead worker may still hold for a minute. A job with no retries left goes to the
    failed registry (rq's own cleanup). Runs under rq's maintenance lock for the queue, taken
    for one sweep only, so two workers never requeue one job twice.
    """
    queue = Queue(queue_name(app), connection=connection)
    if not connection.set(queue.registry_cleaning_key, 1, nx=True, ex=sweep_seconds(app) + 5):
        return []
    try:
        registry = StartedJobRegistry(queue=queue)
        cutoff = time.time()
        requeued = []
        for entry in connection.zrangebyscore(registry.key, 0, cutoff):
            try:
                job = Job.fetch(registry.parse_job_id(entry), connection=connection)
            except NoSuchJobError:
                continue
            if job.get_status(refresh=False) != JobStatus.STARTED or not job.retries_left:
                continue
            job.retries_left -= 1
            queue.enqueue_job(job, at_front=True)
            # Then the entry itself (the dead worker's execution record may have expired): a
            # sweep dying in between leaves an entry whose job is queued, which rq discards.
            connection.zrem(registry.key, entry)
            log.warning(
                "job %s (%s) was abandoned by its worker; queued again, %d retries left",
                job.id,
                job.description,
                job.retries_left,
            )
            requeued.append(job.id)
        registry.cleanup(cutoff)  # the others: no retries left, so failed (rq's handling)
        return requeued
    finally:
        connection.delete(queue.registry_cleaning_key)
