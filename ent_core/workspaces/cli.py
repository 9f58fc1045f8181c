"""``ent workspace`` and ``ent plugin``: what operators do without a browser."""

from __future__ import annotations

import json
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from ent_core.db import all_workspaces, db
from ent_core.identity.cli import _said_why
from ent_core.identity.models import User
from ent_core.workspaces import service
from ent_core.workspaces.models import WORKSPACE_KINDS, WORKSPACE_STATUSES, Membership, Workspace
from ent_core.workspaces.service import WorkspaceError


def _fail(exc: WorkspaceError) -> click.ClickException:
    db.session.rollback()
    details = exc.details.get("fields")
    if details:
        lines = [f"{name}: {'; '.join(messages)}" for name, messages in details.items()]
        return click.ClickException(f"{exc.message} " + " ".join(lines))
    return click.ClickException(exc.message)


def _workspace(slug: str) -> Workspace:
    workspace = db.session.scalar(db.select(Workspace).where(Workspace.slug == slug))
    if workspace is None:
        raise click.ClickException(f"No workspace with the address {slug!r}.")
    return workspace


@click.group("workspace", help="Manage workspaces.")
def workspace_group() -> None:
    # An operator's command names its workspaces in its arguments: it works across them.
    click.get_current_context().with_resource(all_workspaces())


@workspace_group.command("create", help="Create a workspace owned by an existing account.")
@click.argument("slug")
@click.option("--name", required=True, help="Display name.")
@click.option("--kind", required=True, type=click.Choice(WORKSPACE_KINDS), help="Organisation.")
@click.option("--owner", "owner_email", required=True, help="Email of the owner's account.")
@click.option(
    "--sector", "sectors", multiple=True, help="Sector code (it, green, ...); repeatable."
)
@click.option(
    "--approved", is_flag=True, help="Vetted already: skip the review queue (pending otherwise)."
)
@with_appcontext
def create_command(
    slug: str, name: str, kind: str, owner_email: str, sectors: tuple[str, ...], approved: bool
) -> None:
    owner = db.session.scalar(db.select(User).where(User.email == owner_email.strip().lower()))
    if owner is None:
        raise click.ClickException(
            f"No account with the email {owner_email!r}; create it with `ent user create`."
        )
    try:
        workspace = service.create_workspace(
            slug=slug,
            name=name,
            kind=kind,
            owner=owner,
            sectors=sectors,
            status="approved" if approved else "pending",
        )
    except WorkspaceError as exc:
        raise _fail(exc) from None
    click.echo(
        f"Created workspace {workspace.slug} ({workspace.name}), owner {owner.email}, "
        f"{workspace.status}."
    )


@workspace_group.command("approve", help="Approve a workspace's application (vetting).")
@click.argument("slug")
@click.option("--note", default="", help="A note kept in the audit log.")
@with_appcontext
def approve_command(slug: str, note: str) -> None:
    from ent_core.workspaces import vetting

    workspace = _workspace(slug)
    try:
        vetting.approve(workspace, actor=None, note=note)
    except WorkspaceError as exc:
        raise _fail(exc) from None
    click.echo(f"Workspace {slug} is approved; its owners are told by mail.")


@workspace_group.command("reject", help="Reject a workspace's application, with the reason.")
@click.argument("slug")
@click.option("--reason", required=True, help="Why; the applicants read it in the mail.")
@with_appcontext
def reject_command(slug: str, reason: str) -> None:
    from ent_core.workspaces import vetting

    workspace = _workspace(slug)
    try:
        vetting.reject(workspace, actor=None, reason=reason)
    except WorkspaceError as exc:
        raise _fail(exc) from None
    click.echo(f"Workspace {slug} is rejected; its owners are told by mail.")


def _workspace_row(workspace: Workspace) -> dict[str, Any]:
    members = db.session.scalar(
        db.select(db.func.count(Membership.id)).where(Membership.workspace_id == workspace.id)
    )
    return {
        "slug": workspace.slug,
        "name": workspace.name,
        "kind": workspace.kind,
        "status": workspace.status,
        "sectors": [s.code for s in workspace.sectors],
        "timezone": workspace.timezone,
        "plugins": sorted(service.registry().enabled_for(workspace)),
        "members": members,
        "created_at": workspace.created_at.isoformat(),
    }


