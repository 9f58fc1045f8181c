"""``ent worker``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker", help="Run an rq worker (with the scheduler) for REDIS_URL.")
@click.option("--burst", is_flag=True, help="Run the jobs that are due, then exit.")
@click.option("--name", default=None, help="Worker name (default: rq picks a unique one).")
@click.option(
    "--fork/--no-fork",
    default=False,
    show_default=True,
    help="Run each job in a forked work horse (isolation) instead of in the worker process.",
)
@click.option(
    "--max-jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Stop after this many jobs (a supervisor then starts a fresh worker).",
)
@with_appcontext
def worker_command(burst: bool, name: str | None, fork: bool, max_jobs: int | None) -> None:
    from ent_core.jobs.worker import run_worker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException(
            "REDIS_URL is not set: jobs run inline, no worker is needed. "
            "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) to run background workers."
        )
    run_worker(app, burst=burst, name=name, fork=fork, max_jobs=max_jobs)
