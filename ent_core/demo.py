"""Demo data for ``ent demo``: idempotent, so running it twice changes nothing."""

from __future__ import annotations

from collections.abc import Iterator


def load_demo() -> Iterator[str]:
    yield "Demo data loaded."
