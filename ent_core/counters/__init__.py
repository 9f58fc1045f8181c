"""``sdk.Counter``: counts added fast, written to the plugin's tables now and then (docs/cache.md).

An increment is one ``HINCRBY`` in Redis (``REDIS_URL``), or a locked dictionary addition in
the process without it; the ``counters.flush`` schedule hands what was counted to the
counter's ``flush`` callback every minute. With Redis, a flush first *seals* the live hash
(``RENAME`` to a batch of its own, in one script) so that increments go on into a new hash,
then adds each batch in one transaction with a ``CounterBatch`` row: a batch is deleted from
Redis only after that commit, and a batch already recorded is deleted without being added
again. A flush that fails leaves its batch for the next one; two flushers at once take apart
batches, or collide on the ``CounterBatch`` key and one rolls back: no count lost, none twice.
"""

from __future__ import annotations

import atexit
import logging
import os
import secrets
import sys
import threading
import time
import weakref
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from flask import Flask, current_app

from ent_core.cache import _CURRENT, _workspace_id, plugin_of, request_redis
from ent_core.db import all_workspaces, db, in_workspace, utcnow

log = logging.getLogger(__name__)

#: How often the core's schedule flushes every counter.
FLUSH_EVERY = timedelta(minutes=1)
#: How long a flushed batch's id is remembered: longer than any batch can wait in Redis.
BATCH_MEMORY = timedelta(days=30)

Counts = dict[str, int]

#: The application behind ``current_app``, in one call (``add`` runs millions of times).
_app: Callable[[], Flask] = current_app._get_current_object  # type: ignore[attr-defined]

#: Every counter declared in this process (at import of its plugin), by (module, name).
_declared: dict[tuple[str, str], Counter] = {}

