"""Periodic schedules: collected from the ``ent_schedules`` hooks, fired once per slot."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import Flask
from redis import Redis

from ent_core.jobs.calls import Schedule, dotted
from ent_core.jobs.settings import queue_name

log = logging.getLogger(__name__)


def collect_schedules(app: Flask) -> list[Schedule]:
    """Every plugin's schedules (and the core's), checked, in name order."""
    from ent_core.plugins import PluginError

    found: dict[str, Schedule] = {}
    for batch in app.extensions["ent"].hook.ent_schedules():
        for schedule in batch or ():
            if not isinstance(schedule, Schedule):
                raise PluginError(f"ent_schedules returned {schedule!r}, not a Schedule")
            if schedule.every < timedelta(seconds=1):
                raise PluginError(f"schedule {schedule.name!r}: every must be at least 1 second")
            if schedule.name in found:
                raise PluginError(f"schedule {schedule.name!r} is declared twice")
            dotted(schedule.func)  # fails now, not in the worker, if it cannot be imported
            found[schedule.name] = schedule
    return [found[name] for name in sorted(found)]


def claim_key(app: Flask, schedule: Schedule, slot: int) -> str:
    return f"ent:schedule:{queue_name(app)}:{schedule.name}:{slot}"


def enqueue_due(
    app: Flask, connection: Redis, schedules: list[Schedule], now: datetime
) -> list[str]:
    """Queue each schedule whose current slot no worker has claimed yet; returns the job ids.

    The claim is a Redis ``SET NX`` on (queue, name, slot): with any number of workers ticking,
    exactly one queues the run of a slot.
    """
    from ent_core.jobs.rq_backend import enqueue_rq

    queued = []
    for schedule in schedules:
        slot = schedule.slot(now)
        ttl = max(int(schedule.every.total_seconds()) * 2, 60)
        if not connection.set(claim_key(app, schedule, slot), now.isoformat(), nx=True, ex=ttl):
            continue
        job_id = enqueue_rq(
            app,
            connection,
            dotted(schedule.func),
            (),
            {},
            when=None,
            retries=schedule.retries,
            job_id=f"schedule-{schedule.name}-{slot}",
        )
        log.info("schedule %s: slot %d queued as job %s", schedule.name, slot, job_id)
        queued.append(job_id)
    return queued
