"""Workspace operations shared by the UI, the API and the CLI."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from ent_core.audit import record
from ent_core.db import db, utcnow
from ent_core.errors import UserError
from ent_core.events.core import emit_member
from ent_core.events.dispatch import emit
from ent_core.identity.models import User
from ent_core.workspaces.models import (
    CORE_ROLES,
    WORKSPACE_KINDS,
    WORKSPACE_STATUSES,
    Membership,
    MembershipRole,
    PluginActivation,
    Sector,
    Workspace,
    new_cache_generation,
)

log = logging.getLogger(__name__)
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$")
RESERVED_SLUGS = frozenset({"new", "admin", "api", "static", "auth", "account", "www"})
DEFAULT_SECTORS = ("it", "green", "civil_society", "culture", "economy", "tourism")


class WorkspaceError(UserError):
    """A refused workspace, invitation, vetting or sanction operation (docs/errors.md)."""


def registry() -> Any:
    return current_app.extensions["ent"]


def ensure_sectors() -> None:
    """Create the platform's sector list once (migrations and demo call it)."""
    existing = set(db.session.scalars(db.select(Sector.code)))
    for position, code in enumerate(DEFAULT_SECTORS):
        if code not in existing:
            db.session.add(Sector(code=code, position=position))
    db.session.flush()


def validate_slug(slug: str) -> None:
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS or "--" in slug:
        raise WorkspaceError(
            "validation_error",
            _("Use 3 to 63 lower-case letters, digits and single hyphens."),
            field="slug",
        )
    if db.session.scalar(db.select(Workspace.id).where(Workspace.slug == slug)) is not None:
        raise WorkspaceError("validation_error", _("This address is already taken."), field="slug")


def create_workspace(
    *,
    slug: str,
    name: str,
    kind: str,
    owner: User,
    sectors: Iterable[str] = (),
    status: str = "pending",
) -> Workspace:
    """A new workspace, ``pending`` until a platform admin approves it (see ``vetting``).

    ``status="approved"`` is for operators' scripts, the demo data and test fixtures.
    """
    validate_slug(slug)
    if kind not in WORKSPACE_KINDS:
        raise WorkspaceError("validation_error", _("Choose a kind of workspace."), field="kind")
    if not name.strip():
        raise WorkspaceError("validation_error", _("A name is required."), field="name")
    codes = list(dict.fromkeys(sectors))
    found = list(db.session.scalars(db.select(Sector).where(Sector.code.in_(codes))))
    if len(found) != len(codes):
        unknown = sorted(set(codes) - {s.code for s in found})
        raise WorkspaceError(
            "validation_error",
            _("Unknown sector: %(codes)s", codes=", ".join(unknown)),
            field="sectors",
        )
    if status not in WORKSPACE_STATUSES:
        raise ValueError(f"unknown workspace status {status!r}")
    workspace = Workspace(slug=slug, name=name.strip(), kind=kind, status=status)
    workspace.sectors = sorted(found, key=lambda s: s.position)
    db.session.add(workspace)
    db.session.flush()
    db.session.add(Membership(workspace_id=workspace.id, user_id=owner.id, role="owner"))
    record(
        "workspace.created",
        subject=slug,
        workspace=workspace,
        actor=owner,
        details={"status": status},
    )
    db.session.commit()
    if status == "approved":
        enable_defaults(workspace)
    return workspace


def plugin_roles() -> list[str]:
    """Roles that installed plugins declare on top of the core roles, in declaration order."""
    declared = current_app.extensions["ent.permissions"].roles
    return [name for name in declared if name not in CORE_ROLES]


def may_manage_owners(actor: User | None, workspace_id: int) -> bool:
    """Whether ``actor`` may touch owners: owners, platform admins and the CLI (no actor)."""
    if actor is None or actor.is_admin:
        return True
    role = db.session.scalar(
        db.select(Membership.role).where(
            Membership.workspace_id == workspace_id, Membership.user_id == actor.id
        )
    )
    return role == "owner"


def _keep_an_owner(membership: Membership) -> None:
    owners = db.session.scalar(
        db.select(db.func.count(Membership.id)).where(
            Membership.workspace_id == membership.workspace_id, Membership.role == "owner"
        )
    )
    if owners <= 1:
        raise WorkspaceError(
            "last_owner", _("A workspace keeps at least one owner."), field="role", status=409
        )


