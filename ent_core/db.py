"""Database handle, model base classes and the tenant filter.

Tenancy is enforced here, once, and fails closed: every ORM ``SELECT``, ``UPDATE`` and
``DELETE`` on a model that uses :class:`TenantMixin` is limited to the current workspace's
rows; with no workspace current it raises :class:`WorkspaceRequired` unless the code says it
works across workspaces (:func:`all_workspaces`). The unit of work refuses to write another
workspace's rows while one is current (docs/architecture.md, "Tenancy in one place").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import _GeneratorContextManager, contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from itertools import chain
from typing import Any
from weakref import WeakKeyDictionary

from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import JSON, DateTime, ForeignKey, MetaData, bindparam, event, orm
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.sql import visitors
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


class EntSession(FlaskSession):
    """The platform's session: after a commit, the jobs recorded in the transaction go out.

    ``enqueue`` inside a transaction writes the job into it (the outbox, docs/jobs.md); only
    once ``commit`` has returned may the job reach rq, or run inline, so it never sees a
    change that was rolled back, nor the state from before the change.
    """

    def commit(self) -> None:
        super().commit()
        if self.info.get(COMMITTED_JOBS):
            from ent_core.jobs.outbox import relay_committed

            relay_committed(self)


#: ``session.info`` keys: the outbox rows added in the current transaction, those committed
#: and not yet relayed, and whether the current transaction has written anything.
PENDING_JOBS = "ent.jobs.pending"
COMMITTED_JOBS = "ent.jobs.committed"
WROTE = "ent.wrote"

db = SQLAlchemy(model_class=Base, session_options={"class_": EntSession})


def wrote_in_transaction(session: orm.Session) -> bool:
    """Whether the session's current transaction has written (or is about to write) rows.

    ``enqueue`` joins such a transaction; a read-only one may never be committed, so a job
    queued there goes out at once, as outside any transaction.
    """
    return bool(session.info.get(WROTE) or session.new or session.dirty or session.deleted)


@event.listens_for(EntSession, "after_flush")
def _note_flush(session: orm.Session, flush_context: Any) -> None:
    session.info[WROTE] = True


@event.listens_for(EntSession, "do_orm_execute")
def _note_bulk_write(state: orm.ORMExecuteState) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        state.session.info[WROTE] = True


@event.listens_for(EntSession, "after_commit")
def _jobs_committed(session: orm.Session) -> None:
    pending = session.info.pop(PENDING_JOBS, None)
    if pending:
        session.info.setdefault(COMMITTED_JOBS, []).extend(pending)


@event.listens_for(EntSession, "after_transaction_end")
def _transaction_ended(session: orm.Session, transaction: orm.SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost one: a rollback drops its jobs
        session.info.pop(PENDING_JOBS, None)
        session.info.pop(WROTE, None)


class TenantMixin:
    """Rows owned by one workspace; statements and writes are confined to the current one."""

    @declared_attr
    def workspace_id(cls) -> Mapped[int]:
        return mapped_column(
            ForeignKey("workspace.id", ondelete="CASCADE"),
            index=True,
            nullable=False,
            # The workspace a row leaves is known at flush even when the row had expired:
            # the unit of work refuses moves out of another workspace (see below).
            active_history=True,
        )

    def __init__(self, **kwargs: Any) -> None:
        if "workspace_id" not in kwargs and "workspace" not in kwargs:
            declared = _declared_scope.get()  # inside in_workspace(...): that workspace
            if declared is not None and declared != ALL:
                kwargs["workspace_id"] = declared
            else:
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


class WorkspaceRequired(RuntimeError):
    """A statement or write on tenant rows that no workspace scopes (a programming error)."""


_SAY_ACROSS = "say that this code works across workspaces with `with sdk.all_workspaces():`"
_OPT_OUT = (
    f"{_SAY_ACROSS} (or `.execution_options(ent_all_workspaces=True)` on one statement), or "
    "scope it to one workspace with `with sdk.in_workspace(workspace):`"
)

#: What the running code said about its scope: ``None`` (the current workspace, the default),
#: ``ALL`` (:func:`all_workspaces`) or a workspace id (:func:`in_workspace`). A context
#: variable: it holds for the block that set it (in jobs and threads too) and never leaks into
#: whatever runs next (a ``CrossWorkspaceBlueprint`` sets it for one request and resets it).
ALL = -1
_declared_scope: ContextVar[int | None] = ContextVar("ent_tenant_scope", default=None)


@contextmanager  # a new one per use, so a decorated function is safe in concurrent threads
def _scope(value: int) -> Iterator[None]:
    token = _declared_scope.set(value)
    try:
        yield
    finally:
        _declared_scope.reset(token)


def all_workspaces() -> _GeneratorContextManager[None]:
    """Inside the block, tenant rows of every workspace are read and written unfiltered.

    The one way to cross workspaces on purpose (jobs, platform admin pages, the portal, CLI
    commands, tests arranging data); a decorator too: ``@all_workspaces()``.
    """
    return _scope(ALL)


def in_workspace(workspace: Any) -> _GeneratorContextManager[None]:
    """Inside the block, tenant statements and writes are scoped to ``workspace`` (an object
    or an id), whichever workspace is current: jobs and services working for one workspace."""
    return _scope(workspace if isinstance(workspace, int) else workspace.id)


def declared_workspace_id() -> int | None:
    """The workspace ``in_workspace(...)`` declared around this code, if any."""
    declared = _declared_scope.get()
    return None if declared is None or declared == ALL else declared  # type: ignore[no-any-return]


def _scope_id(options: Any) -> int | None:
    """The workspace id statements are scoped to (``ALL``: none), or ``None`` if no scope."""
    if options.get("ent_all_workspaces", False):
        return ALL
    declared = options.get("ent_workspace_id") or _declared_scope.get()
    if declared is not None:
        return declared  # type: ignore[no-any-return]
    workspace = current_workspace_or_none()
    return None if workspace is None else workspace.id  # type: ignore[no-any-return]


@event.listens_for(orm.Session, "do_orm_execute")
def _filter_by_current_workspace(state: orm.ORMExecuteState) -> None:
    if state.is_select:
        if state.is_relationship_load or state.is_column_load:
            _carry_scope(state)
            return
    elif not (state.is_update or state.is_delete):
        return  # INSERT: the rows name their workspace, and flushes are checked below
    workspace_id = _scope_id(state.execution_options)
    if workspace_id is None:
        if _is_tenant_owned(state):
            raise WorkspaceRequired(
                f"{_tenant_model_names(state)}: tenant rows and no current workspace; run "
                f"this inside a workspace, or {_OPT_OUT}"
            )
    elif workspace_id == ALL:
        return
    elif state.is_select:
        _filter(state, workspace_id)
    else:
        _filter_write(state, workspace_id)


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
            if state.is_column_load:
                _scope_refresh(state)
            return


def _scope_refresh(state: orm.ORMExecuteState) -> None:
    """Refreshes and reloads of expired attributes stay in the workspace read for.

    SQLAlchemy leaves loader criteria out of them (they go by primary key), so the
    criterion is added here, with the same parameter; a row moved to another workspace
    meanwhile is then gone for this object, as it would be for a new read.
    """
    cls = state.all_mappers[0].class_
    if issubclass(cls, TenantMixin):
        criterion = _refresh_criteria.get(cls)
        if criterion is None:
            criterion = _refresh_criteria[cls] = cls.workspace_id == bindparam(TENANT_PARAMETER)
        state.statement = state.statement.where(criterion)


_refresh_criteria: dict[type, Any] = {}


def _filter(state: orm.ORMExecuteState, workspace_id: int) -> None:
    filtered = _filtered(state, workspace_id)
    if filtered is not None:
        state.statement = filtered
        state.parameters = {**(state.parameters or {}), TENANT_PARAMETER: workspace_id}


def _filter_write(state: orm.ORMExecuteState, workspace_id: int) -> None:
    """ORM ``UPDATE``/``DELETE``: the criterion with the id as a value, not a parameter.

    ``synchronize_session="evaluate"`` (and ``"auto"``, the default) evaluates the criteria
    in Python against the session's objects, and a bound parameter has no value there: the
    objects of the current workspace would keep their old state. Writes are rare, so they
    pay for their own criterion. A bulk ``UPDATE`` by primary key (a list of parameter
    sets) ignores loader criteria altogether: refused.
    """
    if not _is_tenant_owned(state):
        return
    if state.is_executemany:
        raise WorkspaceRequired(
            f"{_tenant_model_names(state)}: a bulk UPDATE/DELETE by primary key cannot be "
            "limited to the current workspace; use update(...).where(...) or the objects, "
            f"or {_OPT_OUT}"
        )
    state.statement = state.statement.options(_write_criteria(workspace_id))


_write_criteria_cache: dict[int, Any] = {}


def _write_criteria(workspace_id: int) -> Any:
    criteria = _write_criteria_cache.get(workspace_id)
    if criteria is None:
        if len(_write_criteria_cache) >= _SCOPES_LIMIT:
            _write_criteria_cache.clear()
        criteria = _write_criteria_cache[workspace_id] = orm.with_loader_criteria(
            TenantMixin, lambda cls: cls.workspace_id == workspace_id, include_aliases=True
        )
    return criteria


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
    copies = _copies(state)
    if copies is None:  # not weakly referenceable: filter for this execution only
        return statement.options(*_options(workspace_id)) if _tenant_owned(state) else None
    if copies is _NOT_TENANT_OWNED:
        return None
    filtered = copies.get(workspace_id)
    if filtered is None:
        if len(copies) >= _FILTERED_PER_STATEMENT:
            copies.clear()
        filtered = copies[workspace_id] = statement.options(*_options(workspace_id))
    return filtered


def _copies(state: orm.ORMExecuteState) -> dict[int, Any] | None:
    """The statement's entry in ``_filtered_copies``, made on first sight; ``None``: no entry."""
    statement = state.statement
    try:
        copies = _filtered_copies.get(statement)
    except TypeError:  # not weakly referenceable
        return None
    if copies is None:
        copies = _filtered_copies[statement] = {} if _tenant_owned(state) else _NOT_TENANT_OWNED
    return copies