@workspace_group.command("list", help="List every workspace.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--status",
    type=click.Choice(WORKSPACE_STATUSES),
    help="Only workspaces with this status (pending: the review queue).",
)
@with_appcontext
def list_command(as_json: bool, status: str | None) -> None:
    statement = db.select(Workspace).order_by(Workspace.slug)
    if status:
        statement = statement.where(Workspace.status == status)
    rows = [_workspace_row(w) for w in db.session.scalars(statement)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        click.echo("No workspace yet; create one with `ent workspace create`.")
        return
    for row in rows:
        click.echo(
            f"{row['slug']:<24} {row['kind']:<18} {row['status']:<9} "
            f"{row['members']:>3} members  {row['name']}"
            + (f"  [{', '.join(row['plugins'])}]" if row["plugins"] else "")
        )


@click.group("plugin", help="List plugins and switch them on or off per workspace.")
def plugin_group() -> None:
    # An operator's command names its workspaces in its arguments: it works across them.
    click.get_current_context().with_resource(all_workspaces())


@plugin_group.command("list", help="List the installed plugins.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_appcontext
def plugin_list_command(as_json: bool) -> None:
    rows = [
        {
            "name": p.name,
            "version": p.meta.version,
            "label": str(p.meta.label),
            "description": str(p.meta.description),
            "category": p.meta.category,
            "compatibility": p.meta.compatibility,
            "requires": list(p.meta.requires),
            "restricted": p.meta.restricted,
            "distribution": p.distribution,
        }
        for p in current_app.extensions["ent"].ordered()
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        click.echo("No plugin is installed.")
        return
    for row in rows:
        extras = []
        if row["requires"]:
            extras.append("requires " + ", ".join(row["requires"]))
        if row["restricted"]:
            extras.append("restricted")
        compatibility = "ent_core" + (row["compatibility"] or " (any version)")
        click.echo(
            f"{row['name']:<20} {row['version']:<10} {row['category']:<14} "
            f"{compatibility:<24} {row['label']}" + (f"  ({'; '.join(extras)})" if extras else "")
        )


def _parse_settings(pairs: tuple[str, ...]) -> dict[str, str]:
    settings = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r} is not key=value", param_hint="--setting")
        settings[key.strip()] = value
    return settings


@plugin_group.command("enable", help="Switch a plugin on for a workspace (or change settings).")
@click.argument("slug")
@click.argument("name")
@click.option(
    "--setting", "settings", multiple=True, metavar="KEY=VALUE", help="A setting; repeatable."
)
@with_appcontext
def plugin_enable_command(slug: str, name: str, settings: tuple[str, ...]) -> None:
    workspace = _workspace(slug)
    values = _parse_settings(settings)
    before = service.plugin_activation(workspace, name)
    was_on = before is not None and before.enabled
    try:
        service.enable_plugin(workspace, name, settings=values or None, actor=None, operator=True)
    except WorkspaceError as exc:
        raise _fail(exc) from None
    if not was_on:
        click.echo(f"{name} is on for {slug}.")
    elif values:
        click.echo(f"{name} was already on for {slug}; its settings are saved.")
    else:
        click.echo(f"{name} was already on for {slug}; nothing changed.")


@plugin_group.command("disable", help="Switch a plugin off for a workspace (its data stays).")
@click.argument("slug")
@click.argument("name")
@with_appcontext
def plugin_disable_command(slug: str, name: str) -> None:
    workspace = _workspace(slug)
    before = service.plugin_activation(workspace, name)
    was_on = before is not None and before.enabled
    try:
        service.disable_plugin(workspace, name, actor=None)
    except WorkspaceError as exc:
        raise _fail(exc) from None
    if was_on:
        click.echo(f"{name} is off for {slug}; its data is kept.")
    else:
        click.echo(f"{name} was already off for {slug}; nothing changed.")


_WHY = click.option(
    "--reason", required=True, callback=_said_why, help="Why; the owners read it in the mail."
)


@workspace_group.command(
    "suspend",
    help="Suspend an approved workspace for a breach of the charter: its public pages answer "
    "404 (feeds 410), its API 403 workspace_suspended, its jobs and schedules stop; its owners "
    "are told by mail.",
)
@click.argument("slug")
@_WHY
@with_appcontext
def suspend_command(slug: str, reason: str) -> None:
    _sanction(slug, reason, "suspended")


@workspace_group.command(
    "reinstate", help="Lift a workspace's suspension: everything comes back as it was."
)
@click.argument("slug")
@_WHY
@with_appcontext
def reinstate_command(slug: str, reason: str) -> None:
    _sanction(slug, reason, "reinstated")


def _sanction(slug: str, reason: str, outcome: str) -> None:
    from ent_core.sanctions.service import reinstate_workspace, suspend_workspace

    workspace = _workspace(slug)
    change = suspend_workspace if outcome == "suspended" else reinstate_workspace
    try:
        change(workspace, reason, actor=None)
    except WorkspaceError as exc:
        raise click.ClickException(f"{exc.message} ({slug} is {workspace.status})") from None
    click.echo(f"Workspace {slug} is {outcome}; its owners are told by mail.")
