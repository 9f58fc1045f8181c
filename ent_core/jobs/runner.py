"""What an rq worker executes: the job's function, inside an application context.

The application is built once per worker process (``create_app()`` from the environment, or the
one ``ent worker`` hands over before forking) and each job gets a fresh app context, so the
database session never leaks from one job to the next.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from flask import Flask, g, has_app_context
from rq import get_current_job

from ent_core.jobs.calls import resolve, skipped_while_suspended

log = logging.getLogger(__name__)

_app: Flask | None = None
_app_pid: int | None = None


def use_app(app: Flask) -> None:
    """Run this process's jobs in ``app`` (``ent worker`` calls it before forking)."""
    global _app, _app_pid
    _app, _app_pid = app, os.getpid()


def worker_app() -> Flask:
    """The application of this worker process, created from the environment on first use."""
    global _app, _app_pid
    if _app is None:
        from ent_core import create_app

        _app, _app_pid = create_app(), os.getpid()
    elif _app_pid != os.getpid():
        # A forked work horse must not reuse the parent's pooled database connections.
        from ent_core.db import db

        with _app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
        _app_pid = os.getpid()
    return _app


def current_job_id() -> str | None:
    """The id of the rq job being run, or ``None`` outside a worker."""
    if has_app_context() and g.get("ent_job_id"):
        return g.ent_job_id
    job = get_current_job()
    return job.id if job is not None else None


def run(path: str, args: list[Any], kwargs: dict[str, Any], workspace_id: int | None = None) -> Any:
    """Call ``path(*args, **kwargs)`` in an app context; errors propagate so rq retries.

    ``workspace_id``: the workspace the job was queued for; skipped while it is suspended.
    """
    from ent_core.db import db

    app = worker_app()
    job = get_current_job()
    job_id = job.id if job is not None else "-"
    with app.app_context():
        g.ent_job_id = job_id
        started, cpu = time.monotonic(), time.thread_time()
        log.info("job %s: %s started", job_id, path)
        try:
            if skipped_while_suspended(path, workspace_id):
                return None
            result = resolve(path)(*args, **kwargs)
        except Exception:
            db.session.rollback()
            left = job.retries_left if job is not None else None
            log.exception("job %s: %s failed (retries left: %s)", job_id, path, left)
            raise
        finally:
            db.session.remove()
        log.info(
            "job %s: %s done in %.3fs (cpu %.3fs)",
            job_id,
            path,
            time.monotonic() - started,
            time.thread_time() - cpu,
        )
        return result
