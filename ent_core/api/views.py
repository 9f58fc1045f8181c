"""Core endpoints of API v1 (docs/api.md): the caller, workspaces and their plugins.

Routes that name a workspace live on ``workspace_api``, an ``ApiBlueprint`` without a plugin, so
the one tenancy guard resolves ``<workspace>``, answers 401 without a token and 404 to strangers.
"""

from __future__ import annotations

import functools
import math
from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ent_core.api.errors import ApiError
from ent_core.api.openapi import api_operation, openapi_document, unauthorized
from ent_core.api.pagination import paginate, paginate_sequence
from ent_core.api.schemas import (
    Activation,
    Invitation,
    InvitationCreate,
    Me,
    Page,
    PageQuery,
    PluginSettings,
    Workspace,
    WorkspaceCreate,
    WorkspaceListQuery,
    WorkspacePlugin,
    WorkspaceUpdate,
)
from ent_core.api.schemas import (
    Plugin as PluginSchema,
)
from ent_core.audit import AuditEvent, record
from ent_core.billing.subscriptions import entitled
from ent_core.db import db, utcnow
from ent_core.links import base_url
from ent_core.permissions import has_permission, require_permission
from ent_core.tenancy import ApiBlueprint, current_workspace
from ent_core.workspaces import models
from ent_core.workspaces.service import (
    create_workspace,
    disable_plugin,
    enable_plugin,
    plugin_settings,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
workspace_api = ApiBlueprint("api_workspace", __name__)

TOKEN_REJECTED = "auth.token_rejected"  # noqa: S105 - an audit action name


class RateLimited(ApiError):
    """429 with ``Retry-After``: too many invalid bearer tokens from one address."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "rate_limited",
            _(
                "Too many invalid tokens from your address. Try again in %(n)s seconds.",
                n=retry_after,
            ),
            429,
            {"retry_after": retry_after},
        )
        self.retry_after = retry_after

    def response(self) -> Response:
        resp = super().response()
        resp.headers["Retry-After"] = str(self.retry_after)
        return resp


# -- authentication ------------------------------------------------------------------------


@bp.app_url_value_preprocessor
def refuse_invalid_tokens(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """A request that sends credentials the API refuses gets 401 (or 429) before anything else.

    Registered with the blueprints, hence before the tenancy guard. A valid token costs nothing
    more than its own lookup: failures alone are counted, through the audit log.
    """
    if not request.path.startswith("/api/") or "Authorization" not in request.headers:
        return
    if current_user.is_authenticated:
        return
    if g.get("ent_suspended_token"):
        raise ApiError(
            "account_suspended",
            _("This account is suspended. Contact the platform's administrators."),
            401,
        )
    config = current_app.config
    limit = int(config.get("ENT_API_TOKEN_MAX_FAILURES", 20))
    window = timedelta(seconds=int(config.get("ENT_API_TOKEN_WINDOW_SECONDS", 600)))
    address = request.remote_addr or "unknown"
    now = utcnow()
    count, oldest = db.session.execute(
        db.select(db.func.count(AuditEvent.id), db.func.min(AuditEvent.created_at)).where(
            AuditEvent.action == TOKEN_REJECTED,
            AuditEvent.subject == address,
            AuditEvent.created_at >= now - window,
        )
    ).one()
    if count >= limit:
        raise RateLimited(max(1, math.ceil((oldest + window - now).total_seconds())))
    record(TOKEN_REJECTED, subject=address, details={"path": request.path[:200]})
    db.session.commit()
    raise unauthorized()


@bp.after_app_request
def challenge(response: Response) -> Response:
    """Tell API clients which scheme to use when they are refused."""
    if response.status_code == 401 and request.path.startswith("/api/"):
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    return response


def require_verified_email(view: Any) -> Any:
    """403 ``email_not_verified`` until the caller confirmed their address."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            raise unauthorized()
        if not current_user.email_verified:
            raise ApiError(
                "email_not_verified",
                _("Confirm your email address first: follow the link we sent you."),
                403,
            )
        return view(*args, **kwargs)

    return wrapper


# -- payloads --------------------------------------------------------------------------------


def _registry() -> Any:
    return current_app.extensions["ent"]


def workspace_items(workspaces: list[models.Workspace]) -> list[dict[str, Any]]:
    """Workspace objects for a page of rows, with one query for all their plugins."""
    order = {p.name: i for i, p in enumerate(_registry().ordered())}
    enabled: dict[int, list[str]] = {}
    if workspaces:
        rows = db.session.execute(
            db.select(models.PluginActivation.workspace_id, models.PluginActivation.plugin)
            .where(
                models.PluginActivation.workspace_id.in_([w.id for w in workspaces]),
                models.PluginActivation.enabled.is_(True),
            )
            .execution_options(ent_all_workspaces=True)  # a page of workspaces
        )
        for workspace_id, name in rows:
            if name in order:
                enabled.setdefault(workspace_id, []).append(name)
    base = base_url()
    return [
        {
            "slug": w.slug,
            "name": w.name,
            "kind": w.kind,
            "sectors": [s.code for s in w.sectors],
            "status": w.status,
            "plugins": sorted(enabled.get(w.id, []), key=order.__getitem__),
            "timezone": w.timezone,
            "created_at": w.created_at,
            "url": f"{base}/w/{w.slug}/",
        }
        for w in workspaces
    ]


def plugin_item(plugin: Any) -> dict[str, Any]:
    meta = plugin.meta
    return {
        "name": meta.name,
        "version": meta.version,
        "label": str(meta.label),
        "description": str(meta.description),
        "category": meta.category,
        "requires": list(meta.requires),
        "restricted": meta.restricted,
        "compatibility": meta.compatibility,
        "plan_feature": meta.plan_feature,
        "quotas": [{"name": q.name, "label": str(q.label)} for q in meta.quotas],
    }


# -- platform endpoints ----------------------------------------------------------------------


@bp.get("/openapi.json")
@api_operation(
    operation_id="getOpenApi", summary="This OpenAPI document", tags=["meta"], auth=False
)
def openapi() -> Any:
    """Generated from the routes once per process; plugins' documented routes included."""
    return jsonify(openapi_document())


@bp.get("/me")
@api_operation(
    operation_id="getMe", summary="The account the token belongs to", response=Me, tags=["account"]
)
def me() -> Any:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "email_verified": user.email_verified,
        "is_admin": user.is_admin,
        "locale": user.locale,
        "created_at": user.created_at,
    }


