"""The transactional outbox: a job is written in the transaction of the change it follows.

``enqueue`` inside a transaction that writes adds a ``job_outbox`` row to it (:func:`record`).
A rollback drops the row with the work. After the commit (``EntSession.commit``), the relay
hands the rows to rq (or runs them inline without Redis) and deletes them; with Redis down
the rows stay, and every worker's sweep hands them over once Redis answers again (at start,
then every ``ENT_JOB_SWEEP`` seconds). Two relays never deliver one row twice: PostgreSQL
locks the rows it takes (``FOR UPDATE SKIP LOCKED``), SQLite claims them with a guarded
``UPDATE``. See docs/jobs.md, "Jobs and transactions".
"""

from __future__ import annotations

import logging
import pickle
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from flask import Flask, current_app
from redis.exceptions import RedisError
from sqlalchemy import Connection, delete, func, or_, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from ent_core.db import COMMITTED_JOBS, PENDING_JOBS, db, utcnow, wrote_in_transaction
from ent_core.jobs.models import JobOutbox

log = logging.getLogger(__name__)

#: Rows one relay pass takes; a backlog drains over several passes.
BATCH = 200
#: How long a relay's claim on SQLite rows lasts, should it die before settling them.
CLAIM = timedelta(minutes=2)
#: After Redis failed, requests stop trying it for this long (seconds) and leave their rows
#: to the workers' sweep: an unreachable Redis then costs each request nothing.
BACK_OFF = 5.0

_table = JobOutbox.__table__


@dataclass(frozen=True, slots=True)
class JobCall:
    """One call of ``enqueue``, checked: what the outbox row (or rq) receives."""

    path: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    when: datetime | None
    retries: int
    job_id: str | None
    debounce: timedelta | None
    workspace_id: int | None


def uses_redis(app: Flask) -> bool:
    return bool(app.config.get("REDIS_URL"))


def rq_id_for(app: Flask, job_id: str | None) -> str:
    """The rq id a job will have: from ``job_id`` (per queue), else a fresh unique one."""
    from ent_core.jobs.rq_backend import rq_job_id
    from ent_core.jobs.settings import queue_name

    return uuid4().hex if job_id is None else rq_job_id(f"{queue_name(app)}-{job_id}")


def in_transaction(session: Session | None = None) -> bool:
    """Whether ``enqueue`` would join the current transaction (it has written something)."""
    session = session or db.session()
    return session.in_transaction() and wrote_in_transaction(session)


def record(call: JobCall, session: Session | None = None) -> str | None:
    """Enqueue ``call`` as part of the session's transaction: it goes out after the commit,
    and not at all after a rollback. Returns the rq id with Redis, else ``call.job_id``.

    The internal entry point for code that must tie a job to a transaction whatever it has
    written so far (``enqueue`` uses it once the transaction has written).
    """
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    session = session or db.session()
    rq_id = rq_id_for(app, call.job_id) if uses_redis(app) else None
    row = _row(call, rq_id)
    session.add(row)
    session.info.setdefault(PENDING_JOBS, []).append(row)
    return rq_id or call.job_id


