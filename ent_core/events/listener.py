"""``listener``: a plugin for tests that hears events and writes down what it heard.

``ent_core.testing``'s ``event_listener`` fixture installs it for one test (switch it on with
``enable(workspace, "listener")``). It subscribes to every declared event twice, in the
transaction and after commit, and records each hearing as an audit row ``listener.heard``: a
rollback takes the in-transaction record back, and a worker process's record reaches the test.
``ENT_TEST_LISTENER_FAIL`` (``in_transaction``, ``after_commit`` or ``after_commit_once``) makes
it raise, to test what a failing subscriber does. Its own switching on and off
(``workspace.plugin_switched`` naming it) is not written down: tests arrange it, it is not
what they watch.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask

from ent_core.db import all_workspaces, db
from ent_core.events.types import AFTER_COMMIT, IN_TRANSACTION, Event, Subscription
from ent_core.plugins import LoadedPlugin, PluginMeta, hookimpl

meta = PluginMeta(name="listener", version="1.0", label="Event listener (tests)")
NAME = "listener.heard"
#: The events it subscribes to: every declared one, set by :func:`installed`.
EVENTS: list[str] = []
#: Attempts per event id and subscriber mode, in this process (``after_commit_once``).
_attempts: dict[tuple[str, str], int] = {}


@hookimpl
def ent_event_subscriptions() -> list[Subscription]:
    return [Subscription(n, heard_in_transaction, IN_TRANSACTION) for n in EVENTS] + [
        Subscription(n, heard_after_commit, AFTER_COMMIT) for n in EVENTS
    ]


def heard_in_transaction(event: Event) -> None:
    _write_down(event, IN_TRANSACTION)


def heard_after_commit(event: Event) -> None:
    _write_down(event, AFTER_COMMIT)
    db.session.commit()


def _write_down(event: Event, when: str) -> None:
    from ent_core.audit import AuditEvent

    if event.name == "workspace.plugin_switched" and event.payload["plugin"] == meta.name:
        return

    failing = os.environ.get("ENT_TEST_LISTENER_FAIL", "")
    attempt = _attempts[event.id, when] = _attempts.get((event.id, when), 0) + 1
    if failing == when or (failing == f"{when}_once" and attempt == 1):
        raise RuntimeError(f"listener fails on purpose ({failing}, attempt {attempt})")
    db.session.add(
        AuditEvent(
            action=NAME,
            subject=event.name,
            workspace_id=event.workspace_id,
            details={"when": when, "payload": dict(event.payload), "id": event.id},
        )
    )


@dataclass(frozen=True)
class Heard:
    """One hearing: the event, its workspace, how it was heard, its payload and id."""

    event: str
    workspace_id: int
    when: str
    payload: dict[str, Any]
    id: str


class EventListener:
    """What a test reads: what the listener heard, oldest first."""

    def heard(self, event: str | None = None, *, when: str | None = None) -> list[Heard]:
        from ent_core.audit import AuditEvent

        db.session.rollback()  # see what requests, jobs and workers committed since
        query = db.select(AuditEvent).where(AuditEvent.action == NAME).order_by(AuditEvent.id)
        if event is not None:
            query = query.where(AuditEvent.subject == event)
        with all_workspaces():
            rows = db.session.scalars(query).all()
        found = [
            Heard(
                r.subject,
                r.workspace_id or 0,
                r.details["when"],
                r.details["payload"],
                r.details["id"],
            )
            for r in rows
        ]
        return [h for h in found if when is None or h.when == when]


@contextmanager
def installed(app: Flask) -> Iterator[EventListener]:
    """Register the plugin at run time (switched off everywhere) and forget it afterwards."""
    import sys

    registry = app.extensions["ent"]
    catalogue = app.extensions["ent.events"]
    module = sys.modules[__name__]
    EVENTS[:] = sorted(catalogue.declared)
    registry.plugins[meta.name] = LoadedPlugin(meta, module)
    registry.pm.register(module, name=meta.name)
    catalogue.refresh()
    try:
        yield EventListener()
    finally:
        registry.pm.unregister(name=meta.name)
        del registry.plugins[meta.name]
        registry._subset_cache.clear()
        catalogue.refresh()
        _attempts.clear()
