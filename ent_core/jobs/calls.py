"""How a job names the function it calls, and the periodic ``Schedule``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


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
