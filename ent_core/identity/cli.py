"""``ent user`` and ``ent token``."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from ent_core.db import all_workspaces, db
from ent_core.identity.models import User


@click.group("user", help="Manage accounts.")
def user_group() -> None:
    # An operator's command names its workspaces in its arguments: it works across them.
    click.get_current_context().with_resource(all_workspaces())


@user_group.command("create", help="Create an account with a confirmed email address.")
@click.argument("email")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="The password (asked for when not given; at least 10 characters).",
)
@click.option("--name", default="", help="The person's full name.")
@click.option("--admin", is_flag=True, help="Make the account a platform administrator.")
@with_appcontext
def create_user(email: str, password: str, name: str, admin: bool) -> None:
    from ent_core.identity.service import IdentityError, create_account, normalise_email

    try:
        user = create_account(email, password, name=name, verified=True, admin=admin)
    except IdentityError as exc:
        raise click.ClickException(f"{exc.message} ({normalise_email(email)})") from exc
    role = "platform administrator" if user.is_admin else "user"
    click.echo(f"Created {role} {user.email} (id {user.id}).")


@user_group.command("list", help="List accounts.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_appcontext
def list_users(as_json: bool) -> None:
    users = db.session.scalars(db.select(User).order_by(User.id)).all()
    rows = [
        {
            "id": u.id,
            "email": u.email,
            "name": u.name,
            "admin": u.is_admin,
            "active": u.is_active,
            "email_verified": u.email_verified,
            "created_at": u.created_at.isoformat(),
            "last_sign_in_at": u.last_sign_in_at.isoformat() if u.last_sign_in_at else None,
        }
        for u in users
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        click.echo("No accounts.")
        return
    for row in rows:
        flags = ",".join(
            flag
            for flag, on in (
                ("admin", row["admin"]),
                ("unverified", not row["email_verified"]),
                ("disabled", not row["active"]),
            )
            if on
        )
        click.echo(f"{row['id']:>5}  {row['email']:<40} {row['name']:<30} {flags}".rstrip())


def _account(email: str) -> User:
    from ent_core.identity.service import find_user, normalise_email

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No account uses {normalise_email(email)}.")
    return user


def _said_why(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not value.strip():
        raise click.BadParameter("say why, in a few words")
    return value.strip()


_REASON = click.option(
    "--reason",
    required=True,
    callback=_said_why,
    help="Why (kept in the audit log with the change).",
)


@user_group.command(
    "disable",
    help="Suspend an account: it cannot sign in, its sessions end at once and its API tokens "
    "answer 401 account_suspended.",
)
@click.argument("email")
@_REASON
@with_appcontext
def disable_user(email: str, reason: str) -> None:
    _suspend(email, reason, suspended=True)


@user_group.command("enable", help="Lift an account's suspension (its old sessions stay ended).")
@click.argument("email")
@_REASON
@with_appcontext
def enable_user(email: str, reason: str) -> None:
    _suspend(email, reason, suspended=False)


def _suspend(email: str, reason: str, *, suspended: bool) -> None:
    from ent_core.identity.service import disable_account, enable_account

    user = _account(email)
    if suspended:
        done = disable_account(user, reason)
        click.echo(
            f"Disabled {user.email}; its sessions are ended."
            if done
            else f"{user.email} was already disabled."
        )
    elif enable_account(user, reason):
        click.echo(f"Enabled {user.email}.")
    else:
        click.echo(f"{user.email} was not disabled.")


@click.group("token", help="Manage personal API tokens.")
def token_group() -> None:
    # An operator's command names its workspaces in its arguments: it works across them.
    click.get_current_context().with_resource(all_workspaces())


@token_group.command("create", help="Create an API token for an account; prints only the token.")
@click.argument("email")
@click.option("--name", default="cli", show_default=True, help="A name to recognise the token.")
@with_appcontext
def create_token(email: str, name: str) -> None:
    from ent_core.identity.tokens import create_api_token

    user = _account(email)
    if not user.is_active:
        raise click.ClickException(f"The account {user.email} is disabled.")
    _, secret = create_api_token(user, name)
    click.echo(secret)