#: Renames the live hash to a new batch (if it exists) and lists the batches to add; one
#: script, so an increment lands either before the seal (in the batch) or after (live).
_SEAL = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('SADD', KEYS[3], KEYS[2])
end
return redis.call('SMEMBERS', KEYS[3])
"""


class Counter:
    """``impressions = sdk.Counter("impressions", flush=add_impressions)`` at module level.

    ``flush(counts)`` receives ``{key: increment}`` for one workspace at a time, inside
    ``in_workspace`` (``all_workspaces`` for platform counts), and adds them to the plugin's
    table without committing: the core commits, once per batch.
    """

    def __init__(
        self,
        name: str,
        *,
        flush: Callable[[Counts], None],
        send_every: timedelta | None = None,
    ) -> None:
        self.name = name
        self.flush_to = flush
        self.module_name: str = sys._getframe(1).f_globals.get("__name__", "")
        self._local: defaultdict[tuple[int | None, str], int] = defaultdict(int)
        self._lock = threading.Lock()
        self._names: weakref.WeakKeyDictionary[Flask, tuple[str, str, str]] = (
            weakref.WeakKeyDictionary()
        )
        #: With Redis, increments summed here and sent at most this often (seconds), or None.
        self.send_every = send_every.total_seconds() if send_every else None
        self._pending: weakref.WeakKeyDictionary[Flask, defaultdict[tuple[int | None, str], int]]
        self._pending = weakref.WeakKeyDictionary()
        self._sent_at = 0.0
        _declared[(self.module_name, name)] = self

    def __repr__(self) -> str:
        return f"Counter({self.name!r}, module={self.module_name!r})"

    def add(self, key: str | int, by: int = 1, *, workspace: Any = _CURRENT) -> None:
        """Count ``by`` more for ``key`` in the current workspace (or the one named, or
        ``None`` for the platform). Never raises for Redis: counts it cannot send wait in
        the process for the next call."""
        item = (_workspace_id(workspace), str(key))
        app = _app()
        if app.config.get("REDIS_URL"):
            if self.send_every is None:
                self._send(app, {item: by})
            else:
                self._buffer(app, {item: by})
            return
        with self._lock:
            self._local[item] += by

    def add_many(self, counts: Mapping[str | int, int], *, workspace: Any = _CURRENT) -> None:
        """Several keys at once: one round trip to Redis (a pipeline)."""
        workspace_id = _workspace_id(workspace)
        items = {(workspace_id, str(key)): by for key, by in counts.items()}
        app = _app()
        if app.config.get("REDIS_URL"):
            if self.send_every is None:
                self._send(app, items)
            else:
                self._buffer(app, items)
            return
        with self._lock:
            for item, by in items.items():
                self._local[item] += by

    def redis_target(self, key: str | int, *, workspace: Any = _CURRENT) -> tuple[str, str] | None:
        """The Redis hash and field that ``add(key, workspace=...)`` increments, or None
        without Redis: a plugin's own Lua script may ``HINCRBY`` them in the round trip it
        makes anyway (the ad network counts an impression in its caps' script). Sealing is
        a script too, so such an increment lands wholly before or after it; it is flushed
        like any other. The names change with the queue: ask for each call, not once."""
        workspace_id = _workspace_id(workspace)
        app = _app()
        if not app.config.get("REDIS_URL"):
            return None
        return self._keys(app)[0], _field(workspace_id, str(key))

    def flush(self) -> int:
        """Hand what was counted to ``flush``; returns how many keys were added."""
        app = _app()
        if not app.config.get("REDIS_URL"):
            return self._flush_local()
        self._send(app, self._take_pending(app))
        return self._flush_redis(app)

    # -- sent now and then (``send_every``) ------------------------------------------------
    def _buffer(self, app: Flask, items: dict[tuple[int | None, str], int]) -> None:
        """Sum in the process; send when the last send is ``send_every`` old (the sender
        thread sends what a quiet process holds, and ``atexit`` what is left at exit)."""
        now = time.monotonic()
        with self._lock:
            pending = self._pending.get(app)
            if pending is None:
                pending = self._pending[app] = defaultdict(int)
                _start_sender(self)
            for item, by in items.items():
                pending[item] += by
            due = now - self._sent_at >= self.send_every  # type: ignore[operator]
            if due:
                self._sent_at = now
        if due:
            self._send(app, self._take_pending(app))

    def _take_pending(self, app: Flask) -> dict[tuple[int | None, str], int]:
        with self._lock:
            pending = self._pending.get(app)
            if not pending:
                return {}
            self._pending[app] = defaultdict(int)
            return dict(pending)

    def send_pending(self) -> None:
        """Send what this process summed, for every application (the sender thread, exit)."""
        for app in list(self._pending.keys()):
            taken = self._take_pending(app)
            if not taken:
                continue
            if app.config.get("REDIS_URL"):
                self._send(app, taken)
            else:  # Redis configured away meanwhile (tests): the process keeps them
                with self._lock:
                    for item, by in taken.items():
                        self._local[item] += by

    # -- without Redis ---------------------------------------------------------------------
    def _flush_local(self) -> int:
        with self._lock:
            taken, self._local = self._local, defaultdict(int)
        if not taken:
            return 0
        try:
            self._apply(taken)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            with self._lock:  # given back: the next flush tries them again
                for item, by in taken.items():
                    self._local[item] += by
            raise
        return len(taken)

    # -- with Redis ------------------------------------------------------------------------
    def _keys(self, app: Flask) -> tuple[str, str]:
        """The live hash and the set of batches, named by queue (the platform), plugin, name."""
        from ent_core.jobs.settings import queue_name

        queue = queue_name(app)
        kept = self._names.get(app)
        if kept is None or kept[0] != queue:
            base = f"ent:counter:{queue}:{plugin_of(app, self.module_name)}:{self.name}"
            kept = self._names[app] = (queue, f"{base}:live", f"{base}:batches")
        return kept[1], kept[2]

    def _send(self, app: Flask, counts: dict[tuple[int | None, str], int]) -> None:
        """Add ``counts`` in Redis, with what an outage left here; on failure, keep them all."""
        from redis.exceptions import RedisError

        if self._local:  # left by an outage: they go along
            with self._lock:
                taken, self._local = self._local, defaultdict(int)
            for item, by in counts.items():
                taken[item] += by
            counts = taken
        if not counts:
            return
        live, _ = self._keys(app)
        try:
            client = request_redis(app)
            if len(counts) == 1:  # the usual case: one HINCRBY, no pipeline to build
                (((workspace_id, key), by),) = counts.items()
                client.hincrby(live, _field(workspace_id, key), by)
            else:
                pipe = client.pipeline(transaction=False)
                for (workspace_id, key), by in counts.items():
                    pipe.hincrby(live, _field(workspace_id, key), by)
                pipe.execute()
        except RedisError as exc:
            log.warning("counter %s: Redis unavailable, %d keys kept: %s", self, len(counts), exc)
            with self._lock:
                for item, by in counts.items():
                    self._local[item] += by

    def _flush_redis(self, app: Flask) -> int:
        from ent_core.jobs import redis_connection

        client = redis_connection(app)
        live, batches = self._keys(app)
        sealed = f"{live[: -len(':live')]}:batch:{secrets.token_hex(8)}"
        label = f"{plugin_of(app, self.module_name)}.{self.name}"
        added = 0
        for batch in sorted(client.eval(_SEAL, 3, live, sealed, batches)):
            added += self._add_batch(client, batches, batch.decode(), label)
        return added

    def _add_batch(self, client: Any, batches: str, batch: str, label: str) -> int:
        from sqlalchemy.exc import IntegrityError

        from ent_core.counters.models import CounterBatch

        batch_id = batch.rpartition(":")[2]
        raw = client.hgetall(batch)
        if raw and db.session.get(CounterBatch, batch_id) is None:
            taken = {_parse(field): int(by) for field, by in raw.items()}
            try:
                self._apply(taken)
                db.session.add(CounterBatch(id=batch_id, counter=label))
                db.session.commit()
            except IntegrityError:
                db.session.rollback()  # another flusher added this batch first
                log.info("counter %s: batch %s was added by another flush", self, batch_id)
                taken = {}
            except BaseException:
                db.session.rollback()  # the batch stays in Redis for the next flush
                raise
        else:
            taken = {}
        self._forget_batch(client, batches, batch)
        return len(taken)

    def _forget_batch(self, client: Any, batches: str, batch: str) -> None:
        """Only once its counts are committed (or were already): if this fails, the next
        flush finds the batch recorded and forgets it without adding it again."""
        pipe = client.pipeline(transaction=True)
        pipe.delete(batch)
        pipe.srem(batches, batch)
        pipe.execute()

    def _apply(self, taken: Mapping[tuple[int | None, str], int]) -> None:
        per_workspace: dict[int | None, Counts] = defaultdict(dict)
        for (workspace_id, key), by in taken.items():
            if by:
                per_workspace[workspace_id][key] = by
        for workspace_id in sorted(per_workspace, key=lambda w: -1 if w is None else w):
            scope = all_workspaces() if workspace_id is None else in_workspace(workspace_id)
            with scope:
                self.flush_to(per_workspace[workspace_id])
                db.session.flush()  # inside the scope: the rows written belong to it


_sender_lock = threading.Lock()
#: The counters with ``send_every`` this process has buffered for, by the sender's pid.
_buffered: dict[int, set[Counter]] = {}


def _start_sender(counter: Counter) -> None:
    """One daemon thread per process sends the buffered counters' sums every
    ``send_every``; started on first use, so a forked worker starts its own."""
    pid = os.getpid()
    with _sender_lock:
        counters = _buffered.get(pid)
        if counters is None:
            counters = _buffered[pid] = set()
            thread = threading.Thread(
                target=_send_loop, args=(counters,), name="ent-counters", daemon=True
            )
            thread.start()
        counters.add(counter)


def _send_loop(counters: set[Counter]) -> None:
    while True:
        with _sender_lock:
            every = min((c.send_every or 1.0) for c in counters) if counters else 1.0
        time.sleep(every)
        _send_all(counters)


def _send_all(counters: set[Counter]) -> None:
    for counter in list(counters):
        try:
            counter.send_pending()
        except Exception:  # never kill the sender: the next round tries again
            log.exception("counter %s: sending buffered counts failed", counter)


def _send_all_at_exit() -> None:
    """A process stopping normally (gunicorn's SIGTERM, ``max_requests``) sends its sums;
    one killed without warning loses at most ``send_every`` of them."""
    _send_all(_buffered.get(os.getpid(), set()))


atexit.register(_send_all_at_exit)


def _field(workspace_id: int | None, key: str) -> str:
    return f"{'-' if workspace_id is None else workspace_id}:{key}"


def _parse(field: bytes) -> tuple[int | None, str]:
    workspace, _, key = field.decode().partition(":")
    return (None if workspace == "-" else int(workspace)), key


def counters_of(app: Flask) -> list[Counter]:
    """The counters of this app's plugins (a process may have imported others' too)."""
    found: dict[tuple[str, str], Counter] = {}
    for counter in list(_declared.values()):
        try:
            plugin = plugin_of(app, counter.module_name)
        except RuntimeError:
            continue
        if (plugin, counter.name) in found:
            raise RuntimeError(f"plugin {plugin!r} declares counter {counter.name!r} twice")
        found[(plugin, counter.name)] = counter
    return [found[k] for k in sorted(found)]


def flush_counters() -> None:
    """The ``counters.flush`` schedule: every counter flushed; one failure stops no other."""
    from ent_core.counters.models import CounterBatch

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    failed = []
    for counter in counters_of(app):
        try:
            counter.flush()
        except Exception:
            log.exception("counter %s: flush failed; its counts wait for the next one", counter)
            failed.append(counter)
    db.session.execute(
        db.delete(CounterBatch).where(CounterBatch.applied_at < utcnow() - BATCH_MEMORY)
    )
    db.session.commit()
    if failed:
        raise RuntimeError(f"counters not flushed: {', '.join(map(repr, failed))}")