@bp.get("/workspaces")
@api_operation(
    operation_id="listWorkspaces",
    summary="List the caller's workspaces (every workspace with all=1, for administrators)",
    query=WorkspaceListQuery,
    response=Page[Workspace],
    tags=["workspaces"],
    errors=[403],
)
def list_workspaces(query: WorkspaceListQuery) -> Any:
    statement = db.select(models.Workspace).options(selectinload(models.Workspace.sectors))
    if query.all:
        if not current_user.is_admin:
            raise ApiError(
                "forbidden", _("Only platform administrators may list every workspace."), 403
            )
    else:
        statement = (
            statement.join(models.Membership)
            .where(models.Membership.user_id == current_user.id)
            .execution_options(ent_all_workspaces=True)  # the caller's own, in every workspace
        )
    page = paginate(statement, key=models.Workspace.id, serialize=workspace_items, query=query)
    if query.all:
        record(
            "admin.workspace_read",
            subject="workspaces?all=1",
            details={"slugs": [item["slug"] for item in page["items"]]},
        )
        db.session.commit()
    return page


@bp.post("/workspaces")
@require_verified_email
@api_operation(
    operation_id="createWorkspace",
    summary="Create a workspace owned by the caller",
    body=WorkspaceCreate,
    response=Workspace,
    status=201,
    tags=["workspaces"],
    errors=[403],
)
def create(body: WorkspaceCreate) -> Any:
    from ent_core.workspaces import vetting

    owner = current_user._get_current_object()
    if body.identifiers is not None:
        vetting.clean_identifiers(body.kind, body.identifiers)  # refuse before creating
    workspace = create_workspace(
        slug=body.slug, name=body.name, kind=body.kind, owner=owner, sectors=body.sectors
    )
    if body.identifiers is not None:
        vetting.submit_application(
            workspace, identifiers=body.identifiers, actor=owner, require_documents=False
        )
    return workspace_items([workspace])[0]


