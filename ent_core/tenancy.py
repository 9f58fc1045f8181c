"""Resolve the current workspace once per request and guard every tenant route.

All routes of a workspace live on blueprints of the classes below. The guard runs before any
view: it loads the workspace from the URL, refuses strangers and switched-off plugins with a
404, and makes the workspace current so that queries are filtered (see ``ent_core.db``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, Flask, abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import and_, bindparam
from sqlalchemy.orm import joinedload, selectinload

from ent_core.context import current_g
from ent_core.db import all_workspaces, db, in_workspace
from ent_core.plugins import PluginError, PluginRegistry
from ent_core.workspaces.models import Membership, Workspace

MEMBERS, PUBLIC, API = "members", "public", "api"
URL_PREFIX = {
    MEMBERS: "/w/<workspace>",
    PUBLIC: "/s/<workspace>",
    API: "/api/v1/workspaces/<workspace>",
}


class WorkspaceBlueprint(Blueprint):
    """Members' area pages of a workspace, under ``/w/<slug>/<plugin>/``."""

    area = MEMBERS


class PublicBlueprint(Blueprint):
    """Public pages of a workspace, under ``/s/<slug>/<plugin>/``; no sign-in needed."""

    area = PUBLIC


class ApiBlueprint(Blueprint):
    """JSON endpoints of a workspace, under ``/api/v1/workspaces/<slug>/<plugin>/``."""

    area = API


class CrossWorkspaceBlueprint(Blueprint):
    """Platform pages that work across workspaces (platform administration): each request
    runs inside ``all_workspaces()``, so their tenant statements are not refused."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.before_request(_enter_all_workspaces)
        self.teardown_request(_leave_all_workspaces)


class PlatformBlueprint(CrossWorkspaceBlueprint):
    """A plugin's pages for platform administrators (a moderation queue), at the
    ``url_prefix`` it chooses: refused (403) to anyone else before any view runs, and working
    across workspaces like the core's administration."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.before_request(_platform_admins_only)


def _platform_admins_only() -> Any:
    user = signed_in_user()
    if not user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    if not user.is_admin:
        abort(403)
    return None


def _enter_all_workspaces() -> None:
    scope = all_workspaces()
    scope.__enter__()
    g.ent_all_workspaces = scope


def _leave_all_workspaces(exc: BaseException | None) -> None:
    scope = vars(current_g()).pop("ent_all_workspaces", None)
    if scope is not None:
        scope.__exit__(None, None, None)


class NotEnabledHere(Exception):
    """The plugin serving this URL is switched off for this workspace."""


class WorkspaceSuspended(Exception):
    """The workspace of this members' page is suspended: its members see why instead."""


#: Workspace API endpoints a suspended workspace's members still reach: the workspace object
#: itself, so that clients read ``status: suspended``.
_OPEN_WHEN_SUSPENDED = frozenset({"api_workspace.read_workspace"})


def public_feed(view: Any) -> Any:
    """Mark a public view as a feed: a suspended workspace's feeds answer 410 Gone, so that
    readers drop them, where its pages answer 404 (docs/charter.md, "Sanctions")."""
    view.ent_feed = True
    return view


def _refuse_suspended(area: str, endpoint: str | None) -> None:
    if area == PUBLIC:
        view = current_app.view_functions.get(endpoint or "")
        abort(410 if getattr(view, "ent_feed", False) else 404)
    if area == API:
        # Platform administrators may still read (audited) to weigh an appeal.
        if endpoint in _OPEN_WHEN_SUSPENDED or (
            request.method in ("GET", "HEAD") and current_user.is_admin
        ):
            return
        from flask_babel import gettext as _

        from ent_core.api.errors import ApiError

        raise ApiError(
            "workspace_suspended",
            _("This workspace is suspended for a breach of the ethics charter."),
            403,
            {"status": "suspended"},
        )
    raise WorkspaceSuspended()


