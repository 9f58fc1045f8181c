"""``ent user`` and ``ent token``."""

from __future__ import annotations

import click


@click.group("user", help="Manage accounts.")
def user_group() -> None:
    pass


@click.group("token", help="Manage personal API tokens.")
def token_group() -> None:
    pass