def send_now(call: JobCall) -> str | None:
    """Enqueue ``call`` outside any transaction: to rq at once (into the outbox when Redis does
    not answer), or run it inline."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if not uses_redis(app):
        _run_inline(app, call)
        return call.job_id
    rq_id = rq_id_for(app, call.job_id)
    try:
        _to_rq(app, call, rq_id)
    except RedisError as exc:
        # Kept in the outbox, in a transaction of its own: a worker's sweep hands it over.
        row = _row(call, rq_id)
        values = {c.key: getattr(row, c.key) for c in _table.columns if c.key != "id"}
        values.update(created_at=utcnow(), attempts=1, last_error=_describe(exc))
        with db.engine.begin() as conn:
            conn.execute(_table.insert().values(values))
        _back_off(app)
        log.warning("Redis unavailable; job %s kept in the outbox: %s", call.path, exc)
    return rq_id


def relay_committed(session: Session) -> None:
    """After a commit: hand over the outbox rows that transaction wrote."""
    rows = session.info.pop(COMMITTED_JOBS, [])
    # Rows added in a savepoint that rolled back have no identity: they were never written.
    ids = [identity[0] for row in rows if (identity := sa_inspect(row).identity)]
    if not ids:
        return
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if not uses_redis(app):
        relay(app, ids)
        return
    if _backing_off(app):
        return
    try:
        relay(app, ids)
    except Exception:  # the user's change is committed: never fail the request for a job
        log.exception("relaying jobs %s failed; the workers' sweep will retry", ids)


def relay(app: Flask, ids: list[int] | None = None, limit: int = BATCH) -> int:
    """Hand outbox rows (``ids``, or the oldest ``limit``) to rq, or run them inline.

    Returns how many were delivered. With Redis, a row rq refused stays, with its error.
    """
    if not uses_redis(app):
        return _relay_inline(app, ids, limit)
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            query = select(_table).order_by(_table.c.id).limit(limit)
            query = query.with_for_update(skip_locked=True)
            if ids is not None:
                query = query.where(_table.c.id.in_(ids))
            rows = conn.execute(query).all()
            return _settle(conn, *_hand_to_rq(app, rows))
    token = uuid4().hex
    now = utcnow()
    free = or_(_table.c.claimed_until.is_(None), _table.c.claimed_until < now)
    candidates = select(_table.c.id).where(free).order_by(_table.c.id).limit(limit)
    if ids is not None:
        candidates = candidates.where(_table.c.id.in_(ids))
    with db.engine.begin() as conn:
        claim = update(_table).where(_table.c.id.in_(candidates.scalar_subquery()), free)
        conn.execute(claim.values(claimed_by=token, claimed_until=now + CLAIM))
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(_table).where(_table.c.claimed_by == token).order_by(_table.c.id)
        ).all()
    delivered, failures = _hand_to_rq(app, rows)
    with db.engine.begin() as conn:
        count = _settle(conn, delivered, failures)
        release = update(_table).where(_table.c.claimed_by == token)
        conn.execute(release.values(claimed_by=None, claimed_until=None))
    return count


def relay_quietly(app: Flask) -> int:
    """One sweep of the outbox for a worker's ticker: logs instead of raising."""
    try:
        with app.app_context():
            return relay(app)
    except RedisError as exc:
        log.warning("outbox relay: Redis unavailable (%s); trying again", exc)
    except Exception:
        log.exception("outbox relay failed; trying again")
    return 0


@dataclass(frozen=True, slots=True)
class Backlog:
    """What the outbox holds: jobs not yet handed over (for ``ent jobs``, ``/readyz``)."""

    waiting: int
    oldest: datetime | None
    last_error: str | None


def backlog() -> Backlog:
    """The outbox's size, its oldest row's time and the latest delivery error."""
    with db.engine.connect() as conn:
        waiting, oldest = conn.execute(select(func.count(), func.min(_table.c.created_at))).one()
        error = conn.execute(
            select(_table.c.last_error)
            .where(_table.c.last_error.is_not(None))
            .order_by(_table.c.id.desc())
            .limit(1)
        ).scalar()
    if oldest is not None and oldest.tzinfo is None:  # SQLite forgets the zone
        from datetime import UTC

        oldest = oldest.replace(tzinfo=UTC)
    return Backlog(int(waiting), oldest, error)


def _row(call: JobCall, rq_id: str | None) -> JobOutbox:
    return JobOutbox(
        path=call.path,
        payload=pickle.dumps((list(call.args), dict(call.kwargs))),
        run_at=call.when,
        debounce_seconds=None if call.debounce is None else call.debounce.total_seconds(),
        retries=call.retries,
        job_id=call.job_id,
        rq_id=rq_id,
        workspace_id=call.workspace_id,
        attempts=0,
    )


