"""Small value objects plugins return from UI hooks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class NavItem:
    """An entry of the workspace navigation; ``endpoint`` is built with ``url_for``."""

    label: Any
    endpoint: str
    icon: str = ""
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True, slots=True)
class Widget:
    """A dashboard card; ``body`` is markup (use ``render_template`` to build it)."""

    title: Any
    body: Any
    order: int = 100
