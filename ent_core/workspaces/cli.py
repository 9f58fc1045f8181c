"""``ent workspace`` and ``ent plugin``."""

from __future__ import annotations

import click


@click.group("workspace", help="Manage workspaces.")
def workspace_group() -> None:
    pass


@click.group("plugin", help="List plugins and switch them on or off per workspace.")
def plugin_group() -> None:
    pass
