"""The parts of the marketplace answer the shared hooks and fill the shared pages here.

Each part keeps its answers in a module ``hooks_<part>.py`` with any of the functions named
in ``HOOKS``; the plugin's single implementation of each hook calls every part in the order of
``PARTS`` (so behaviour never depends on import order) and joins what they return. Pages
shared by parts (a listing's page, an order's page, a storefront) call ``markup(panel, ...)``
to show what every part adds there (``listing_panel``, ``order_panel``, ``seller_panel``).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from functools import cache
from types import ModuleType
from typing import Any

from markupsafe import Markup

PARTS = ("listings", "discovery", "transactions", "money", "reviews", "operations")
PACKAGE = "ent_plugins.marketplace"


@cache
def _module(part: str) -> ModuleType | None:
    name = f"{PACKAGE}.hooks_{part}"
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def answering(function: str) -> Iterator[Any]:
    """The parts' functions named ``function``, in the order of ``PARTS``."""
    for part in PARTS:
        module = _module(part)
        fn = getattr(module, function, None) if module is not None else None
        if fn is not None:
            yield fn


def collect(function: str, *args: Any, **kwargs: Any) -> list[Any]:
    """Every part's answer (a list each), joined in the order of ``PARTS``."""
    found: list[Any] = []
    for fn in answering(function):
        found.extend(fn(*args, **kwargs) or ())
    return found


def call(function: str, *args: Any, **kwargs: Any) -> None:
    for fn in answering(function):
        fn(*args, **kwargs)


def markup(panel: str, **context: Any) -> Markup:
    """What every part shows in ``panel`` of a shared page, joined (empty when none)."""
    pieces = [fn(**context) for fn in answering(panel)]
    return Markup("").join(p for p in pieces if p)
