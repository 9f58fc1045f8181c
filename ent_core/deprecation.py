"""Retiring a public name over one release: it keeps working, with a warning naming the new one."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any


class EntDeprecationWarning(DeprecationWarning):
    """A name of the SDK will be removed; the message names the replacement and the release."""


@dataclass(frozen=True, slots=True)
class Deprecated:
    value: Any
    since: str
    removed_in: str
    use_instead: str


class DeprecatedNames:
    """Module-level ``__getattr__`` for names kept one more release (PEP 562)."""

    __slots__ = ("_module", "_names")

    def __init__(self, module: str) -> None:
        self._module = module
        self._names: dict[str, Deprecated] = {}

    def add(self, name: str, value: Any, *, since: str, removed_in: str, use_instead: str) -> None:
        self._names[name] = Deprecated(value, since, removed_in, use_instead)

    def names(self) -> frozenset[str]:
        return frozenset(self._names)

    def __call__(self, name: str) -> Any:
        entry = self._names.get(name)
        if entry is None:
            raise AttributeError(f"module {self._module!r} has no attribute {name!r}")
        warnings.warn(
            f"{self._module}.{name} is deprecated since {entry.since} and will be removed in "
            f"{entry.removed_in}; use {entry.use_instead} instead",
            EntDeprecationWarning,
            stacklevel=2,
        )
        return entry.value
