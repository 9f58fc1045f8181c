"""Hand an after-commit subscriber's job to the transactional outbox of ``ent_core.jobs``.

The job is written into the emitter's transaction (``enqueue_in_transaction``): handed to rq, or
run inline, once ``db.session.commit()`` returns; dropped with a rollback or a rolled-back
savepoint; kept through a Redis outage and relayed when Redis is back (docs/jobs.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def enqueue_after_commit(func: Callable[..., Any], *args: Any) -> None:
    """``enqueue(func, *args)`` after the session's transaction commits; never if it rolls back.

    Queued across workspaces: the delivery job says which workspace the event is about, and
    runs even if that one is suspended by then (``workspace.suspended`` subscribers must hear).
    """
    from ent_core.db import all_workspaces
    from ent_core.jobs import enqueue_in_transaction

    with all_workspaces():
        enqueue_in_transaction(func, *args)
