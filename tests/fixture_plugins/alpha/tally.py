"""Alpha's cache and counter, for tests/test_cache.py and tests/test_counters.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ent_core import sdk
from tests.fixture_plugins.alpha.models import AlphaItem

#: Errors the next flushes raise, one each (a flush that fails halfway).
FAILURES: list[BaseException] = []
#: Called at the start of each flush (tests slow it down to make two flushes overlap).
BEFORE_FLUSH: list[Callable[[], None]] = []


def add_views(counts: dict[str, int]) -> None:
    """Adds a row per key to alpha's own table, in the workspace being flushed."""
    for hook in BEFORE_FLUSH:
        hook()
    for key, by in sorted(counts.items()):
        sdk.db.session.add(AlphaItem(title=f"views:{key}", note=str(by)))
        if FAILURES and key == "fail-here":
            sdk.db.session.flush()  # written, then refused: the whole batch must roll back
            raise FAILURES.pop()


views = sdk.Counter("views", flush=add_views)
#: Added to thousands of times a second in real life: summed in the process, sent every 50 ms.
shown = sdk.Counter("shown", flush=add_views, send_every=timedelta(milliseconds=50))


def remember(key: str, value: Any, **options: Any) -> None:
    sdk.cache.set(key, value, **options)


def recall(key: str, default: Any = None, **options: Any) -> Any:
    return sdk.cache.get(key, default, **options)


def forget(key: str, **options: Any) -> None:
    sdk.cache.delete(key, **options)


def recall_or(key: str, compute: Callable[[], Any], **options: Any) -> Any:
    return sdk.cache.get_or_set(key, compute, **options)


def remember_once(key: str, value: Any = 1, **options: Any) -> bool:
    return sdk.cache.add(key, value, **options)
