"""The bare Flask baseline the platform is measured against (see docs/performance.md).

It serves the same two URLs as the platform and sends PostgreSQL the *same SQL statements*
the platform sent for that URL, captured by ``bench/run.py`` from one steady-state platform
request and replayed here with the same parameters through Flask-SQLAlchemy. What it leaves
out is what the benchmark prices: Flask-Login, the tenancy guard and query filter, plugin
hooks, permission checks, CSRF and Babel.

Two modes (``ENT_BENCH_BASELINE``):

- ``orm`` (default): each statement that selects a mapped table is run through the ORM
  (``select(Model).from_statement(...)``), so rows become the platform's own model objects, as
  in any Flask-SQLAlchemy app. The platform and this baseline then pay the same ORM price.
- ``raw``: statements go straight to the driver and rows stay tuples: the floor.

Run by ``bench/run.py`` as ``gunicorn --pythonpath bench 'baseline_app:create_app()'`` with
``DATABASE_URL``, ``SECRET_KEY`` and ``ENT_BENCH_CAPTURE`` (the captured statements) set.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, abort, jsonify, render_template, request, session
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import inspect, select, text

db = SQLAlchemy()
#: ``%(name)s::TYPE`` as the psycopg dialect renders a bound parameter with its cast.
_PARAM = re.compile(
    r"%\((\w+)\)s(?:::[A-Z]+(?:\(\d+(?:,\s?\d+)?\))?(?:\[\])?(?:\s(?:WITH|WITHOUT)\sTIME\sZONE)?)?"
)
_ENTITY = re.compile(r"^\s*SELECT\s+(\w+)\.\w+")


@dataclass(frozen=True)
class Statement:
    """One captured statement, ready to send: raw text and, for a mapped table, its ORM form."""

    sql: str
    parameters: Any
    orm: Any = None


def _decode(value: Any) -> Any:
    """Inverse of ``run.encode_param``: datetimes travel as ``{"__datetime__": iso}``."""
    if isinstance(value, dict) and "__datetime__" in value:
        return datetime.fromisoformat(value["__datetime__"])
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def load_capture(path: str) -> dict[str, list[tuple[str, Any]]]:
    """Read the statements captured per target: ``{"dashboard": [(sql, params), ...]}``."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return {
        target: [
            (
                item["statement"],
                {k: _decode(v) for k, v in item["parameters"].items()}
                if isinstance(item["parameters"], dict)
                else [_decode(v) for v in item["parameters"]],
            )
            for item in items
        ]
        for target, items in raw.items()
    }


def _postgres_driver(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def prepare(captured: list[tuple[str, Any]], models: dict[str, Any]) -> list[Statement]:
    """Give each statement that selects a mapped table an ORM form with the same SQL."""
    prepared = []
    for sql, parameters in captured:
        match = _ENTITY.match(sql)
        model = models.get(match.group(1)) if match else None
        columns = _mapped_columns(sql, model) if model is not None else None
        # ``None``: a projection (ids, counts): rows, not objects, as in the platform
        orm = None
        if columns and isinstance(parameters, dict):
            converted = _PARAM.sub(lambda m: f":{m.group(1)}", sql)
            if "%(" not in converted:
                # Positional: the model's columns come first; joined columns after them
                # may repeat a name (``id``) and are fetched but left unmapped.
                clause = text(converted).bindparams(**parameters).columns(*columns)
                orm = select(model).from_statement(clause)
        prepared.append(Statement(sql, parameters, orm))
    return prepared


def _mapped_columns(sql: str, model: Any) -> list[Any] | None:
    """The columns of ``model``'s table the SELECT list starts with, if they make objects.

    Either every column of the table (a whole row), or a subset that holds the primary key
    (``load_only``: the platform builds partially loaded objects, and so does the baseline).
    Columns after them (another entity joined in, a scalar subquery) are fetched and left
    unmapped: the baseline still builds the first entity's objects, as an ORM app would.
    Anything else (ids, counts) is a projection: rows, not objects, as in the platform.
    """
    select_list = re.match(r"^\s*SELECT\s+(.*?)\s+FROM\s", sql, re.S)
    if select_list is None:
        return None
    table = model.__table__
    by_name = {f"{table.name}.{column.name}": column for column in table.columns}
    leading: dict[str, Any] = {}  # by name: columns compare into SQL expressions
    for item in select_list.group(1).split(","):
        column = by_name.get(item.strip())
        if column is None or column.name in leading:
            break
        leading[column.name] = column
    keys = [column.name for column in table.primary_key.columns]
    if len(leading) == len(by_name) or (
        len(leading) > len(keys) and all(key in leading for key in keys)
    ):
        return list(leading.values())
    return None


def replay(statements: list[Statement], use_orm: bool) -> list[list[Any]]:
    """Send each statement as the platform did; return every result set."""
    results = []
    for statement in statements:
        if use_orm and statement.orm is not None:
            results.append(list(db.session.execute(statement.orm).scalars()))
            continue
        result = db.session.connection().exec_driver_sql(statement.sql, statement.parameters)
        results.append([dict(row) for row in result.mappings()] if result.returns_rows else [])
    return results


def columns_of(row: Any) -> list[tuple[str, Any]]:
    """A row's columns for the template, whether a plain mapping or a model object."""
    if isinstance(row, dict):
        pairs = list(row.items())
    else:
        state = inspect(row)  # loaded columns only: reading the others would load them
        pairs = [(a.key, getattr(row, a.key)) for a in state.mapper.column_attrs
                 if a.key not in state.unloaded]  # fmt: skip
    return [(k, v) for k, v in pairs if "hash" not in k and "nonce" not in k]


def mapped_models() -> dict[str, Any]:
    """Table name -> model class of the core and every installed plugin (imports them)."""
    from ent_core.db import Base
    from ent_core.plugins import discover

    discover()  # plugins import their models; nothing else of theirs runs
    return {m.local_table.name: m.class_ for m in Base.registry.mappers}


def create_app() -> Flask:
    """A plain Flask app: one engine, the signed session cookie, two views."""
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))
    app.config.update(
        SECRET_KEY=os.environ["SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=_postgres_driver(os.environ["DATABASE_URL"]),
        # Same pool behaviour as the platform (ent_core/config.py).
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
    )
    db.init_app(app)
    use_orm = os.environ.get("ENT_BENCH_BASELINE", "orm") == "orm"
    models = mapped_models() if use_orm else {}
    capture = {
        name: prepare(items, models)
        for name, items in load_capture(os.environ["ENT_BENCH_CAPTURE"]).items()
    }
    app.add_template_global(columns_of)

    @app.get("/healthz")
    def healthz() -> Any:
        return jsonify(status="ok")

    @app.get("/w/<slug>/")
    def dashboard(slug: str) -> Any:
        # The platform's own session cookie, read with Flask's plain signed-cookie session.
        user_id = session.get("_user_id")
        if not user_id:
            abort(401)
        results = replay(capture["dashboard"], use_orm)
        rows = [row for result in results for row in result]
        return render_template(
            "baseline_dashboard.html", slug=slug, user_id=user_id, results=results, rows=rows
        )

    @app.get("/api/v1/me")
    def me() -> Any:
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret:
            abort(401)
        hashlib.sha256(secret.strip().encode()).hexdigest()  # the platform's token digest
        results = replay(capture["api"], use_orm)
        last = next((r for r in reversed(results) if r), [{}])
        return jsonify({k: _jsonable(v) for k, v in columns_of(last[0])})

    return app


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
