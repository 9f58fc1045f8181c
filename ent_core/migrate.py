"""Migrations: one Alembic history for the core and one per plugin (docs/database.md).

``upgrade_all`` serves ``ent db upgrade``; ``new_revision`` and ``unmigrated_changes`` serve
``ent db revision`` and ``ent db check``, comparing the models with a scratch database.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from ent_core.db import db, import_core_models

CORE_DIR = Path(__file__).parent / "migrations"


@dataclass(frozen=True)
class MigrationTarget:
    """The core (``plugin=None``) or one plugin, with its version folder and table."""

    plugin: str | None
    versions: Path

    @property
    def version_table(self) -> str:
        return "alembic_version" if self.plugin is None else f"alembic_version_{self.plugin}"


def targets(app: Flask) -> list[MigrationTarget]:
    """The core first, then every installed plugin that ships a ``migrations`` folder."""
    found = [MigrationTarget(None, CORE_DIR / "versions")]
    for plugin in app.extensions["ent"].ordered():
        if plugin.migrations_dir is not None:
            found.append(MigrationTarget(plugin.name, plugin.migrations_dir / "versions"))
    return found


def target_for(app: Flask, plugin: str | None) -> MigrationTarget:
    """The history of the core (``None``) or of one installed plugin, even before its first."""
    if plugin is None:
        return MigrationTarget(None, CORE_DIR / "versions")
    loaded = app.extensions["ent"].get(plugin)
    if loaded is None:
        raise MigrationError(f"no installed plugin is named {plugin!r} (see `ent plugin list`)")
    return MigrationTarget(plugin, loaded.root / "migrations" / "versions")


class MigrationError(RuntimeError):
    """A revision cannot be written: the message says why."""


def owns_table(plugin: str | None, name: str, plugin_prefixes: tuple[str, ...]) -> bool:
    """Whether the history of ``plugin`` (``None``: the core) owns the table ``name``."""
    if name.startswith("alembic_version"):
        return False
    if plugin is None:
        return not name.startswith(plugin_prefixes)
    return name.startswith(f"{plugin}_")


def plugin_prefixes(app: Flask) -> tuple[str, ...]:
    return tuple(f"{p.name}_" for p in app.extensions["ent"].ordered())


def alembic_config(app: Flask, target: MigrationTarget) -> Config:
    """Alembic configuration for one history; every history shares the core's ``env.py``."""
    import_core_models()
    cfg = Config()
    cfg.set_main_option("script_location", str(CORE_DIR))
    cfg.set_main_option("version_locations", str(target.versions))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["ent_plugin"] = target.plugin
    cfg.attributes["ent_version_table"] = target.version_table
    cfg.attributes["ent_plugin_prefixes"] = plugin_prefixes(app)
    return cfg


def current_revision(app: Flask, target: MigrationTarget) -> str | None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"version_table": target.version_table})
        return ctx.get_current_revision()


def head_revision(app: Flask, target: MigrationTarget) -> str | None:
    return ScriptDirectory.from_config(alembic_config(app, target)).get_current_head()


def pending(app: Flask) -> list[tuple[MigrationTarget, str | None, str | None]]:
    """Targets whose database revision is not their head: (target, current, head)."""
    result = []
    for target in targets(app):
        current, head = current_revision(app, target), head_revision(app, target)
        if current != head:
            result.append((target, current, head))
    return result


def schema_differences(app: Flask, target: MigrationTarget) -> list[Any]:
    """What separates the database from the models in ``target``'s tables (empty: in sync)."""
    import_core_models()
    prefixes = plugin_prefixes(app)

    def include(obj: Any, name: str | None, type_: str, reflected: bool, other: Any) -> bool:
        return type_ != "table" or name is None or owns_table(target.plugin, name, prefixes)

    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_object": include, "compare_type": True}
        )
        return list(compare_metadata(ctx, db.metadata))


def upgrade_all(app: Flask) -> list[tuple[str, str | None, str | None]]:
    """Bring the core and every installed plugin to their head; fire install/upgrade hooks."""
    registry = app.extensions["ent"]
    done = []
    for target in targets(app):
        before = current_revision(app, target)
        command.upgrade(alembic_config(app, target), "head")
        after = current_revision(app, target)
        if before == after:
            continue
        done.append((target.plugin or "core", before, after))
        if target.plugin is None:
            from ent_core.reference_data import ensure_reference_data

            ensure_reference_data()
        elif before is None:
            registry.only(target.plugin, "ent_installed")()
        else:
            registry.only(target.plugin, "ent_upgraded")(from_revision=before, to_revision=after)
    return done


