"""The bare Flask baseline the platform is measured against (see docs/performance.md).

It serves the same two URLs as the platform and sends PostgreSQL the *same SQL statements*
the platform sent for that URL, captured by ``bench/run.py`` from one steady-state platform
request and replayed here with the same parameters through Flask-SQLAlchemy. What it leaves
out is what the benchmark prices: Flask-Login, the tenancy guard and query filter, plugin
hooks, permission checks, CSRF and Flask-Babel (the page's one date format goes straight to
``babel.dates``).

The dashboard answers the platform's French page byte for byte (``bench/run.py`` compares
them, the sign-out form's CSRF token aside): templates in ``bench/templates/`` with the French
strings and the links written out, as a single-purpose app would, filled from the replayed
rows on every request. Whatever the platform keeps in memory rather than asks PostgreSQL (the
modules switched on) is fixed here from the captured statements when the app starts.

Two modes (``ENT_BENCH_BASELINE``):

- ``orm`` (default): each statement that selects a mapped table is run through the ORM
  (``select(Model).from_statement(...)``), so rows become the platform's own model objects, as
  in any Flask-SQLAlchemy app. The platform and this baseline then pay the same ORM price.
  A joined table's columns come along as plain values (the dashboard reads the member's
  role from the workspace's row that way).
- ``raw``: statements go straight to the driver and rows stay tuples: the floor.

Run by ``bench/run.py`` as ``gunicorn --pythonpath bench 'baseline_app:create_app()'`` with
``DATABASE_URL``, ``SECRET_KEY`` and ``ENT_BENCH_CAPTURE`` (the captured statements) set.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.dates import format_date
from flask import Flask, abort, jsonify, render_template, request, session
from flask_sqlalchemy import SQLAlchemy
from markupsafe import Markup
from sqlalchemy import column, inspect, select, text

db = SQLAlchemy()
#: ``%(name)s::TYPE`` as the psycopg dialect renders a bound parameter with its cast.
_PARAM = re.compile(
    r"%\((\w+)\)s(?:::[A-Z]+(?:\(\d+(?:,\s?\d+)?\))?(?:\[\])?(?:\s(?:WITH|WITHOUT)\sTIME\sZONE)?)?"
)
_ENTITY = re.compile(r"^\s*SELECT\s+(\w+)\.\w+")
_FROM = re.compile(r"\sFROM\s+(\w+)")
#: One item of a select list that names a column: ``membership.role AS role_1``.
_COLUMN = re.compile(r"^(\w+)\.(\w+)(?:\s+AS\s+(\w+))?$")


@dataclass(frozen=True)
class Statement:
    """One captured statement, ready to send: raw text and, for a mapped table, its ORM form.

    ``table`` is the table it selects from (how the dashboard finds its rows); ``rows``: the
    ORM form answers rows (the object, then the joined columns as values), not objects.
    """

    sql: str
    parameters: Any
    orm: Any = None
    table: str = ""
    rows: bool = False


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


def prepare(
    captured: list[tuple[str, Any]], models: dict[str, Any], *, trailing: bool = False
) -> list[Statement]:
    """Give each statement that selects a mapped table an ORM form with the same SQL.

    The first table's columns make its objects. The columns after them (another entity joined
    in, a scalar subquery) are fetched and left unmapped; with ``trailing``, when they are all
    plain columns (a join), each row brings them along as values, named as the SQL names them
    (``role``, ``role_1``): the page reads the membership's role that way.
    """
    prepared = []
    for sql, parameters in captured:
        select_list = re.match(r"^\s*SELECT\s+(.*?)\s+FROM\s", sql, re.S)
        items = [item.strip() for item in select_list.group(1).split(",")] if select_list else []
        match = _ENTITY.match(sql)
        model = models.get(match.group(1)) if match else None
        columns = _mapped_columns(items, model) if model is not None else None
        # ``None``: a projection (ids, counts): rows, not objects, as in the platform
        orm, rest = None, []
        if columns and isinstance(parameters, dict):
            converted = _PARAM.sub(lambda m: f":{m.group(1)}", sql)
            if "%(" not in converted:
                if trailing:
                    rest = _plain_columns(items[len(columns) :])
                # Positional: the model's columns come first, then the plain ones if any.
                clause = text(converted).bindparams(**parameters).columns(*columns, *rest)
                # The platform's SQL, already limited to its workspace: replayed as it is.
                orm = (
                    select(model, *rest)
                    .from_statement(clause)
                    .execution_options(ent_all_workspaces=True)
                )
        found = match or _FROM.search(sql)
        table = found.group(1) if found else ""
        prepared.append(Statement(sql, parameters, orm, table, bool(rest)))
    return prepared


def _mapped_columns(items: list[str], model: Any) -> list[Any] | None:
    """The columns of ``model``'s table the select list starts with, if they make objects.

    Either every column of the table (a whole row), or a subset that holds the primary key
    (``load_only``: the platform builds partially loaded objects, and so does the baseline).
    Anything else (ids, counts) is a projection: rows, not objects, as in the platform.
    """
    table = model.__table__
    by_name = {f"{table.name}.{column.name}": column for column in table.columns}
    leading: dict[str, Any] = {}  # by name: columns compare into SQL expressions
    for item in items:
        column = by_name.get(item)
        if column is None or column.name in leading:
            break
        leading[column.name] = column
    keys = [column.name for column in table.primary_key.columns]
    if len(leading) == len(by_name) or (
        len(leading) > len(keys) and all(key in leading for key in keys)
    ):
        return list(leading.values())
    return None


def _plain_columns(items: list[str]) -> list[Any]:
    """``membership.role AS role_1`` -> a column ``role_1``; nothing unless every item is one
    (a scalar subquery's commas would shift the positions)."""
    matches = [_COLUMN.match(item) for item in items]
    if not all(matches):
        return []
    return [column(m[3] or m[2]) for m in matches if m is not None]


def replay(statements: list[Statement], use_orm: bool) -> list[list[Any]]:
    """Send each statement as the platform did; return every result set."""
    results = []
    for statement in statements:
        if use_orm and statement.orm is not None:
            result = db.session.execute(statement.orm)
            results.append(result.all() if statement.rows else list(result.scalars()))
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


@functools.cache
def static_url(filename: str) -> str:
    """The core's file at its content-hashed address, as the platform links it (hashed once)."""
    import ent_core

    data = (Path(ent_core.__file__).parent / "static" / filename).read_bytes()
    return f"/static/{filename}?v={hashlib.sha256(data).hexdigest()[:12]}"


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
    app.add_template_filter(date_medium, "dateformat")
    app.add_template_global(static_url)
    use_orm = os.environ.get("ENT_BENCH_BASELINE", "orm") == "orm"
    models = mapped_models() if use_orm else {}
    capture = {
        name: prepare(items, models, trailing=True)
        for name, items in load_capture(os.environ["ENT_BENCH_CAPTURE"]).items()
    }
    page = Dashboard(capture["dashboard"])

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
        return render_template("baseline_dashboard.html", **page.context(results))

    @app.get("/api/v1/me")
    def me() -> Any:
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret:
            abort(401)
        hashlib.sha256(secret.strip().encode()).hexdigest()  # the platform's token digest
        row = replay(capture["api"], use_orm)[0][0]  # the token's user (an object or a row)
        read = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
        created = read("created_at").astimezone(UTC).isoformat().replace("+00:00", "Z")
        return jsonify(  # the platform's answer, field for field
            id=read("id"),
            email=read("email"),
            name=read("name"),
            email_verified=read("email_verified_at") is not None,
            is_admin=read("is_admin"),
            locale=read("locale"),
            created_at=created,
        )

    return app


# -- the dashboard's page ----------------------------------------------------------------------


def _labels(**labels: str) -> dict[str, Markup]:
    """Hard-coded French labels, safe as the platform's translated strings are (no escaping)."""
    return {code: Markup(text) for code, text in labels.items()}  # noqa: S704 - our constants


#: The platform's French catalogue for what this page shows, written out.
KIND_LABELS = _labels(
    media="Média",
    auto_entrepreneur="Auto-entrepreneur",
    association="Association",
    training_centre="Centre de formation",
)
SECTOR_LABELS = _labels(
    it="Numérique",
    green="Économie verte",
    civil_society="Société civile",
    culture="Culture",
    economy="Économie",
    tourism="Tourisme",
)
STATUS_LABELS = _labels(pending="En attente d'approbation", approved="Approuvé", rejected="Refusé")
ROLE_LABELS = _labels(
    owner="Propriétaire",
    admin="Administrateur",
    editor="Rédacteur",
    member="Membre",
    contributor="Contributeur",
    author="Auteur",
    trainer="Formateur",
)
#: Core roles that manage the workspace (members, modules, application, billing, audit log).
MANAGERS = frozenset({"owner", "admin"})
#: The noticeboard's default ``max_pinned``: how many of its notices the banner looks at.
PINNED_AT_MOST = 3
#: A CSRF token's length; the platform's is random per request (``bench/run.py`` masks it).
CSRF_PLACEHOLDER = "0" * 91


@dataclass(frozen=True)
class Module:
    """A plugin as the dashboard shows it: the prefix of its tables, its label, its widget
    (title, template, order) and its sidebar link (label, address, icon, order)."""

    tables: str
    label: str
    widget_title: str
    widget: str
    widget_order: int
    link: tuple[str, str, str]
    link_order: int


#: The installed plugins in the platform's order.
MODULES = (
    Module(
        "noticeboard_",
        "Tableau d'affichage",
        "Dernières annonces",
        "baseline_widget_noticeboard.html",
        10,
        ("Tableau d'affichage", "noticeboard/", "pin"),
        200,
    ),
    Module(
        "publishing_",
        "Publication",
        "Rédaction",
        "baseline_widget_publishing.html",
        20,
        ("Rédaction", "publishing/", "newspaper"),
        150,
    ),
    Module(
        "training_",
        "Formation",
        "Ma formation",
        "baseline_widget_training.html",
        30,
        ("Formation", "training/", "graduation"),
        300,
    ),
)
#: Modules that add a sidebar link but read nothing on the dashboard (no widget): the bench
#: workspace has them on, and no statement shows it. Their label in the "modules on" list
#: (governance sorts before the others by name, as the platform orders plugins), then their
#: link with the fields of ``CORE_LINKS``.
LINK_ONLY_LABELS = ("Gouvernance",)
LINK_ONLY = ((250, "Association", "governance/", "users", False),)
#: The core's sidebar links: order, label, address under the workspace, icon, managers only.
CORE_LINKS = (
    (0, "Tableau de bord", "", "home", False),
    (900, "Membres", "members", "users", True),
    (905, "Demande", "application", "file", True),
    (907, "Paramètres", "settings", "settings", True),
    (910, "Modules", "modules", "grid", True),
    (915, "Abonnement", "billing/", "credit-card", True),
    (920, "Journal d'audit", "audit/", "list", True),
)


class Dashboard:
    """Where the dashboard finds its rows among the replayed results, and what it fixes once.

    The platform keeps the workspace's switched-on modules in memory: a module is on here when
    the captured statements read its tables (its widget's), which is fixed at start-up.
    """

    def __init__(self, statements: list[Statement]):
        self.positions: dict[str, int] = {}
        for position, statement in enumerate(statements):
            key = "count" if statement.sql.lstrip().startswith("SELECT count(") else statement.table
            self.positions.setdefault(key, position)
        on = [m for m in MODULES if any(t.startswith(m.tables) for t in self.positions)]
        labels = (*LINK_ONLY_LABELS, *(m.label for m in on))
        self.modules_on = [Markup(label) for label in labels]  # noqa: S704 - our constants
        self.widgets = [
            (Markup(m.widget_title), m.widget)  # noqa: S704 - our constants
            for m in sorted(on, key=lambda m: m.widget_order)
        ]
        links = [*CORE_LINKS, *LINK_ONLY, *((m.link_order, *m.link, False) for m in on)]
        self.sidebar = [
            (Markup(label), url, icon, managers)  # noqa: S704 - our constants
            for _, label, url, icon, managers in sorted(links, key=lambda link: link[0])
        ]

    def rows(self, results: list[list[Any]], key: str) -> list[Any]:
        position = self.positions.get(key)
        return results[position] if position is not None else []

    def context(self, results: list[list[Any]]) -> dict[str, Any]:
        """The template's variables from this request's rows.

        A row is a model object, an ORM row (the object, then the joined columns by their SQL
        names) or, in ``raw`` mode, a dict of the same names.
        """
        user = self.rows(results, "user_account")[0]
        spaces = self.rows(results, "workspace")
        role = _field(spaces[0], "role")
        enrolments = [
            (row if isinstance(row, dict) else row[0], _field(row, "title"))
            for row in self.rows(results, "training_enrolment")
        ]
        notices = self.rows(results, "noticeboard_notice")
        counted = self.rows(results, "count")
        return {
            "user": user,
            "csrf_token": CSRF_PLACEHOLDER,
            "workspace": spaces[0] if isinstance(spaces[0], dict) else spaces[0][0],
            "role": role,
            "extra_roles": [r for row in spaces if (r := _field(row, "role_1")) is not None],
            "manager": _field(user, "is_admin") or role in MANAGERS,
            "sectors": self.rows(results, "sector"),
            "members_count": next(iter(counted[0].values())) if counted else 0,
            "modules_on": self.modules_on,
            "modules_installed": len(MODULES) + len(LINK_ONLY_LABELS),
            "widgets": self.widgets,
            "sidebar": self.sidebar,
            "notices": notices,
            "pinned": [n for n in notices[:PINNED_AT_MOST] if _field(n, "pinned")],
            "articles": self.rows(results, "publishing_article"),
            "teaching": self.rows(results, "training_course"),
            "enrolments": enrolments,
            "certificates": self.rows(results, "training_certificate"),
            "now": datetime.now(UTC),
            "kind_labels": KIND_LABELS,
            "sector_labels": SECTOR_LABELS,
            "status_labels": STATUS_LABELS,
            "role_labels": ROLE_LABELS,
        }


def _field(row: Any, name: str) -> Any:
    """A column of a dict row, an ORM row or a model object."""
    return row[name] if isinstance(row, dict) else getattr(row, name)


def date_medium(value: datetime, format: str = "medium") -> str:
    """Flask-Babel's ``dateformat`` as the platform runs it: French, in UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return format_date(value, format, locale="fr")


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
