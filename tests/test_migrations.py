"""Migrations: a fresh database reaches exactly the models' schema, on SQLite and PostgreSQL.

Each test builds its own application on an empty scratch database (never the session's), so
the histories run from nothing, as on an operator's first ``ent db upgrade``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from flask import Flask
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from ent_core import create_app
from ent_core.config import normalise_database_url
from ent_core.db import db
from ent_core.migrate import (
    MigrationTarget,
    alembic_config,
    new_revision,
    schema_differences,
    target_for,
    targets,
    unmigrated_changes,
    upgrade_all,
    write_revision,
)
from tests.fixture_plugins import alpha, beta

POSTGRES_URL = os.environ.get("ENT_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (
    [pytest.param("postgresql", marks=pytest.mark.postgres)]
    if POSTGRES_URL.startswith("postgres")
    else []
)


def _example_installed() -> bool:
    try:
        distribution("ent-noticeboard")
    except PackageNotFoundError:
        return False
    return True


def _scratch_postgres(name: str) -> str:
    """Create an empty database next to the session's, on the same server."""
    import psycopg

    url = make_url(normalise_database_url(POSTGRES_URL))
    admin = url.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_postgres(name: str) -> None:
    import psycopg

    url = make_url(normalise_database_url(POSTGRES_URL))
    admin = url.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def fresh_app(
    request: pytest.FixtureRequest, tmp_path: Path, ent_config: dict[str, Any]
) -> Iterator[Flask]:
    """An application (core, test plugins, installed plugins) on an empty database."""
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    scratch = f"ent_migrations_{worker}"
    if request.param == "postgresql":
        url = _scratch_postgres(scratch)
    else:
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    app = create_app(
        {**ent_config, "SQLALCHEMY_DATABASE_URI": url, "ENT_INSTANCE_PATH": str(tmp_path)},
        plugin_modules=[alpha, beta],
    )
    app.extensions["ent.mail_outbox"] = []
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    if request.param == "postgresql":
        _drop_postgres(scratch)


