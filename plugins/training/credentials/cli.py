"""``ent training keys list|rotate``: see and rotate the keys that sign the credentials."""

from __future__ import annotations

import json
from typing import Any

import click
from flask.cli import AppGroup


# AppGroup: the commands run inside the application context (the instance folder is the app's).
@click.group("keys", cls=AppGroup, help="Signing keys of the credentials (instance folder).")
def keys_cli() -> None:
    """Group of the key commands."""


@keys_cli.command("list", help="List the signing keys (DIDs only; private keys stay on disk).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_keys(as_json: bool) -> None:
    from .keys import key_store  # here: cryptography (~6 MB) loads for this command only

    store = key_store()
    current = store.current()  # created on first use, like the issuing path does
    rows = [
        {
            "kid": key.kid,
            "created_at": key.created_at.isoformat(),
            "current": key.kid == current.kid,
            "did": key.did,
            "verification_method": key.verification_method,
        }
        for key in store.all()
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        mark = "*" if row["current"] else " "
        click.echo(f"{mark} {row['kid']}\t{row['created_at']}\t{row['did']}")


@keys_cli.command("rotate", help="Create a new signing key; earlier credentials stay verifiable.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def rotate_keys(as_json: bool) -> None:
    from .keys import key_store  # here: cryptography (~6 MB) loads for this command only

    key = key_store().rotate()
    if as_json:
        click.echo(json.dumps({"kid": key.kid, "did": key.did}))
        return
    click.echo(f"New current key {key.kid}: {key.did}")


def register_cli(cli: Any) -> None:
    """Attach ``keys`` under the ``training`` group of ``cli``, creating the group if needed."""
    group = cli.commands.get("training") if hasattr(cli, "commands") else None
    if group is None:
        group = AppGroup("training", help="Training plugin commands.")
        cli.add_command(group)
    group.add_command(keys_cli)
