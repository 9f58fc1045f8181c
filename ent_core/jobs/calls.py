"""How a job names the function it calls, and the periodic ``Schedule``."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Schedule:
    """A job the workers run once every ``every`` (platform-wide, not per workspace).

    Time is cut into slots of ``every`` counted from the Unix epoch (UTC); the job runs once in
    each slot, whichever worker claims it first. ``retries`` applies to each run.
    """

    name: str
    func: Callable[..., Any] | str
    every: timedelta
    retries: int = 3

    def slot(self, moment: datetime) -> int:
        """Number of the interval ``moment`` falls in; the same on every worker."""
        return int(moment.timestamp() // self.every.total_seconds())


def dotted(func: Callable[..., Any] | str) -> str:
    """``module:qualname`` of a module-level function, the only kind a worker can import."""
    if isinstance(func, str):
        if ":" not in func:
            raise ValueError(f"job path {func!r} must look like 'package.module:function'")
        return func
    module = getattr(func, "__module__", None)
    qualname = getattr(func, "__qualname__", None)
    if not module or not qualname or module == "__main__" or "<" in qualname:
        raise ValueError(
            f"{func!r} cannot be a job: jobs must be functions defined at module level "
            "in an importable module"
        )
    path = f"{module}:{qualname}"
    try:
        found = resolve(path)
    except (ImportError, AttributeError):
        found = None
    if found is not func:
        raise ValueError(f"{func!r} cannot be a job: {path} does not lead back to it")
    return path


def resolve(path: str) -> Callable[..., Any]:
    """Import the function named by :func:`dotted`."""
    module, _, name = path.partition(":")
    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


def enqueuing_workspace() -> int | None:
    """The workspace a job is queued for: the one in scope (``in_workspace``) or current."""
    from ent_core.db import ALL, _declared_scope, current_workspace_or_none

    declared = _declared_scope.get()
    if declared is not None:
        return None if declared == ALL else declared
    workspace = current_workspace_or_none()
    return None if workspace is None else workspace.id  # type: ignore[no-any-return]


def skipped_while_suspended(path: str, workspace_id: int | None) -> bool:
    """True (and logged) when the job's workspace is suspended now: its jobs do not run.

    Checked when the job runs, not when it was queued; work that must happen after a
    reinstatement is caught by the periodic sweeps (docs/jobs.md, "Suspended workspaces").
    """
    if workspace_id is None:
        return False
    from ent_core.db import current_workspace_or_none, db
    from ent_core.workspaces.models import Workspace

    current = current_workspace_or_none()
    if current is not None and current.id == workspace_id:
        status = current.status  # run inline in the request that queued it: loaded already
    else:
        status = db.session.scalar(db.select(Workspace.status).where(Workspace.id == workspace_id))
    if status != "suspended":
        return False
    log.info("job %s skipped: workspace %s is suspended", path, workspace_id)
    return True
