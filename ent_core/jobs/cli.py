"""``ent worker``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("worker", help="Run an rq worker (with the scheduler) for REDIS_URL.")
@with_appcontext
def worker_command() -> None:
    raise click.ClickException("REDIS_URL is not set: jobs run inline, no worker is needed.")