def _status(app: Flask) -> list[dict[str, Any]]:
    result = app.test_cli_runner().invoke(args=["db", "status", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_upgrade_creates_exactly_the_models_schema(fresh_app: Flask) -> None:
    done = upgrade_all(fresh_app)

    migrated = {name for name, _, _ in done}
    assert {"core", "alpha"} <= migrated
    for target in targets(fresh_app):
        assert schema_differences(fresh_app, target) == [], target.plugin or "core"
    tables = set(inspect(db.engine).get_table_names())
    assert {"workspace", "user_account", "alpha_item", "alembic_version"} <= tables
    assert "alembic_version_alpha" in tables


def test_the_example_plugin_has_its_own_history(fresh_app: Flask) -> None:
    if not _example_installed():
        if os.environ.get("ENT_TEST_REQUIRE_SERVICES") == "1":
            pytest.fail(
                "ent-noticeboard is not installed: pip install -e docs/examples/ent-noticeboard"
            )
        pytest.skip(
            "ent-noticeboard is not installed (pip install -e docs/examples/ent-noticeboard)"
        )
    upgrade_all(fresh_app)

    target = target_for(fresh_app, "noticeboard")
    assert schema_differences(fresh_app, target) == []
    tables = set(inspect(db.engine).get_table_names())
    assert {"noticeboard_notice", "alembic_version_noticeboard"} <= tables
    rows = {row["name"]: row for row in _status(fresh_app)}
    assert rows["noticeboard"]["current"] == rows["noticeboard"]["head"] is not None


def test_upgrading_twice_changes_nothing(fresh_app: Flask) -> None:
    upgrade_all(fresh_app)

    assert upgrade_all(fresh_app) == []
    result = fresh_app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "Everything is up to date." in result.output


def test_status_reports_pending_then_up_to_date(fresh_app: Flask) -> None:
    before = _status(fresh_app)
    assert {row["name"] for row in before} >= {"core", "alpha"}
    assert all(row["current"] is None and row["head"] for row in before)

    upgrade_all(fresh_app)

    after = _status(fresh_app)
    assert all(row["current"] == row["head"] for row in after)
    core = next(row for row in after if row["name"] == "core")
    assert core["head"].startswith("core_")


def test_installed_fires_once_for_a_new_plugin(fresh_app: Flask) -> None:
    alpha.CALLS.clear()
    upgrade_all(fresh_app)
    upgrade_all(fresh_app)

    assert [c for c in alpha.CALLS if c[0] in ("installed", "upgraded")] == [("installed",)]


def test_upgraded_fires_with_both_revisions(fresh_app: Flask) -> None:
    command.upgrade(alembic_config(fresh_app, target_for(fresh_app, None)), "head")
    command.upgrade(alembic_config(fresh_app, target_for(fresh_app, "alpha")), "a1")
    alpha.CALLS.clear()

    done = upgrade_all(fresh_app)

    assert ("alpha", "a1", "a2") in done
    assert [c for c in alpha.CALLS if c[0] in ("installed", "upgraded")] == [
        ("upgraded", "a1", "a2")
    ]


def test_the_sectors_exist_after_the_first_upgrade(fresh_app: Flask) -> None:
    upgrade_all(fresh_app)

    from ent_core.workspaces.models import Sector

    codes = set(db.session.scalars(db.select(Sector.code)))
    assert {"it", "green", "civil_society"} <= codes


def test_a_new_revision_is_written_from_the_models(fresh_app: Flask, tmp_path: Path) -> None:
    command.upgrade(alembic_config(fresh_app, target_for(fresh_app, None)), "head")
    target = MigrationTarget("alpha", tmp_path / "alpha_versions")

    path = write_revision(fresh_app, target, "create items")

    assert path is not None and path.name == "0001_alpha_create_items.py"
    text = path.read_text()
    assert 'revision = "alpha_0001"' in text or "revision = 'alpha_0001'" in text
    assert "alpha_item" in text and "workspace" in text
    command.upgrade(alembic_config(fresh_app, target), "head")
    assert schema_differences(fresh_app, target) == []
    assert write_revision(fresh_app, target, "nothing new") is None


@pytest.mark.parametrize("plugin", [None, "alpha"])
def test_committed_migrations_match_the_models(app: Flask, plugin: str | None) -> None:
    """Fails when a model changed without a revision: run ``ent db revision -m ...``."""
    with app.app_context():
        assert unmigrated_changes(app, plugin) == []


def test_db_check_passes_when_models_and_migrations_agree(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["db", "check"])

    assert result.exit_code == 0, result.output
    assert "Models and migrations agree." in result.output


def test_revision_says_when_there_is_nothing_to_write(fresh_app: Flask) -> None:
    assert new_revision(fresh_app, "nothing", plugin="alpha") is None


def test_revision_refuses_an_unknown_plugin(fresh_app: Flask) -> None:
    result = fresh_app.test_cli_runner().invoke(
        args=["db", "revision", "-m", "x", "--plugin", "nope"]
    )

    assert result.exit_code != 0
    assert "no installed plugin is named 'nope'" in result.output


def test_db_check_fails_and_says_what_to_run(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    import ent_core.migrate

    def drift(app: Flask, plugin: str | None = None) -> list[Any]:
        return [("add_column", None, "alpha_item", "colour")] if plugin == "alpha" else []

    monkeypatch.setattr(ent_core.migrate, "unmigrated_changes", drift)

    result = app.test_cli_runner().invoke(args=["db", "check"])

    assert result.exit_code == 1
    assert "alpha: models differ from the migrations" in result.output
    assert "ent db revision -m MESSAGE --plugin alpha" in result.output


def test_the_publishing_time_zone_becomes_the_workspace_s(fresh_app: Flask) -> None:
    """core_0006 copies the newsroom's ``timezone`` setting to ``workspace.timezone`` and
    drops it from the plugin's settings; other workspaces get Casablanca."""
    import sqlalchemy as sa

    core = alembic_config(fresh_app, target_for(fresh_app, None))
    command.upgrade(core, "core_0005")
    workspace = sa.table(
        "workspace",
        *(sa.column(n) for n in ("id", "slug", "name", "kind", "status", "activation_serial")),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    activation = sa.table(
        "plugin_activation",
        *(sa.column(n) for n in ("id", "workspace_id", "plugin", "enabled")),
        sa.column("settings", sa.JSON),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    settings = {
        1: ("publishing", {"timezone": "Europe/Paris", "lock_minutes": 30}),
        2: ("publishing", {"timezone": "Not/AZone", "default_language": "ar"}),
        3: ("alpha", {"timezone": "Asia/Tokyo"}),  # another plugin's own setting: not ours
    }
    with db.engine.begin() as conn:
        for n in (1, 2, 3):
            conn.execute(
                workspace.insert().values(
                    id=n,
                    slug=f"w{n}",
                    name=f"W{n}",
                    kind="media",
                    status="approved",
                    activation_serial=0,
                    created_at=now,
                )
            )
            plugin, values = settings[n]
            conn.execute(
                activation.insert().values(
                    id=n,
                    workspace_id=n,
                    plugin=plugin,
                    enabled=True,
                    settings=values,
                    updated_at=now,
                )
            )

    command.upgrade(core, "head")

    with db.engine.connect() as conn:
        zones = dict(conn.execute(sa.text("SELECT id, timezone FROM workspace")).all())
        kept = dict(conn.execute(sa.select(activation.c.id, activation.c.settings)).all())
    assert zones == {1: "Europe/Paris", 2: "Africa/Casablanca", 3: "Africa/Casablanca"}
    assert kept == {
        1: {"lock_minutes": 30},
        2: {"default_language": "ar"},
        3: {"timezone": "Asia/Tokyo"},
    }

    command.downgrade(core, "core_0005")

    with db.engine.connect() as conn:
        restored = dict(conn.execute(sa.select(activation.c.id, activation.c.settings)).all())
    assert restored[1] == {"lock_minutes": 30, "timezone": "Europe/Paris"}
    assert restored[3] == {"timezone": "Asia/Tokyo"}
