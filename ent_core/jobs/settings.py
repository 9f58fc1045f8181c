"""Job settings, read from the app's config: ``ent_core.config`` is their one reader (the
environment, then the configuration file), so workers and web processes agree."""

from __future__ import annotations

from typing import Any

from flask import Flask

from ent_core.config import ConfigurationError

DEFAULT_QUEUE = "ent"
DEFAULT_RETRY_INTERVALS = (10, 60, 300)
DEFAULT_JOB_TIMEOUT = 600


def _raw(app: Flask, key: str) -> Any:
    value = app.config.get(key)
    return None if value == "" else value


def queue_name(app: Flask) -> str:
    """The rq queue every job of this platform goes to (``ENT_QUEUE``)."""
    return str(_raw(app, "ENT_QUEUE") or DEFAULT_QUEUE)


def retry_intervals(app: Flask) -> list[int]:
    """Seconds to wait before each retry (``ENT_JOB_RETRY_INTERVALS``, e.g. ``10,60,300``)."""
    value = _raw(app, "ENT_JOB_RETRY_INTERVALS")
    if value is None:
        return list(DEFAULT_RETRY_INTERVALS)
    items = value.split(",") if isinstance(value, str) else list(value)
    try:
        intervals = [int(str(item).strip()) for item in items if str(item).strip()]
    except ValueError:
        intervals = [-1]
    if not intervals or min(intervals) < 0:
        raise ConfigurationError(
            f"ENT_JOB_RETRY_INTERVALS must be comma-separated seconds (>= 0), not {value!r}"
        )
    return intervals


def job_timeout(app: Flask) -> int:
    """Seconds a job may run before the worker kills it (``ENT_JOB_TIMEOUT``)."""
    return _seconds(app, "ENT_JOB_TIMEOUT", DEFAULT_JOB_TIMEOUT)


DEFAULT_HEARTBEAT = 10
DEFAULT_SWEEP = 5
#: A running job whose worker sent no heartbeat for this many intervals is abandoned.
HEARTBEATS_MISSED = 3


def _seconds(app: Flask, key: str, default: int) -> int:
    value = _raw(app, key)
    if value is None:
        return default
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        seconds = 0
    if seconds < 1:
        raise ConfigurationError(f"{key} must be a number of seconds (>= 1), not {value!r}")
    return seconds


def heartbeat_seconds(app: Flask) -> int:
    """How often a worker tells Redis its running job is alive (``ENT_JOB_HEARTBEAT``).

    A job with no heartbeat for ``HEARTBEATS_MISSED`` intervals is taken as abandoned (its
    worker died) and queued again by the sweep (docs/jobs.md, "Abandoned jobs").
    """
    return _seconds(app, "ENT_JOB_HEARTBEAT", DEFAULT_HEARTBEAT)


def sweep_seconds(app: Flask) -> int:
    """How often a worker relays the outbox and requeues abandoned jobs (``ENT_JOB_SWEEP``)."""
    return _seconds(app, "ENT_JOB_SWEEP", DEFAULT_SWEEP)