def _is_tenant_owned(state: orm.ORMExecuteState) -> bool:
    """``_tenant_owned``, answered from what was learnt about the statement object."""
    copies = _copies(state)
    return _tenant_owned(state) if copies is None else copies is not _NOT_TENANT_OWNED


def _tenant_owned(state: orm.ORMExecuteState) -> bool:
    """Whether the statement names a tenant model anywhere: what it returns or changes, or
    only in a join, a subquery or a condition (``select(User).join(Membership)``)."""
    if any(issubclass(mapper.class_, TenantMixin) for mapper in state.all_mappers):
        return True
    return bool(_tenant_models_named(state.statement, first_only=True))


def _tenant_models_named(statement: Any, *, first_only: bool = False) -> set[type]:
    """Tenant models whose columns or entities appear in ``statement`` (ORM-annotated: Core
    statements on plain tables are not the ORM's to filter, see docs/architecture.md)."""
    found: set[type] = set()
    for element in visitors.iterate(statement):
        entity = getattr(element, "_annotations", {}).get("parententity")
        if entity is not None and issubclass(entity.mapper.class_, TenantMixin):
            found.add(entity.mapper.class_)
            if first_only:
                break
    return found


def _tenant_model_names(state: orm.ORMExecuteState) -> str:
    models = {m.class_ for m in state.all_mappers if issubclass(m.class_, TenantMixin)}
    models |= _tenant_models_named(state.statement)
    return ", ".join(sorted(model.__name__ for model in models))


