"""A plugin that builds its blueprint inside ``ent_blueprints`` and counts its start-up calls.

Not in the session's plugins: tests build their own application with it
(tests/test_plugin_loading.py).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ent_core import sdk

meta = sdk.PluginMeta(name="builder", version="1.0.0", label="Builder")

#: How many times each start-up hook was called; tests reset it before ``create_app``.
CALLS: Counter[str] = Counter()


@sdk.hookimpl
def ent_blueprints() -> list[Any]:
    CALLS["ent_blueprints"] += 1
    pages = sdk.WorkspaceBlueprint("builder", __name__)

    @pages.get("/notes")
    def notes() -> str:
        return "builder notes"

    return [pages]


@sdk.hookimpl
def ent_permissions() -> list[Any]:
    CALLS["ent_permissions"] += 1
    return []


@sdk.hookimpl
def ent_roles() -> list[Any]:
    CALLS["ent_roles"] += 1
    return []


@sdk.hookimpl
def ent_cli_commands(cli: Any) -> None:
    CALLS["ent_cli_commands"] += 1
