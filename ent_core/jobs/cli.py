"""``ent worker``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker", help="Run an rq worker (with the scheduler) for REDIS_URL.")
@click.option("--burst", is_flag=True, help="Run the jobs that are due, then exit.")
@click.option("--name", default=None, help="Worker name (default: rq picks a unique one).")
@with_appcontext
def worker_command(burst: bool, name: str | None) -> None:
    from ent_core.jobs.worker import run_worker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL"):
        raise click.ClickException(
            "REDIS_URL is not set: jobs run inline, no worker is needed. "
            "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) to run background workers."
        )
    run_worker(app, burst=burst, name=name)
