"""One ``enqueue`` for the whole platform: rq when REDIS_URL is set, inline otherwise."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Schedule:
    """A job the worker runs every ``every`` (platform-wide, not per workspace)."""

    name: str
    func: Callable[..., Any] | str
    every: timedelta


def dotted(func: Callable[..., Any] | str) -> str:
    if isinstance(func, str):
        return func
    return f"{func.__module__}:{func.__qualname__}"


def resolve(path: str) -> Callable[..., Any]:
    module, _, name = path.partition(":")
    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


def redis_connection() -> Any:
    from redis import Redis

    return Redis.from_url(current_app.config["REDIS_URL"])


def enqueue(
    func: Callable[..., Any] | str,
    *args: Any,
    at: datetime | None = None,
    delay: timedelta | None = None,
    retries: int = 3,
    job_id: str | None = None,
    **kwargs: Any,
) -> str | None:
    """Run ``func(*args, **kwargs)`` in the background; returns the job id with rq."""
    path = dotted(func)
    if current_app.config.get("REDIS_URL"):
        raise NotImplementedError  # filled in by the rq backend
    if at is not None or delay is not None:
        raise NotImplementedError
    run_inline(path, args, kwargs, retries)
    return None


def run_inline(path: str, args: tuple[Any, ...], kwargs: dict[str, Any], retries: int) -> None:
    for attempt in range(retries + 1):
        try:
            resolve(path)(*args, **kwargs)
            return
        except Exception:
            if current_app.config.get("ENT_JOBS_INLINE_RAISE") and attempt == retries:
                raise
            log.exception("job %s failed (attempt %d of %d)", path, attempt + 1, retries + 1)


def start_inline_scheduler(app: Flask) -> None:
    """Without Redis, run the periodic schedules in a thread of the serving process."""
