"""Per-request state on ``g``, read with one context lookup.

``g.get(name)`` goes through Werkzeug's proxy machinery (four Python calls) and the members'
pages ask ``g`` some fifty times (workspace, membership, permissions, links, catalogue, the
tenant filter on every statement); ``vars(current_g())`` answers the same with one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g

#: The ``g`` object behind the proxy; ``RuntimeError`` outside an application context, as
#: ``g`` itself. The proxy's own lookup function, so calling it costs no extra frame.
current_g: Callable[[], Any] = g._get_current_object  # type: ignore[attr-defined]