def mount_blueprints(app: Flask, registry: PluginRegistry) -> list[Blueprint]:
    """Register exactly what ``ent_blueprints`` returned, once, each under its owner's prefix.

    The owner is the plugin whose implementation returned the blueprint (the core's own are
    owned by no plugin and always on); blueprints nested in it are part of it. A blueprint in a
    workspace area (members', public or workspace API paths) that no plugin returned, such as
    one registered on the application as a side effect, would answer where its plugin is off:
    start-up refuses it, naming it and who registered it. Returns the blueprints mounted.
    """
    owned: set[str] = set()
    added_by: dict[str, str] = {}
    mounted = []
    for answer in registry.answers("ent_blueprints"):
        for bp in answer.value:
            before = set(app.blueprints)
            if answer.owned:
                bp.ent_plugin = answer.plugin  # type: ignore[attr-defined]
            register_blueprint(app, bp, answer.plugin)
            for name in app.blueprints.keys() - before:
                if answer.owned and (name == bp.name or name.startswith(f"{bp.name}.")):
                    app.blueprints[name].ent_plugin = answer.plugin  # type: ignore[attr-defined]
                    owned.add(name)
                elif answer.owned:
                    added_by[name] = f"plugin {answer.source!r} while mounting {bp.name!r}"
                else:
                    added_by[name] = f"{answer.source!r}, which is not a loaded plugin"
            if answer.plugin is not None:
                registry.plugins[answer.plugin].blueprints.append(bp)
            mounted.append(bp)
    _refuse_unowned(app, owned, added_by)
    return mounted


def _refuse_unowned(app: Flask, owned: set[str], added_by: dict[str, str]) -> None:
    prefixes = tuple(URL_PREFIX.values())
    for rule in app.url_map.iter_rules():
        name = rule.endpoint.rpartition(".")[0]
        if not name or name in owned or not rule.rule.startswith(prefixes):
            continue
        source = added_by.get(name, "something outside ent_blueprints")
        raise PluginError(
            f"blueprint {name!r} answers {rule.rule!r} in a workspace area, but no plugin "
            f"returned it from ent_blueprints (it was registered by {source}); return it from "
            "the plugin's ent_blueprints, so that it is mounted under the plugin's prefix and "
            "answers 404 where the plugin is off"
        )


def register_blueprint(app: Flask, bp: Blueprint, plugin: str | None) -> None:
    area = getattr(bp, "area", None)
    if area is None:
        app.register_blueprint(bp)
        return
    prefix = URL_PREFIX[area] + (f"/{plugin}" if plugin else "")
    app.register_blueprint(bp, url_prefix=prefix + (bp.url_prefix or ""))


_UNSET = object()


def current_workspace() -> Workspace | None:
    return vars(current_g()).get("ent_workspace")


def signed_in_user() -> Any:
    """``current_user``'s object (anonymous or not), with one context lookup once Flask-Login
    has loaded it for this request, as the tenancy guard does before any view."""
    user = vars(current_g()).get("_login_user")
    return user if user is not None else current_user._get_current_object()  # type: ignore[attr-defined]


def current_membership() -> Membership | None:
    """The signed-in user's membership in the current workspace (loaded once per request)."""
    kept = vars(current_g())
    if "ent_membership" in kept:
        return kept["ent_membership"]  # type: ignore[no-any-return]
    workspace = kept.get("ent_workspace")
    user = signed_in_user()
    membership = None
    if workspace is not None and user.is_authenticated:
        membership = db.session.scalar(
            db.select(Membership)
            .options(selectinload(Membership.extra_roles))
            .where(Membership.workspace_id == workspace.id, Membership.user_id == user.id)
        )
    kept["ent_membership"] = membership
    return membership


def _blueprint_of(endpoint: str | None) -> Blueprint | None:
    if not endpoint or "." not in endpoint:
        return None
    return current_app.blueprints.get(endpoint.rsplit(".", 1)[0])


