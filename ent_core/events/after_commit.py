"""Hand a job to ``enqueue`` once the database transaction commits; drop it on rollback.

``enqueue_after_commit`` is the one place that decides when an after-commit job leaves the
transaction: a transactional outbox (a job row written in the same transaction) replaces its
body without changing its callers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import event, orm

log = logging.getLogger(__name__)

_PENDING = "ent_after_commit"
_COMMITTED = "ent_after_commit_ready"


def enqueue_after_commit(func: Callable[..., Any], *args: Any) -> None:
    """``enqueue(func, *args)`` after the session's transaction commits; never if it rolls back.

    A job queued inside a savepoint that rolls back is dropped with it.
    """
    from ent_core.db import db

    session = db.session()
    transaction = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault(_PENDING, []).append((transaction, func, args))


def _within(transaction: Any, ended: Any) -> bool:
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(orm.Session, "after_soft_rollback")
def _drop_rolled_back(session: orm.Session, previous_transaction: Any) -> None:
    pending = session.info.get(_PENDING)
    if pending:
        session.info[_PENDING] = [p for p in pending if not _within(p[0], previous_transaction)]


@event.listens_for(orm.Session, "after_commit")
def _committed(session: orm.Session) -> None:
    # Fired for a released savepoint too: its jobs wait for the outermost commit.
    if _PENDING in session.info and not session.in_nested_transaction():
        session.info[_COMMITTED] = session.info.pop(_PENDING)


@event.listens_for(orm.Session, "after_transaction_end")
def _hand_over(session: orm.Session, transaction: Any) -> None:
    # After the commit, once the transaction let go of its connection (SQLite's lock with it).
    if transaction.parent is not None:
        return
    pending = session.info.pop(_COMMITTED, None)
    if not pending:
        return
    from ent_core.db import all_workspaces
    from ent_core.jobs import enqueue

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for _, func, args in pending:
        try:
            # A context (and so a session) of its own: the committed session may not run SQL
            # from inside its commit, and an inline job does. Across workspaces: the job says
            # which one it works for, and runs even if that one is suspended now.
            with app.app_context(), all_workspaces():
                enqueue(func, *args)
        except Exception:
            # The emitter's work is committed: its response must not fail for a late job.
            log.exception("after-commit job %s%r could not be handed over", func, args)
            if app.config.get("ENT_JOBS_INLINE_RAISE"):
                raise