def _call(row: Any) -> JobCall:
    args, kwargs = pickle.loads(row.payload)  # noqa: S301 - our own table, written by enqueue
    run_at = row.run_at
    if run_at is not None and run_at.tzinfo is None:
        from datetime import UTC

        run_at = run_at.replace(tzinfo=UTC)
    debounce = None if row.debounce_seconds is None else timedelta(seconds=row.debounce_seconds)
    return JobCall(
        row.path, tuple(args), kwargs, run_at, row.retries, row.job_id, debounce, row.workspace_id
    )


def _to_rq(app: Flask, call: JobCall, rq_id: str | None) -> str:
    from ent_core.jobs.rq_backend import connect, enqueue_rq

    when = call.when
    if call.debounce:
        when = utcnow() + call.debounce  # the calls made meanwhile with the same id join it
    elif when is not None and when <= utcnow():
        when = None  # late (Redis was down): due now
    return enqueue_rq(
        app,
        connect(app),
        call.path,
        call.args,
        call.kwargs,
        when=when,
        retries=call.retries,
        job_id=call.job_id,
        workspace_id=call.workspace_id,
        rq_id=rq_id,
    )


def _hand_to_rq(app: Flask, rows: list[Any]) -> tuple[list[int], dict[int, str]]:
    """Queue each row in rq; stop at the first Redis error (the rest waits for the sweep)."""
    delivered: list[int] = []
    failures: dict[int, str] = {}
    for row in rows:
        try:
            _to_rq(app, _call(row), row.rq_id)
        except RedisError as exc:
            failures[row.id] = _describe(exc)
            _back_off(app)
            log.warning("Redis unavailable; %d job(s) stay in the outbox: %s", len(rows), exc)
            break
        except Exception as exc:  # a row that cannot be queued (its function is gone...)
            failures[row.id] = _describe(exc)
            log.exception("outbox row %s (%s) could not be queued", row.id, row.path)
        else:
            delivered.append(row.id)
    return delivered, failures


def _settle(conn: Connection, delivered: list[int], failures: dict[int, str]) -> int:
    if delivered:
        conn.execute(delete(_table).where(_table.c.id.in_(delivered)))
    for row_id, error in failures.items():
        conn.execute(
            update(_table)
            .where(_table.c.id == row_id)
            .values(attempts=_table.c.attempts + 1, last_error=error)
        )
    return len(delivered)


def _relay_inline(app: Flask, ids: list[int] | None, limit: int) -> int:
    """Without Redis: take the rows (deleting them is the claim), then run them here."""
    taken = delete(_table).returning(*_table.columns)
    if ids is not None:
        taken = taken.where(_table.c.id.in_(ids))
    else:
        oldest = select(_table.c.id).order_by(_table.c.id).limit(limit)
        taken = taken.where(_table.c.id.in_(oldest.scalar_subquery()))
    with db.engine.begin() as conn:
        rows = sorted(conn.execute(taken).all(), key=lambda row: row.id)
    failures: list[Exception] = []
    for row in rows:
        try:
            _run_inline(app, _call(row))
        except Exception as exc:  # in tests the job's error reaches the test; the others run
            failures.append(exc)
    if failures:
        raise failures[0]
    return len(rows)


def _run_inline(app: Flask, call: JobCall) -> None:
    from ent_core.jobs.inline import defer, run_inline

    if call.when is None or call.when <= utcnow():
        run_inline(call.path, call.args, call.kwargs, call.retries, call.workspace_id)
    else:
        defer(
            app,
            call.path,
            call.args,
            call.kwargs,
            call.when,
            call.retries,
            call.job_id,
            call.workspace_id,
        )


def _describe(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {exc}"[:1000]


#: ``app.extensions`` key: until when (monotonic clock) requests leave Redis alone.
BACK_OFF_KEY = "ent.jobs.redis_retry_at"


def _back_off(app: Flask) -> None:
    app.extensions[BACK_OFF_KEY] = time.monotonic() + BACK_OFF


def _backing_off(app: Flask) -> bool:
    return time.monotonic() < app.extensions.get(BACK_OFF_KEY, 0.0)