def pull_workspace(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """``url_value_preprocessor``: take the slug out of the URL and make the workspace current."""
    if not values or "workspace" not in values:
        return
    slug = values.pop("workspace")
    bp = _blueprint_of(endpoint)
    area = getattr(bp, "area", MEMBERS)
    workspace = _load_workspace_and_membership(slug)
    if workspace is None:
        abort(404)
    g.ent_workspace = workspace
    g.ent_area = area
    if area == PUBLIC:
        if workspace.suspended:
            _refuse_suspended(area, endpoint)
        if not workspace.approved:
            abort(404)
    else:
        _require_member(area)
        if workspace.suspended:
            _refuse_suspended(area, endpoint)
    plugin = getattr(bp, "ent_plugin", None)
    if plugin and plugin not in current_app.extensions["ent"].enabled_for(workspace):
        raise NotEnabledHere(plugin)


def _load_workspace_and_membership(slug: str) -> Workspace | None:
    """The workspace and, in the same statement, the signed-in user's membership and roles.

    Sets what ``current_membership`` answers, so a members' page costs one statement here
    instead of three (docs/performance.md).
    """
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    if not user.is_authenticated:
        if _statements.get("anonymous") is None:  # built once, run with a bound slug
            _statements["anonymous"] = db.select(Workspace).where(
                Workspace.slug == bindparam("slug")
            )
        return db.session.scalar(_statements["anonymous"], {"slug": slug})
    if _statements.get("member") is None:  # built once, run with bound values
        _statements["member"] = (
            db.select(Workspace, Membership)
            .outerjoin(
                Membership,
                and_(
                    Membership.workspace_id == Workspace.id,
                    Membership.user_id == bindparam("user_id"),
                ),
            )
            .options(joinedload(Membership.extra_roles))
            .where(Workspace.slug == bindparam("slug"))
            # It finds the workspace: none is current yet, and the join names it.
            .execution_options(ent_all_workspaces=True)
        )
    row = (
        db.session.execute(_statements["member"], {"user_id": user.id, "slug": slug})
        .unique()
        .first()
    )
    if row is None:
        return None
    g.ent_membership = row[1]
    return row[0]  # type: ignore[no-any-return]


_statements: dict[str, Any] = {}


def _require_member(area: str) -> None:
    if not current_user.is_authenticated:
        if area == API:
            from ent_core.api.errors import ApiError

            raise ApiError("unauthorized", "A valid bearer token is required.", 401)
        # Flask-Login answers with a redirect to the sign-in page (or a 401).
        abort(current_app.login_manager.unauthorized())  # type: ignore[attr-defined]
    if current_membership() is None and not current_user.is_admin:
        abort(404)
    if current_membership() is None and current_user.is_admin and area == API:
        from ent_core.audit import record

        record("admin.workspace_read", subject=request.path, workspace=current_workspace())
        db.session.commit()


def add_workspace_slug(endpoint: str, values: dict[str, Any]) -> None:
    """``url_defaults``: links built inside a workspace stay in that workspace."""
    workspace = current_workspace()
    if workspace is None or "workspace" in values:
        return
    try:
        expecting = current_app.url_map.is_endpoint_expecting(endpoint, "workspace")
    except KeyError:  # unknown endpoint: let url_for raise its own BuildError
        return
    if expecting:
        values["workspace"] = workspace.slug


@contextmanager
def working_in(workspace: Workspace | str, *, plugin: str | None = None) -> Iterator[Workspace]:
    """Commands and jobs: inside the block ``workspace`` (an object or a slug) is current, as in
    one of its requests (``current_workspace()``), and tenant statements are scoped to it; the
    previous state comes back after. An unknown slug, or a workspace where ``plugin`` is off
    (a plugin's own commands: off is invisible), raises ``LookupError``."""
    if isinstance(workspace, str):
        found = db.session.scalar(
            db.select(Workspace)
            .where(Workspace.slug == workspace)
            .execution_options(ent_all_workspaces=True)
        )
        if found is None:
            raise LookupError(f"no workspace is named {workspace!r}")
        workspace = found
    if plugin is not None and plugin not in current_app.extensions["ent"].enabled_for(workspace):
        raise LookupError(f"the {plugin} module is off in {workspace.slug!r}")
    kept = vars(current_g())
    saved = kept.get("ent_workspace", _UNSET)
    g.ent_workspace = workspace
    try:
        with in_workspace(workspace):
            yield workspace
    finally:
        if saved is _UNSET:
            kept.pop("ent_workspace", None)
        else:
            g.ent_workspace = saved