def set_member_role(membership: Membership, role: str, *, actor: User | None = None) -> None:
    """Change a member's core role; only owners grant or take away ``owner``."""
    if role not in CORE_ROLES:
        raise WorkspaceError("validation_error", _("Unknown role."), field="role")
    if role == membership.role:
        return
    if "owner" in (role, membership.role) and not may_manage_owners(actor, membership.workspace_id):
        raise WorkspaceError(
            "forbidden",
            _("Only owners may grant or remove the owner role."),
            field="role",
            status=403,
        )
    if membership.role == "owner":
        _keep_an_owner(membership)
    previous = membership.role
    membership.role = role
    record(
        "member.role_changed",
        subject=f"user:{membership.user_id}",
        workspace=membership.workspace,
        actor=actor,
        details={"from": previous, "to": role},
    )
    db.session.commit()


def grant_extra_role(membership: Membership, role: str, *, actor: User | None = None) -> None:
    """Give a member a role a plugin declares (trainer, advertiser...) on top of the core role."""
    if role not in plugin_roles():
        raise WorkspaceError("validation_error", _("Unknown role."), field="role")
    if role in membership.roles:
        return
    membership.extra_roles.append(MembershipRole(role=role))
    record(
        "member.role_changed",
        subject=f"user:{membership.user_id}",
        workspace=membership.workspace,
        actor=actor,
        details={"added": role},
    )
    db.session.commit()


def revoke_extra_role(membership: Membership, role: str, *, actor: User | None = None) -> None:
    """Take back a plugin-declared role; the core role stays."""
    found = [r for r in membership.extra_roles if r.role == role]
    if not found:
        raise WorkspaceError("not_found", _("This member does not hold that role."), status=404)
    for extra in found:
        membership.extra_roles.remove(extra)
    record(
        "member.role_changed",
        subject=f"user:{membership.user_id}",
        workspace=membership.workspace,
        actor=actor,
        details={"removed": role},
    )
    db.session.commit()


def remove_member(membership: Membership, *, actor: User | None = None) -> None:
    """Take a member out of the workspace; the last owner stays, only owners remove owners."""
    if membership.role == "owner":
        if not may_manage_owners(actor, membership.workspace_id):
            raise WorkspaceError("forbidden", _("Only owners may remove an owner."), status=403)
        _keep_an_owner(membership)
    record(
        "member.removed",
        subject=f"user:{membership.user_id}",
        workspace=membership.workspace,
        actor=actor,
        details={"role": membership.role, "email": membership.user.email},
    )
    emit_member("member.left", membership, removed_by=actor.id if actor else None)
    db.session.delete(membership)
    db.session.commit()


# -- plugin activation ---------------------------------------------------------------------


def _activation(workspace: Workspace, name: str) -> PluginActivation | None:
    return db.session.scalar(
        db.select(PluginActivation)
        .where(PluginActivation.workspace_id == workspace.id, PluginActivation.plugin == name)
        .execution_options(ent_workspace_id=workspace.id)
    )


def plugin_activation(workspace: Workspace, name: str) -> PluginActivation | None:
    """The workspace's switch for plugin ``name`` (``None`` if it was never switched on)."""
    return _activation(workspace, name)


def plugin_settings(workspace: Workspace, name: str) -> dict[str, Any]:
    """Settings of a plugin for a workspace: saved values over platform and form defaults."""
    reg = registry()
    values = reg.default_settings(name)
    values.update(current_app.config.get("ENT_PLUGIN_SETTINGS", {}).get(name, {}))
    values.update(reg.saved_settings(workspace, name))
    return values


def validate_settings(name: str, data: dict[str, Any]) -> dict[str, Any]:
    from werkzeug.datastructures import MultiDict

    plugin = registry().get(name)
    form_class = plugin.meta.settings_form if plugin else None
    if form_class is None:
        if data:
            raise WorkspaceError(
                "validation_error", _("This module has no settings."), details={"fields": {}}
            )
        return {}
    unknown = set(data) - {f.name for f in form_class(meta={"csrf": False})}
    # JSON booleans become form checkboxes: present when true, absent when false.
    formdata = MultiDict(
        {k: ("y" if v is True else str(v)) for k, v in data.items() if v is not False}
    )
    form = form_class(formdata=formdata, meta={"csrf": False})
    errors = {f.name: [str(e) for e in f.errors] for f in form if not f.validate(form)}
    if unknown:
        errors.update({k: [_("Unknown setting.")] for k in sorted(unknown)})
    if errors:
        raise WorkspaceError(
            "validation_error", _("Some settings are not valid."), details={"fields": errors}
        )
    return {f.name: f.data for f in form if f.name in data}


