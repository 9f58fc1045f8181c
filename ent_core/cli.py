"""The ``ent`` command. Every command also works as ``flask --app ent_core COMMAND``."""

from __future__ import annotations

import json
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy.exc import OperationalError, ProgrammingError


def _create_app():  # type: ignore[no-untyped-def]
    from ent_core import create_app

    return create_app()


@click.group("db", help="Database schema commands.")
def db_group() -> None:
    pass


@db_group.command(
    "upgrade", help="Migrate the core and every installed plugin to their latest schema."
)
@with_appcontext
def db_upgrade() -> None:
    from ent_core.migrate import upgrade_all

    done = upgrade_all(current_app._get_current_object())  # type: ignore[attr-defined]
    for name, before, after in done:
        click.echo(f"{name}: {before or 'empty'} -> {after}")
    if not done:
        click.echo("Everything is up to date.")


@db_group.command("status", help="Show each schema's revision and whether it is behind.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_appcontext
def db_status(as_json: bool) -> None:
    from ent_core.migrate import current_revision, head_revision, targets

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    rows = [
        {
            "name": t.plugin or "core",
            "current": current_revision(app, t),
            "head": head_revision(app, t),
        }
        for t in targets(app)
    ]
    if as_json:
        click.echo(json.dumps(rows))
        return
    width = max(14, *(len(r["current"] or "") for r in rows), *(len(r["head"] or "") for r in rows))
    for row in rows:
        state = "up to date" if row["current"] == row["head"] else "PENDING"
        current, head = row["current"] or "-", row["head"] or "-"
        click.echo(f"{row['name']:<20} {current:<{width}} {head:<{width}} {state}")


@db_group.command(
    "revision",
    help="Write the next migration of the core or of one plugin from what its models add "
    "(compared with a scratch SQLite database at head; review the file before committing).",
)
@click.option("-m", "--message", required=True, help="What the revision does, in a few words.")
@click.option("--plugin", default=None, help="The plugin whose history gets the revision.")
@click.option("--empty", is_flag=True, help="Write an empty revision to fill by hand.")
@with_appcontext
def db_revision(message: str, plugin: str | None, empty: bool) -> None:
    from ent_core.migrate import MigrationError, new_revision

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        path = new_revision(app, message, plugin=plugin, autogenerate=not empty)
    except MigrationError as exc:
        raise click.ClickException(str(exc)) from None
    if path is None:
        click.echo(f"No change in the models of {plugin or 'the core'}: nothing written.")
        return
    click.echo(f"Wrote {path}")


@db_group.command(
    "check", help="Fail when a model changed without a migration (core and every plugin)."
)
@with_appcontext
def db_check() -> None:
    from ent_core.migrate import unmigrated_changes

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    names = [None, *(p.name for p in app.extensions["ent"].ordered())]
    failed = False
    for name in names:
        changes = unmigrated_changes(app, name)
        if changes:
            failed = True
            click.echo(f"{name or 'core'}: models differ from the migrations:", err=True)
            for change in changes:
                click.echo(f"  {change}", err=True)
            flag = f" --plugin {name}" if name else ""
            click.echo(f"  write one with: ent db revision -m MESSAGE{flag}", err=True)
    if failed:
        sys.exit(1)
    click.echo("Models and migrations agree.")


@click.command("demo", help="Migrate if needed and load demo data (safe to run twice).")
@with_appcontext
def demo_command() -> None:
    from ent_core.demo import load_demo
    from ent_core.migrate import upgrade_all

    upgrade_all(current_app._get_current_object())  # type: ignore[attr-defined]
    for line in load_demo():
        click.echo(line)


@click.command("serve", help="Serve the platform (gunicorn in production, threaded otherwise).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn workers.")
@click.option(
    "--threads",
    default=4,  # ent_core.serve.DEFAULT_THREADS (not imported: gunicorn loads to serve only)
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per worker (1: sync workers). Nodes that answer ad decisions: 2 "
    "(docs/performance.md, 'Ads').",
)
@with_appcontext
def serve_command(host: str, port: int, workers: int, threads: int) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    from ent_core.jobs import start_inline_scheduler

    if app.config["ENT_ENV"] == "production":
        from ent_core.serve import run_gunicorn

        run_gunicorn(host, port, workers, threads)
        return
    from werkzeug.serving import run_simple

    from ent_core.links import serving_at

    serving_at(app, host, port)  # links made by jobs and mails point where we serve
    if not app.config.get("REDIS_URL"):
        start_inline_scheduler(app)
    click.echo(f"Smart Médias ENT on http://{host}:{port}/ (Ctrl+C to stop)")
    # run_simple, not app.run: Flask ignores app.run() inside its own CLI.
    run_simple(host, port, app, threaded=True, use_reloader=False)


core_commands = (db_group, demo_command, serve_command)


class EntGroup(FlaskGroup):
    """Turn configuration errors into one clear line on stderr instead of a traceback."""

    def main(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        from ent_core.config import ConfigurationError
        from ent_core.plugins import PluginError

        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except (ConfigurationError, PluginError) as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except (OperationalError, ProgrammingError) as exc:  # elsewhere, or not migrated
            click.echo(database_trouble(exc), err=True)
            sys.exit(1)


def database_trouble(exc: Exception) -> str:
    """What went wrong with the database, which one ``ent`` used, and how to point it elsewhere."""
    from sqlalchemy.engine import make_url

    from ent_core.config import load

    settings = load()
    url = make_url(settings["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
    cause = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    return (
        f"Error: the database cannot be used ({cause}).\n"
        f"  database:        {url}\n"
        f"  instance folder: {settings['ENT_INSTANCE_PATH']}\n"
        "Run ent from the project folder, or point it at the platform's data with "
        "ENT_INSTANCE_PATH=/path/to/instance (SQLite) or DATABASE_URL=postgresql://...; "
        "a new database needs `ent db upgrade` first."
    )


main = EntGroup(
    name="ent",
    create_app=_create_app,
    add_version_option=True,
    load_dotenv=False,
    set_debug_flag=False,
    help="Smart Médias ENT: manage the platform.",
)


def _attach_plugin_tools() -> None:
    """``ent plugin new|doctor`` must work even when the platform cannot start."""
    from ent_core.devtools import doctor_command, new_command
    from ent_core.workspaces.cli import plugin_group

    plugin_group.add_command(new_command)
    plugin_group.add_command(doctor_command)
    main.add_command(plugin_group)


_attach_plugin_tools()
