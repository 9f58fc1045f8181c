"""Workspace pages: the list, creation, the dashboard, members, modules and invitations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import bindparam
from sqlalchemy.orm import selectinload
from wtforms import BooleanField, Form
from wtforms.fields.choices import SelectChoice

from ent_core.billing.subscriptions import entitled
from ent_core.db import db, utcnow
from ent_core.errors import user_errors
from ent_core.identity.models import User
from ent_core.permissions import require_permission
from ent_core.tenancy import WorkspaceBlueprint, current_workspace, signed_in_user
from ent_core.ui import workspace_hooks
from ent_core.uploads import send_upload
from ent_core.workspaces import invitations, service, vetting
from ent_core.workspaces.forms import (
    ApplicationForm,
    ConfirmForm,
    ExtraRoleForm,
    InviteForm,
    MemberRoleForm,
    NewWorkspaceForm,
    WorkspaceSettingsForm,
    role_choices,
    select_choices,
    settings_form_class,
    suggest_slug,
)
from ent_core.workspaces.labels import (
    CATEGORY_LABELS,
    KIND_LABELS,
    SECTOR_LABELS,
    STATUS_LABELS,
    label,
    role_label,
)
from ent_core.workspaces.models import (
    CORE_ROLES,
    ApplicationDocument,
    Membership,
    Sector,
    Workspace,
    workspace_sector,
)
from ent_core.workspaces.service import WorkspaceError
from ent_core.workspaces.timezone import set_timezone

platform_bp = Blueprint("platform", __name__)
workspace_bp = WorkspaceBlueprint("workspace", __name__)


@platform_bp.app_context_processor
def workspace_labels() -> dict[str, Any]:
    """Templates show codes (kind, sector, status, role) through these translated labels."""
    return {
        "kind_label": lambda code: label(KIND_LABELS, code),
        "sector_label": lambda code: label(SECTOR_LABELS, code),
        "status_label": lambda code: label(STATUS_LABELS, code),
        "category_label": lambda code: label(CATEGORY_LABELS, code),
        "role_label": role_label,
    }


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


# -- platform pages ---------------------------------------------------------------------------


@platform_bp.get("/")
def home() -> Any:
    return render_template("home.html")


@platform_bp.get("/workspaces")
@login_required
def workspaces() -> Any:
    mine = db.session.execute(
        db.select(Workspace, Membership)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == current_user.id)
        .order_by(Workspace.name, Workspace.slug)
        .execution_options(ent_all_workspaces=True)  # the user's own, in every workspace
    ).all()
    everything: list[Workspace] = []
    if current_user.is_admin:
        everything = list(
            db.session.scalars(
                db.select(Workspace)
                .options(selectinload(Workspace.sectors))
                .order_by(Workspace.name, Workspace.slug)
            )
        )
    return render_template("workspaces/list.html", mine=mine, everything=everything)


@platform_bp.route("/workspaces/new", methods=["GET", "POST"])
@login_required
def new_workspace() -> Any:
    form = NewWorkspaceForm()
    form.set_sector_choices(
        list(db.session.scalars(db.select(Sector.code).order_by(Sector.position)))
    )
    context = {"identifiers": vetting.IDENTIFIERS, "unverified": False}
    if not current_user.email_verified:
        # Only people who proved their address may create a tenant (and receive its mail).
        status = 403 if request.method == "POST" else 200
        context["unverified"] = True
        return render_template("workspaces/new.html", form=form, **context), status
    if form.validate_on_submit():
        slug = form.slug.data or suggest_slug(form.name.data)
        form.slug.data = slug
        with user_errors(form):
            workspace = _apply(form, slug)
            flash(
                _(
                    "Your application for %(name)s is sent. A platform administrator will "
                    "review it; we will tell you by email.",
                    name=workspace.name,
                ),
                "success",
            )
            return redirect(url_for("workspace.dashboard", workspace=workspace.slug), 303)
    status = 422 if form.errors else 200
    return render_template("workspaces/new.html", form=form, **context), status


def _apply(form: NewWorkspaceForm, slug: str) -> Workspace:
    """Check the application first, so a refused one creates no workspace; report every error."""
    service.validate_slug(slug)
    fields: dict[str, list[str]] = {}
    identifiers: dict[str, str] = {}
    checked: list[vetting.Document] = []
    try:
        identifiers = vetting.clean_identifiers(form.kind.data, form.identifiers())
    except WorkspaceError as exc:
        fields.update(exc.details.get("fields", {}))
    try:
        checked = vetting.check_documents(form.files())
        if not checked:
            fields["documents"] = [_("Add at least one supporting document.")]
    except WorkspaceError as exc:
        fields["documents"] = [exc.message]
    if fields:
        raise WorkspaceError(
            "validation_error",
            _("Some legal identifiers are missing or not valid."),
            details={"fields": fields},
        )
    workspace = service.create_workspace(
        slug=slug,
        name=form.name.data,
        kind=form.kind.data,
        owner=_user(),
        sectors=form.sectors.data or (),
    )
    vetting.submit_application(workspace, identifiers=identifiers, documents=checked, actor=_user())
    return workspace


@platform_bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str) -> Any:
    found = invitations.find(token)
    try:
        invitations.check_usable(found)
    except WorkspaceError as exc:
        return render_template("workspaces/invitation.html", error=exc.message), exc.status
    assert found is not None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    if current_user.email.lower() != found.email.lower():
        message = _(
            "This invitation was sent to %(email)s, but you are signed in as %(current)s. "
            "Sign out, then sign in with the invited address to accept it.",
            email=found.email,
            current=current_user.email,
        )
        return render_template("workspaces/invitation.html", error=message, wrong_account=True), 403
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            invitations.accept(found, _user())
        except WorkspaceError as exc:
            db.session.rollback()
            return render_template("workspaces/invitation.html", error=exc.message), exc.status
        flash(_("Welcome to %(name)s!", name=found.workspace.name), "success")
        return redirect(url_for("workspace.dashboard", workspace=found.workspace.slug), 303)
    return render_template("workspaces/invitation.html", invitation=found, form=form)


# -- dashboard --------------------------------------------------------------------------------


@workspace_bp.get("/")
@login_required
@require_permission("workspace.view")
def dashboard() -> Any:
    workspace = current_workspace()
    user = signed_in_user()
    widgets = sorted(
        (
            w
            for batch in workspace_hooks().ent_dashboard_widgets(workspace=workspace, user=user)
            for w in batch or ()
        ),
        key=lambda w: w.order,
    )
    registry = service.registry()
    enabled = registry.enabled_for(workspace)
    members_count = db.session.scalar(_MEMBERS_COUNT, {"workspace_id": workspace.id})
    modules_on = [p for p in registry.ordered() if p.name in enabled]
    return render_template(
        "workspaces/dashboard.html",
        vetting_missing=vetting.missing(workspace),
        application=None if workspace.approved else vetting.application_of(workspace),
        widgets=widgets,
        members_count=members_count,
        sector_codes=db.session.scalars(_SECTOR_CODES, {"workspace_id": workspace.id}).all(),
        modules_on=modules_on,
        modules_installed=len(registry.plugins),
    )


#: Built once per process, run with the workspace bound (docs/performance.md).
_MEMBERS_COUNT = db.select(db.func.count(Membership.id)).where(
    Membership.workspace_id == bindparam("workspace_id")
)

#: The workspace's sector codes, in the platform's order: one plain statement instead of the
#: ``sectors`` relationship's lazy load, whose set-up costs more than the query (the
#: dashboard is the members' most visited page).
_SECTOR_CODES = (
    db.select(Sector.code)
    .join(workspace_sector, workspace_sector.c.sector_id == Sector.id)
    .where(workspace_sector.c.workspace_id == bindparam("workspace_id"))
    .order_by(Sector.position)
)


# -- members ----------------------------------------------------------------------------------


def _membership_or_404(membership_id: int) -> Membership:
    membership = db.session.scalar(
        db.select(Membership).where(
            Membership.id == membership_id,
            Membership.workspace_id == current_workspace().id,
        )
    )
    if membership is None:
        abort(404)
    return membership


def _members_page(invite_form: InviteForm | None = None, status: int = 200) -> Any:
    workspace = current_workspace()
    is_owner = service.may_manage_owners(_user(), workspace.id)
    if invite_form is None:
        invite_form = InviteForm()
    invite_form.role.choices = select_choices(role_choices(with_owner=is_owner))
    memberships = list(
        db.session.scalars(
            db.select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.workspace_id == workspace.id)
            .options(selectinload(Membership.user), selectinload(Membership.extra_roles))
            .order_by(User.name, User.email)
        )
    )
    return render_template(
        "workspaces/members.html",
        memberships=memberships,
        invitations=invitations.pending_invitations(workspace),
        invite_form=invite_form,
        grantable_roles=role_choices(with_owner=is_owner),
        plugin_roles=[(r, role_label(r)) for r in service.plugin_roles()],
        is_owner=is_owner,
    ), status


def _back_to_members() -> Any:
    return redirect(url_for("workspace.members"), 303)


@workspace_bp.get("/members")
@login_required
@require_permission("workspace.manage_members")
def members() -> Any:
    return _members_page()


#: Refusals of an invitation that keep their own status: the form is right, the moment is not.
_INVITE_REFUSALS = ("workspace_not_approved", "rate_limited", "quota_exceeded")


@workspace_bp.post("/members/invite")
@login_required
@require_permission("workspace.manage_members")
def invite() -> Any:
    form = InviteForm()
    form.role.choices = select_choices(role_choices(with_owner=True))
    if form.validate_on_submit():
        with user_errors(form) as refused:
            sent = invitations.invite(
                current_workspace(), form.email.data, form.role.data, actor=_user()
            )
            flash(_("Invitation sent to %(email)s.", email=sent.invitation.email), "success")
            return _back_to_members()
        # Not approved (403), too many (429), no seat left (409): the status stays, the form
        # says why; a wrong address or role is a form to correct (422).
        kept = refused.error is not None and refused.error.code in _INVITE_REFUSALS
        return _members_page(form, refused.status() if kept else 422)
    return _members_page(form, 422)


@workspace_bp.post("/members/invitations/<int:invitation_id>/revoke")
@login_required
@require_permission("workspace.manage_members")
def revoke_invitation(invitation_id: int) -> Any:
    from ent_core.workspaces.models import Invitation

    found = db.session.scalar(
        db.select(Invitation).where(
            Invitation.id == invitation_id,
            Invitation.workspace_id == current_workspace().id,
            Invitation.accepted_at.is_(None),
        )
    )
    if found is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        invitations.revoke(found, actor=_user())
        flash(_("The invitation to %(email)s was cancelled.", email=found.email), "success")
    return _back_to_members()


@workspace_bp.post("/members/<int:membership_id>/role")
@login_required
@require_permission("workspace.manage_members")
def change_role(membership_id: int) -> Any:
    membership = _membership_or_404(membership_id)
    form = MemberRoleForm()
    form.role.choices = [SelectChoice(r) for r in CORE_ROLES]
    if not form.validate_on_submit():
        flash(_("Choose one of the listed roles."), "error")
        return _back_to_members()
    with user_errors():
        service.set_member_role(membership, form.role.data, actor=_user())
        flash(
            _(
                "%(name)s is now %(role)s.",
                name=membership.user.display_name,
                role=role_label(membership.role),
            ),
            "success",
        )
    return _back_to_members()


@workspace_bp.post("/members/<int:membership_id>/remove")
@login_required
@require_permission("workspace.manage_members")
def remove_member(membership_id: int) -> Any:
    membership = _membership_or_404(membership_id)
    name = membership.user.display_name
    if ConfirmForm().validate_on_submit():
        with user_errors():
            service.remove_member(membership, actor=_user())
            flash(_("%(name)s is no longer a member.", name=name), "success")
    return _back_to_members()


@workspace_bp.post("/members/<int:membership_id>/roles")
@login_required
@require_permission("workspace.manage_members")
def grant_role(membership_id: int) -> Any:
    membership = _membership_or_404(membership_id)
    form = ExtraRoleForm()
    form.role.choices = [SelectChoice(r) for r in service.plugin_roles()]
    if not form.validate_on_submit():
        flash(_("Choose one of the listed roles."), "error")
        return _back_to_members()
    with user_errors():
        service.grant_extra_role(membership, form.role.data, actor=_user())
        flash(
            _(
                "%(name)s now also holds the role %(role)s.",
                name=membership.user.display_name,
                role=role_label(form.role.data),
            ),
            "success",
        )
    return _back_to_members()


@workspace_bp.post("/members/<int:membership_id>/roles/<role>/remove")
@login_required
@require_permission("workspace.manage_members")
def revoke_role(membership_id: int, role: str) -> Any:
    membership = _membership_or_404(membership_id)
    if ConfirmForm().validate_on_submit():
        with user_errors():
            service.revoke_extra_role(membership, role, actor=_user())
            flash(
                _(
                    "%(name)s no longer holds the role %(role)s.",
                    name=membership.user.display_name,
                    role=role_label(role),
                ),
                "success",
            )
    return _back_to_members()


# -- modules ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModuleRow:
    """What the modules page shows about one installed plugin."""

    name: str
    meta: Any
    enabled: bool
    requires: list[tuple[str, Any]]
    can_switch: bool
    has_settings: bool
    entitled: bool


def _module_row(plugin: Any, enabled: frozenset[str]) -> ModuleRow:
    registry = service.registry()
    requires = []
    for needed in plugin.meta.requires:
        other = registry.get(needed)
        requires.append((needed, other.meta.label if other else needed))
    return ModuleRow(
        name=plugin.name,
        meta=plugin.meta,
        enabled=plugin.name in enabled,
        requires=requires,
        can_switch=not plugin.meta.restricted or current_user.is_admin,
        entitled=entitled(current_workspace(), plugin.name),
        has_settings=plugin.meta.settings_form is not None,
    )


def _plugin_or_404(name: str) -> Any:
    plugin = service.registry().get(name)
    if plugin is None:
        abort(404)
    return plugin


@workspace_bp.get("/modules")
@login_required
@require_permission("workspace.manage_plugins")
def modules() -> Any:
    registry = service.registry()
    enabled = registry.enabled_for(current_workspace())
    rows = [_module_row(p, enabled) for p in registry.ordered()]
    return render_template("workspaces/modules.html", modules=rows)


def _after_switch(name: str) -> Any:
    if request.form.get("return_to") == "module":
        return redirect(url_for("workspace.module", name=name), 303)
    return redirect(url_for("workspace.modules"), 303)


@workspace_bp.post("/modules/<name>/on")
@login_required
@require_permission("workspace.manage_plugins")
def module_on(name: str) -> Any:
    return _switch(name, on=True)


@workspace_bp.post("/modules/<name>/off")
@login_required
@require_permission("workspace.manage_plugins")
def module_off(name: str) -> Any:
    return _switch(name, on=False)


def _refusal(exc: WorkspaceError) -> Any:
    """The flash for a refused switch; a module the plan lacks links to the plans."""
    if exc.code != "not_entitled":
        return exc.message
    return Markup('{} <a href="{}">{}</a>').format(
        exc.message, url_for("billing.overview"), _("See the plans")
    )


def _switch(name: str, *, on: bool) -> Any:
    """Switch a module on or off; a refusal (requires, approval...) becomes a flash message."""
    plugin = _plugin_or_404(name)
    if ConfirmForm().validate_on_submit():
        try:
            if on:
                service.enable_plugin(current_workspace(), name, actor=_user())
            else:
                service.disable_plugin(current_workspace(), name, actor=_user())
        except WorkspaceError as exc:
            db.session.rollback()
            flash(_refusal(exc), "error")
        else:
            label = plugin.meta.label
            message = (
                _("%(module)s is on.", module=label)
                if on
                else _("%(module)s is off. Its data is kept.", module=label)
            )
            flash(message, "success")
    return _after_switch(name)


def _submitted_settings(form: Form, names: list[str]) -> dict[str, Any]:
    """The values as typed, so the service validates exactly what the person sent."""
    values: dict[str, Any] = {}
    for name in names:
        field = form[name]
        if isinstance(field, BooleanField):
            values[name] = bool(field.data)
        elif field.raw_data:
            values[name] = field.raw_data[0]
    return values


@workspace_bp.route("/modules/<name>", methods=["GET", "POST"])
@login_required
@require_permission("workspace.manage_plugins")
def module(name: str) -> Any:
    plugin = _plugin_or_404(name)
    workspace = current_workspace()
    row = _module_row(plugin, service.registry().enabled_for(workspace))
    settings_form = plugin.meta.settings_form
    form = None
    status = 200
    if settings_form is not None:
        names = [f.name for f in settings_form(meta={"csrf": False})]
        form = settings_form_class(settings_form)(data=service.plugin_settings(workspace, name))
        if form.validate_on_submit():
            with user_errors(form):
                service.enable_plugin(
                    workspace, name, settings=_submitted_settings(form, names), actor=_user()
                )
                flash(
                    _("The settings of %(module)s are saved.", module=plugin.meta.label), "success"
                )
                return redirect(url_for("workspace.module", name=name), 303)
        if form.errors:
            status = 422
    return render_template("workspaces/module.html", module=row, form=form), status


# -- vetting: the application ------------------------------------------------------------------


@workspace_bp.route("/application", methods=["GET", "POST"])
@login_required
@require_permission("workspace.manage")
def application() -> Any:
    """The workspace's application: its status, the admins' reason, correction and resubmission."""
    workspace = current_workspace()
    found = vetting.application_of(workspace)
    form = ApplicationForm(data=dict(found.identifiers) if found else None)
    if not workspace.approved and form.validate_on_submit():
        with user_errors(form):
            vetting.submit_application(
                workspace, identifiers=form.identifiers(), documents=form.files(), actor=_user()
            )
            flash(_("Your application is sent for review."), "success")
            return redirect(url_for("workspace.application"), 303)
    return render_template(
        "workspaces/application.html",
        form=form,
        application=found,
        specs=vetting.IDENTIFIERS.get(workspace.kind, ()),
        missing=vetting.missing(workspace),
        remove_form=ConfirmForm(),
    ), (422 if form.errors else 200)


def _document_or_404(document_id: int) -> ApplicationDocument:
    document = db.session.scalar(
        db.select(ApplicationDocument).where(
            ApplicationDocument.id == document_id,
            ApplicationDocument.workspace_id == current_workspace().id,
        )
    )
    if document is None:
        abort(404)
    return document


@workspace_bp.get("/application/documents/<int:document_id>")
@login_required
@require_permission("workspace.manage")
def application_document(document_id: int) -> Any:
    document = _document_or_404(document_id)
    return send_upload(document.key, download_name=document.original_name)


@workspace_bp.post("/application/documents/<int:document_id>/remove")
@login_required
@require_permission("workspace.manage")
def remove_application_document(document_id: int) -> Any:
    document = _document_or_404(document_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = document.original_name
    with user_errors():
        vetting.remove_document(document, actor=_user())
        flash(_("%(name)s is removed from the application.", name=name), "success")
    return redirect(url_for("workspace.application"), 303)


# -- settings -----------------------------------------------------------------------------------


@workspace_bp.route("/settings", methods=["GET", "POST"])
@login_required
@require_permission("workspace.manage")
def settings() -> Any:
    """The workspace's own settings: its time zone (docs/workspaces.md, "Time zone")."""
    workspace = current_workspace()
    form = WorkspaceSettingsForm(data={"timezone": workspace.timezone})
    if form.validate_on_submit():
        with user_errors(form):
            set_timezone(workspace, form.timezone.data, actor=_user())
            flash(_("The workspace's settings are saved."), "success")
            return redirect(url_for("workspace.settings"), 303)
    return render_template("workspaces/settings.html", form=form, now=utcnow()), (
        422 if form.errors else 200
    )
