"""The charter's pages, API and commands, registered through the core's own hooks."""

from __future__ import annotations

from typing import Any

from ent_core.charter import models as _models  # noqa: F401 - tables join the metadata
from ent_core.plugins import hookimpl


@hookimpl
def ent_blueprints() -> list[Any]:
    from ent_core.charter.api import bp as api_bp
    from ent_core.charter.views import admin_bp, bp

    return [bp, admin_bp, api_bp]


@hookimpl
def ent_cli_commands(cli: Any) -> None:
    from ent_core.charter.cli import charter_group

    cli.add_command(charter_group)
