"""The delivery index's version: bumped when what may be served changed.

Campaign and creative moderation, placements joining or leaving, a module switched on or off:
each calls :func:`invalidate` after its change, and every process's delivery index is rebuilt
at its next decision (docs/ads.md, "Choosing an ad").
"""

from __future__ import annotations

import secrets

from ent_core import sdk

VERSION_KEY = "delivery-index-version"


def invalidate() -> None:
    sdk.cache.set(VERSION_KEY, secrets.token_hex(8), workspace=None, ttl=7 * 86400)


def version() -> str | None:
    return sdk.cache.get(VERSION_KEY, workspace=None)  # type: ignore[no-any-return]
