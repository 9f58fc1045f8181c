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


@click.group("jobs", help="Background jobs: the outbox and the queue.")
def jobs_group() -> None:
    pass


@jobs_group.command("status", help="Jobs waiting in the outbox, and the queue's counts.")
@with_appcontext
def status_command() -> None:
    from ent_core.jobs.outbox import backlog

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    waiting = backlog()
    click.echo(f"outbox: {waiting.waiting} job(s) waiting to be handed to the queue")
    if waiting.oldest is not None:
        click.echo(f"outbox oldest: {waiting.oldest.isoformat(timespec='seconds')}")
    if waiting.last_error:
        click.echo(f"outbox last error: {waiting.last_error}")
    if not app.config.get("REDIS_URL"):
        click.echo("queue: none (REDIS_URL is unset: jobs run inline)")
        return
    from ent_core.jobs.rq_backend import queue_counts

    try:
        counts = queue_counts(app)
    except Exception as exc:  # an operator's view: say what is wrong, do not trace back
        raise click.ClickException(f"Redis does not answer: {exc}") from exc
    click.echo("queue: " + ", ".join(f"{name} {count}" for name, count in counts.items()))


@jobs_group.command("relay", help="Hand the outbox's waiting jobs to the queue now.")
@with_appcontext
def relay_command() -> None:
    from ent_core.jobs.outbox import relay

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    total = 0
    while True:
        done = relay(app)
        total += done
        if not done:
            break
    click.echo(f"{total} job(s) handed over")
