"""``emit``: announce what happened in a workspace to the subscribers switched on there."""

from __future__ import annotations

import logging
from types import MappingProxyType
from typing import Any
from uuid import uuid4

from flask import current_app

from ent_core.db import ALL, _declared_scope, current_workspace_or_none, db, in_workspace
from ent_core.events.after_commit import enqueue_after_commit
from ent_core.events.types import Event, EventError

log = logging.getLogger(__name__)


def emit(name: str, /, *, workspace: Any = None, **payload: Any) -> Event:
    """Announce event ``name`` with its declared ``payload``, in ``workspace`` (default: the
    current one); returns the event handed to subscribers.

    In-transaction subscribers run now, in order, scoped to the workspace; an exception of one
    propagates to the caller, whose transaction must then roll back. After-commit subscribers
    each get a job, queued when the caller's transaction commits.
    """
    catalogue = current_app.extensions["ent.events"]
    declared = catalogue.declaration(name)
    declared.type.check(payload)
    target = _workspace(workspace, name)
    enabled = (
        catalogue.everyone
        if declared.type.platform
        else current_app.extensions["ent"].enabled_for(target)
    )
    event = Event(name, target.id, MappingProxyType(payload), uuid4().hex)
    subscribers = catalogue.subscribers(name, enabled)
    if subscribers:
        with in_workspace(target.id):
            for subscriber in subscribers:
                if subscriber.job_path is not None:
                    enqueue_after_commit(
                        deliver, subscriber.job_path, name, target.id, payload, event.id
                    )
                    continue
                try:
                    subscriber.subscription.handler(event)
                except Exception as exc:
                    exc.add_note(f"in subscriber {subscriber.plugin or 'core'} of event {name}")
                    raise
    return event


def heard(name: str, /, workspace: Any = None) -> bool:
    """Whether anyone would hear event ``name`` in ``workspace`` (default: the current one):
    a core subscriber, or a plugin switched on there that subscribes to it.

    For offering an action only where it leads somewhere ("Promote" shows where a module turns
    the event into something). An undeclared name raises ``EventError``, as ``emit`` does.
    """
    catalogue = current_app.extensions["ent.events"]
    declared = catalogue.declaration(name)
    target = _workspace(workspace, name)
    enabled = (
        catalogue.everyone
        if declared.type.platform
        else current_app.extensions["ent"].enabled_for(target)
    )
    return bool(catalogue.subscribers(name, enabled))


def _workspace(workspace: Any, name: str) -> Any:
    """The workspace object (activation cache needs it): given, declared scope, or current."""
    if workspace is None:
        declared = _declared_scope.get()
        workspace = current_workspace_or_none() if declared in (None, ALL) else declared
        if workspace is None:
            raise EventError(f"emit({name!r}) needs a workspace: pass workspace=")
    if isinstance(workspace, int):
        from ent_core.workspaces.models import Workspace

        found = db.session.get(Workspace, workspace)
        if found is None:
            raise EventError(f"emit({name!r}): no workspace {workspace}")
        return found
    return workspace


def deliver(
    handler_path: str, name: str, workspace_id: int, payload: dict[str, Any], event_id: str
) -> None:
    """The job of one after-commit subscriber: call it scoped to the event's workspace.

    It raises on failure, so that the job is retried (rq with Redis, at once inline); each
    failure is logged with the event and the subscriber.
    """
    from ent_core.jobs import resolve

    event = Event(name, workspace_id, MappingProxyType(payload), event_id)
    try:
        with in_workspace(workspace_id):
            resolve(handler_path)(event)
    except Exception:
        db.session.rollback()
        log.exception(
            "event %s %s (workspace %s): subscriber %s failed",
            name,
            event_id,
            workspace_id,
            handler_path,
        )
        raise