_scopes: dict[int, tuple[Any, _TenantScope]] = {}
_SCOPES_LIMIT = 4096


def _options(workspace_id: int) -> tuple[Any, _TenantScope]:
    options = _scopes.get(workspace_id)
    if options is None:
        if len(_scopes) >= _SCOPES_LIMIT:
            _scopes.clear()
        options = _scopes[workspace_id] = (_CRITERIA, _TenantScope(workspace_id))
    return options


@event.listens_for(orm.Session, "before_flush")
def _refuse_writes_to_other_workspaces(session: orm.Session, *_: Any) -> None:
    """While a workspace is current, the unit of work writes only that workspace's rows.

    With no workspace current a new row names its workspace itself (``workspace_id`` is
    required), so nothing is checked then.
    """
    workspace_id = _scope_id({})
    if workspace_id is None or workspace_id == ALL:
        return
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, TenantMixin):
            for owner in _owners(obj):
                if owner is not None and owner != workspace_id:
                    raise WorkspaceRequired(
                        f"{type(obj).__name__} of workspace {owner} written while workspace "
                        f"{workspace_id} is current; {_SAY_ACROSS}"
                    )


def _owners(obj: Any) -> list[int | None]:
    """The workspace a tenant row belongs to (also when only its relationship is set yet)
    and, for a row moved to another workspace, the one it leaves."""
    owner = obj.workspace_id
    if owner is None:
        owner = getattr(obj.__dict__.get("workspace"), "id", None)
    return [owner, *sa_inspect(obj).attrs.workspace_id.history.deleted]


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
