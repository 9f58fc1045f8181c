"""Database handle, model base classes and the tenant filter.

Tenancy is enforced here, once: every ORM ``SELECT`` issued while a workspace is current
is limited to that workspace's rows for every model that uses :class:`TenantMixin`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, ForeignKey, MetaData, bindparam, event, orm
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

from ent_core.context import current_g

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    registry = orm.registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), dict[str, Any]: JSON()},
    )


db = SQLAlchemy(model_class=Base)


class TenantMixin:
    """Rows owned by one workspace; reads are filtered to the current workspace."""

    @declared_attr
    def workspace_id(cls) -> Mapped[int]:
        return mapped_column(
            ForeignKey("workspace.id", ondelete="CASCADE"), index=True, nullable=False
        )

    def __init__(self, **kwargs: Any) -> None:
        if "workspace_id" not in kwargs and "workspace" not in kwargs:
            workspace = current_workspace_or_none()
            if workspace is not None:
                kwargs["workspace_id"] = workspace.id
        super().__init__(**kwargs)


def current_workspace_or_none() -> Any:
    try:
        kept = vars(current_g())
    except RuntimeError:  # no application context
        return None
    return kept.get("ent_workspace")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: enforce foreign keys (cascades) and let readers and a writer coexist (WAL)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()


@event.listens_for(orm.Session, "do_orm_execute")
def _filter_by_current_workspace(state: orm.ORMExecuteState) -> None:
    if not state.is_select:
        return
    if state.is_relationship_load or state.is_column_load:
        _carry_scope(state)
        return
    if state.execution_options.get("ent_all_workspaces", False):
        return
    workspace = current_workspace_or_none()
    if workspace is not None:
        _filter(state, workspace.id)


#: The one tenant criterion: the workspace id is an execution parameter, not a value in the
#: criterion, so every workspace shares the same SQL, cache key and compiled form, and
#: SQLAlchemy does not rebuild the criterion's comparison per entity on every execution.
#: A statement that carries the criterion without the parameter fails; it never runs
#: unfiltered.
TENANT_PARAMETER = "ent_tenant_workspace_id"
_CRITERIA = orm.with_loader_criteria(
    TenantMixin,
    # The name written out: SQLAlchemy's lambda analysis would track a global as a value.
    lambda cls: cls.workspace_id == bindparam("ent_tenant_workspace_id"),
    include_aliases=True,
)


class _TenantScope(orm.UserDefinedOption):
    """The workspace a read ran for, carried to the later loads of its objects' relationships.

    The criterion propagates to those loads; this option (left out of cache keys, as every
    user-defined option) gives them the value: the workspace the objects were read for, not
    whichever is current when an attribute is touched later.
    """

    propagate_to_loaders = True


def _carry_scope(state: orm.ORMExecuteState) -> None:
    for option in state.user_defined_options:
        if type(option) is _TenantScope:
            state.parameters = {**(state.parameters or {}), TENANT_PARAMETER: option.payload}
            return


def _filter(state: orm.ORMExecuteState, workspace_id: int) -> None:
    filtered = _filtered(state, workspace_id)
    if filtered is not None:
        state.statement = filtered
        state.parameters = {**(state.parameters or {}), TENANT_PARAMETER: workspace_id}


#: Per statement object: whether it reads tenant-owned rows and, if so, its filtered copy
#: per workspace id. A statement built once per process (docs/performance.md) is then
#: looked into once, and its filtered copies keep the cache key SQLAlchemy computed for
#: them. Weak keys: a statement built for one call goes with it. At most
#: ``_FILTERED_PER_STATEMENT`` workspaces per statement are kept.
_filtered_copies: WeakKeyDictionary[Any, dict[int, Any]] = WeakKeyDictionary()
_FILTERED_PER_STATEMENT = 64
_NOT_TENANT_OWNED: dict[int, Any] = {}  # the marker for statements left as they are


def _filtered(state: orm.ORMExecuteState, workspace_id: int) -> Any:
    """The statement with the criterion and scope of ``workspace_id``; ``None``: no tenant rows."""
    statement = state.statement
    try:
        copies = _filtered_copies.get(statement)
    except TypeError:  # not weakly referenceable: look and filter for this execution only
        return statement.options(*_options(workspace_id)) if _tenant_owned(state) else None
    if copies is None:
        copies = _filtered_copies[statement] = {} if _tenant_owned(state) else _NOT_TENANT_OWNED
    if copies is _NOT_TENANT_OWNED:
        return None
    filtered = copies.get(workspace_id)
    if filtered is None:
        if len(copies) >= _FILTERED_PER_STATEMENT:
            copies.clear()
        filtered = copies[workspace_id] = statement.options(*_options(workspace_id))
    return filtered


def _tenant_owned(state: orm.ORMExecuteState) -> bool:
    return any(issubclass(mapper.class_, TenantMixin) for mapper in state.all_mappers)


_scopes: dict[int, tuple[Any, _TenantScope]] = {}
_SCOPES_LIMIT = 4096


def _options(workspace_id: int) -> tuple[Any, _TenantScope]:
    options = _scopes.get(workspace_id)
    if options is None:
        if len(_scopes) >= _SCOPES_LIMIT:
            _scopes.clear()
        options = _scopes[workspace_id] = (_CRITERIA, _TenantScope(workspace_id))
    return options


def import_core_models() -> None:
    """Import every ``models`` module of the core so the metadata holds all of its tables.

    The application imports most of them lazily; migrations and the plugin table check must
    see them all, whatever ran first. New feature packages are found without a list to keep.
    """
    import importlib
    import pkgutil

    import ent_core

    for info in pkgutil.walk_packages(ent_core.__path__, "ent_core."):
        if "models" in info.name.split("."):
            importlib.import_module(info.name)