def enable_plugin(
    workspace: Workspace,
    name: str,
    settings: dict[str, Any] | None = None,
    *,
    actor: User | None,
    operator: bool = False,
) -> PluginActivation:
    """Switch a plugin on (or save its settings); ``operator``: the CLI, which may do anything."""
    reg = registry()
    plugin = reg.get(name)
    if plugin is None:
        raise WorkspaceError("not_found", _("No such module."), status=404)
    if workspace.suspended:
        raise WorkspaceError(
            "workspace_suspended",
            _("This workspace is suspended; its modules cannot be switched on."),
            status=403,
        )
    if not workspace.approved:
        raise WorkspaceError(
            "workspace_not_approved",
            _("This workspace must be approved before modules can be switched on."),
            status=403,
        )
    if plugin.meta.restricted and not operator and not (actor is not None and actor.is_admin):
        raise WorkspaceError(
            "forbidden", _("Only platform administrators may switch this module on."), status=403
        )
    from ent_core.billing.subscriptions import entitled
    from ent_core.sdk import external_url

    if not entitled(workspace, name):
        raise WorkspaceError(
            "not_entitled",
            _("The workspace's subscription does not include this module."),
            status=403,
            details={
                "plan_feature": plugin.meta.plan_feature,
                "plans_url": external_url("billing.overview", workspace=workspace.slug),
            },
        )
    enabled = reg.enabled_for(workspace)
    missing = [r for r in plugin.meta.requires if r not in enabled]
    if missing:
        raise WorkspaceError(
            "plugin_requires",
            _("Switch on %(names)s first.", names=", ".join(missing)),
            status=409,
            details={"requires": missing},
        )
    clean = validate_settings(name, settings or {}) if settings is not None else None
    activation = _activation(workspace, name)
    was_enabled = activation is not None and activation.enabled
    if activation is None:
        activation = PluginActivation(workspace_id=workspace.id, plugin=name, settings={})
        db.session.add(activation)
    if clean is not None:
        activation.settings = {**(activation.settings or {}), **clean}
    activation.enabled = True
    if not was_enabled:
        activation.enabled_at = utcnow()
        activation.cache_generation = new_cache_generation()  # its cache starts afresh
    workspace.activation_serial = Workspace.activation_serial + 1
    record(
        "plugin.enabled" if not was_enabled else "plugin.settings_changed",
        subject=f"plugin:{name}",
        workspace=workspace,
        actor=actor,
        details={"settings": activation.settings},
    )
    if not was_enabled:
        emit("workspace.plugin_switched", workspace=workspace, plugin=name, enabled=True)
    db.session.commit()
    reg.forget(workspace)
    if not was_enabled:
        reg.only(name, "ent_workspace_enabled")(
            workspace=workspace, settings=plugin_settings(workspace, name)
        )
    return activation


def enable_defaults(workspace: Workspace) -> list[str]:
    """Switch on the modules the operator enables by default (``enabled_by_default``).

    Called when the workspace is approved (or created approved). A module its plan does not
    entitle (or that needs one left off) stays off: the owners switch it on once they subscribe.
    """
    pending = [
        p.name
        for p in registry().ordered()
        if p.name in (current_app.config.get("ENT_PLUGINS_ENABLED_BY_DEFAULT") or ())
    ]
    enabled: list[str] = []
    while pending:
        left = []
        for name in pending:
            try:
                enable_plugin(workspace, name, actor=None, operator=True)
            except WorkspaceError as exc:
                db.session.rollback()
                if exc.code == "plugin_requires":
                    left.append(name)
                else:
                    log.info("%s: %s left off by default (%s)", workspace.slug, name, exc.code)
            else:
                enabled.append(name)
        if len(left) == len(pending):
            break
        pending = left
    return enabled


def disable_plugin(workspace: Workspace, name: str, *, actor: User | None) -> None:
    reg = registry()
    if reg.get(name) is None:
        raise WorkspaceError("not_found", _("No such module."), status=404)
    enabled = reg.enabled_for(workspace)
    dependants = sorted(
        p.name for p in reg.ordered() if p.name in enabled and name in p.meta.requires
    )
    if dependants:
        raise WorkspaceError(
            "plugin_required_by",
            _("Switch off %(names)s first.", names=", ".join(dependants)),
            status=409,
            details={"required_by": dependants},
        )
    activation = _activation(workspace, name)
    if activation is None or not activation.enabled:
        return
    activation.enabled = False
    workspace.activation_serial = Workspace.activation_serial + 1
    record("plugin.disabled", subject=f"plugin:{name}", workspace=workspace, actor=actor)
    emit("workspace.plugin_switched", workspace=workspace, plugin=name, enabled=False)
    db.session.commit()
    reg.forget(workspace)
    reg.only(name, "ent_workspace_disabled")(workspace=workspace)
