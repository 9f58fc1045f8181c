"""``ent db upgrade``: Alembic for the core, then one history per plugin."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from ent_core.db import db

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
    found = [MigrationTarget(None, CORE_DIR / "versions")]
    for plugin in app.extensions["ent"].ordered():
        if plugin.migrations_dir is not None:
            found.append(MigrationTarget(plugin.name, plugin.migrations_dir / "versions"))
    return found


def alembic_config(app: Flask, target: MigrationTarget) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(CORE_DIR))
    cfg.set_main_option("version_locations", str(target.versions))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["ent_plugin"] = target.plugin
    cfg.attributes["ent_version_table"] = target.version_table
    cfg.attributes["ent_plugin_prefixes"] = tuple(
        f"{p.name}_" for p in app.extensions["ent"].ordered()
    )
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
            from ent_core.workspaces.service import ensure_sectors

            ensure_sectors()
            db.session.commit()
        elif before is None:
            registry.only(target.plugin, "ent_installed")()
        else:
            registry.only(target.plugin, "ent_upgraded")(from_revision=before, to_revision=after)
    return done
