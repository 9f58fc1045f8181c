"""Alembic environment shared by the core and every plugin (one version table each).

The core's history owns every table that carries no installed plugin's prefix; a plugin's
history owns only the tables named ``<plugin>_...`` (``PluginRegistry.load`` enforces the
prefix). Batch mode is on for SQLite, where ``ALTER TABLE`` is limited; the rendered batch
operations run as plain ``ALTER`` statements on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from flask import current_app
from sqlalchemy.types import TypeDecorator

from ent_core.db import db
from ent_core.migrate import import_core_models, owns_table

config = context.config
owner: str | None = config.attributes.get("ent_plugin")  # None: the core
plugin_prefixes: tuple[str, ...] = tuple(config.attributes.get("ent_plugin_prefixes", ()))


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Keep each history to its own tables."""
    return type_ != "table" or name is None or owns_table(owner, name, plugin_prefixes)


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render the platform's column types so that revisions import and run.

    A type that stores the same thing everywhere (``UTCDateTime``) is written as its plain
    SQLAlchemy type, so the revision does not depend on application code. A type that picks a
    different storage per database (``Money``: NUMERIC on PostgreSQL, integer centimes on
    SQLite) must be written as itself, with its import, or SQLite would get the wrong column.
    """
    if type_ != "type" or not isinstance(obj, TypeDecorator):
        return False
    impl = obj.impl_instance
    per_dialect = type(obj).load_dialect_impl is not TypeDecorator.load_dialect_impl
    if not per_dialect and type(impl).__module__ == "sqlalchemy.sql.sqltypes":
        return f"sa.{impl!r}"
    module = type(obj).__module__
    autogen_context.imports.add(f"import {module}")
    return f"{module}.{obj!r}"


def run() -> None:
    import_core_models()
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            version_table=config.attributes["ent_version_table"],
            include_object=include_object,
            render_item=render_item,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


assert current_app, "migrations run inside the application context"
run()