@bp.get("/plugins")
@api_operation(
    operation_id="listPlugins",
    summary="List the installed plugins",
    query=PageQuery,
    response=Page[PluginSchema],
    tags=["plugins"],
)
def list_plugins(query: PageQuery) -> Any:
    return paginate_sequence([plugin_item(p) for p in _registry().ordered()], query)


# -- one workspace -------------------------------------------------------------------------


@workspace_api.get("")
@require_permission("workspace.view")
@api_operation(
    operation_id="getWorkspace", summary="Read a workspace", response=Workspace, tags=["workspaces"]
)
def read_workspace() -> Any:
    return workspace_items([current_workspace()])[0]


@workspace_api.patch("")
@require_permission("workspace.manage")
@api_operation(
    operation_id="updateWorkspace",
    summary="Change the workspace's settings (its time zone)",
    body=WorkspaceUpdate,
    response=Workspace,
    tags=["workspaces"],
    errors=[403],
)
def update_workspace(body: WorkspaceUpdate) -> Any:
    from ent_core.workspaces.timezone import set_timezone

    workspace = current_workspace()
    if body.timezone is not None:
        set_timezone(workspace, body.timezone, actor=current_user._get_current_object())
    return workspace_items([workspace])[0]


@workspace_api.get("/plugins")
@require_permission("workspace.view")
@api_operation(
    operation_id="listWorkspacePlugins",
    summary="List the installed plugins with their state in this workspace",
    query=PageQuery,
    response=Page[WorkspacePlugin],
    tags=["plugins"],
)
def workspace_plugins(query: PageQuery) -> Any:
    workspace = current_workspace()
    enabled = _registry().enabled_for(workspace)
    may_manage = has_permission("workspace.manage_plugins")
    items = [
        plugin_item(p)
        | {
            "enabled": p.name in enabled,
            "entitled": entitled(workspace, p.name),
            "settings": plugin_settings(workspace, p.name) if may_manage else None,
        }
        for p in _registry().ordered()
    ]
    return paginate_sequence(items, query)


@workspace_api.put("/plugins/<name>")
@require_permission("workspace.manage_plugins")
@api_operation(
    operation_id="enablePlugin",
    summary="Switch a plugin on (or change its settings)",
    description="The optional body holds settings by name; settings left out keep their value.",
    body=PluginSettings,
    body_required=False,
    response=Activation,
    tags=["plugins"],
    errors=[403, 404, 409],
)
def switch_on(name: str, body: PluginSettings | None) -> Any:
    workspace = current_workspace()
    activation = enable_plugin(
        workspace,
        name,
        body.root if body is not None else None,
        actor=current_user._get_current_object(),
    )
    return {
        "plugin": name,
        "enabled": activation.enabled,
        "settings": plugin_settings(workspace, name),
        "enabled_at": activation.enabled_at,
    }


@workspace_api.delete("/plugins/<name>")
@require_permission("workspace.manage_plugins")
@api_operation(
    operation_id="disablePlugin",
    summary="Switch a plugin off (its data and settings are kept)",
    status=204,
    tags=["plugins"],
    errors=[403, 404, 409],
)
def switch_off(name: str) -> None:
    disable_plugin(current_workspace(), name, actor=current_user._get_current_object())


@workspace_api.post("/invitations")
@require_permission("workspace.manage_members")
@api_operation(
    operation_id="inviteMember",
    summary="Invite someone by email",
    description="Only approved workspaces invite (403 `workspace_not_approved`); invitations are "
    "limited per workspace and per address (429 `rate_limited` with `Retry-After`); a pending "
    "invitation takes one of the plan's seats (409 `quota_exceeded` when none is left).",
    body=InvitationCreate,
    response=Invitation,
    status=201,
    tags=["workspaces"],
    errors=[403, 409, 429],
)
def invite_member(body: InvitationCreate) -> Any:
    from ent_core.workspaces import invitations

    sent = invitations.invite(
        current_workspace(), body.email, body.role, actor=current_user._get_current_object()
    )
    found = sent.invitation
    return {
        "id": found.id,
        "email": found.email,
        "role": found.role,
        "expires_at": found.expires_at,
    }
