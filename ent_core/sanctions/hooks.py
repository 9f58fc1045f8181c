"""Reports and sanctions: pages, API and commands, registered through the core's own hooks."""

from __future__ import annotations

from typing import Any

from ent_core.plugins import hookimpl
from ent_core.sanctions import models as _models  # noqa: F401 - tables join the metadata


@hookimpl
def ent_blueprints() -> list[Any]:
    from ent_core.sanctions.api import bp as api_bp
    from ent_core.sanctions.views import admin_bp, bp

    return [bp, admin_bp, api_bp]
