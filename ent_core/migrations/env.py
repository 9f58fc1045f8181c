"""Alembic environment shared by the core and every plugin (one version table each)."""

from __future__ import annotations

from alembic import context
from flask import current_app

from ent_core.db import db

config = context.config
owner: str | None = config.attributes.get("ent_plugin")  # None: the core
plugin_prefixes: tuple[str, ...] = tuple(config.attributes.get("ent_plugin_prefixes", ()))


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    if type_ != "table":
        return True
    if owner is None:
        return not name.startswith(plugin_prefixes) and not name.startswith("alembic_version")
    return name.startswith(f"{owner}_")


def run() -> None:
    engine = db.engine
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            version_table=config.attributes["ent_version_table"],
            include_object=include_object,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


assert current_app, "migrations run inside the application context"
run()