def write_revision(
    app: Flask, target: MigrationTarget, message: str, *, autogenerate: bool = True
) -> Path | None:
    """Write the next revision of ``target``, compared with the database (which must be at head).

    Returns the new file, or ``None`` when autogenerate found no difference. Revision ids read
    ``core_0002`` / ``<plugin>_0002`` and files ``0002_<plugin|core>_<message>.py``.
    """
    target.versions.mkdir(parents=True, exist_ok=True)
    cfg = alembic_config(app, target)
    number = sum(1 for _ in ScriptDirectory.from_config(cfg).walk_revisions()) + 1
    owner = target.plugin or "core"
    cfg.set_main_option("file_template", f"{number:04d}_{owner}_%%(slug)s")

    def skip_empty(context: Any, revision: Any, directives: list[Any]) -> None:
        if autogenerate and directives and directives[0].upgrade_ops.is_empty():
            directives[:] = []

    script = command.revision(
        cfg,
        message=message,
        autogenerate=autogenerate,
        rev_id=f"{owner}_{number:04d}",
        process_revision_directives=skip_empty,
    )
    if script is None or isinstance(script, list):
        return None
    path = Path(script.path)
    _tidy(path)
    return path


_ALEMBIC_MARKERS = ("# ### commands auto generated by Alembic", "# ### end Alembic commands")


def _tidy(path: Path) -> None:
    """Drop Alembic's banner comments; sort imports and format with ruff when it is installed."""
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(ln for ln in lines if not ln.strip().startswith(_ALEMBIC_MARKERS)))
    ruff = Path(sys.executable).parent / "ruff"
    ruff_path = str(ruff) if ruff.exists() else shutil.which("ruff")
    if ruff_path:
        for args in (["check", "--fix", "--select", "I"], ["format"]):
            subprocess.run([ruff_path, *args, "--quiet", str(path)], check=False)  # noqa: S603


@contextmanager
def scratch_app(app: Flask) -> Iterator[Flask]:
    """A copy of ``app`` (same plugins) on an empty, throw-away SQLite database."""
    from ent_core import create_app

    registry = app.extensions["ent"]
    extra = [p.module for p in registry.ordered() if p.distribution is None]
    with tempfile.TemporaryDirectory(prefix="ent-revision-") as tmp:
        copy = create_app(
            {
                "ENT_ENV": "development",
                "ENT_INSTANCE_PATH": tmp,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'scratch.sqlite3'}",
                "ENT_PLUGINS": app.config.get("ENT_PLUGINS"),
            },
            plugin_modules=extra,
        )
        with copy.app_context():
            try:
                yield copy
            finally:
                db.session.remove()
                db.engine.dispose()


def new_revision(
    app: Flask, message: str, *, plugin: str | None = None, autogenerate: bool = True
) -> Path | None:
    """``ent db revision``: migrate a scratch database to head, then write what the models add.

    A scratch database keeps the result independent of the operator's data and of the backend:
    the revision is rendered in batch mode, which SQLite needs and PostgreSQL accepts.
    """
    target_for(app, plugin)  # fail early on an unknown plugin name
    with scratch_app(app) as copy:
        command.upgrade(alembic_config(copy, target_for(copy, None)), "head")
        target = target_for(copy, plugin)
        if plugin is not None and target.versions.is_dir():
            command.upgrade(alembic_config(copy, target), "head")
        return write_revision(copy, target, message, autogenerate=autogenerate)


def unmigrated_changes(app: Flask, plugin: str | None = None) -> list[Any]:
    """What the models of the core (or ``plugin``) add over their committed revisions.

    Runs the history on a scratch database and compares; empty means ``ent db revision``
    has nothing to write. CI runs it through ``ent db check``.
    """
    target_for(app, plugin)
    with scratch_app(app) as copy:
        command.upgrade(alembic_config(copy, target_for(copy, None)), "head")
        target = target_for(copy, plugin)
        if plugin is not None and target.versions.is_dir():
            command.upgrade(alembic_config(copy, target), "head")
        return schema_differences(copy, target)
