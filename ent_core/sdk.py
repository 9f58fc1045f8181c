"""The public facade for plugin authors: import everything from here, nothing else of ent_core.

Names listed in ``__all__`` are stable; a name is retired only through ``deprecated`` (one
release with a warning). tests/test_sdk.py fails when a public name disappears.
"""

from __future__ import annotations

import sys
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from ent_core import catalogues, pdf
from ent_core.adslots import AD_FORMATS, IAB_SIZES, AdSlot, ad_slots
from ent_core.api.errors import ApiError
from ent_core.api.openapi import api_operation
from ent_core.api.pagination import paginate
from ent_core.api.schemas import ApiModel, Page, PageQuery
from ent_core.assets import asset_url
from ent_core.audit import record as audit
from ent_core.badges import ProfileBadge, profile_badges
from ent_core.billing.errors import PaymentError
from ent_core.billing.invoices import ChargeLine
from ent_core.billing.invoices import issue_charge as issue_invoice
from ent_core.billing.payments import confirm_payment
from ent_core.billing.providers import PaymentProvider, RefundResult
from ent_core.billing.providers import providers as payment_providers
from ent_core.billing.quotas import QuotaExceeded, consume_quota, quota_remaining
from ent_core.billing.refunds import credit_invoice
from ent_core.cache import cache
from ent_core.content import render_markdown
from ent_core.counters import Counter
from ent_core.db import (
    Base,
    TenantMixin,
    WorkspaceRequired,
    all_workspaces,
    db,
    in_workspace,
    utcnow,
)
from ent_core.deprecation import DeprecatedNames, EntDeprecationWarning
from ent_core.errors import UserError, user_errors
from ent_core.events import (
    AFTER_COMMIT,
    IN_TRANSACTION,
    Event,
    EventError,
    EventField,
    EventType,
    Subscription,
    emit,
)
from ent_core.events import heard as event_heard
from ent_core.forms import FlaskForm, PlainForm
from ent_core.ical import CalendarEvent, calendar_feed, calendar_response, calendar_uid
from ent_core.jobs import Schedule, current_job_id, enqueue
from ent_core.localtime import (
    format_date,
    format_datetime,
    local_today,
    start_of_day,
    to_local,
    to_utc,
    workspace_zone,
)
from ent_core.mail import Mail, send_mail, send_mails
from ent_core.money import Money
from ent_core.operator_settings import OperatorSettings, operator_settings
from ent_core.permissions import (
    ObjectPermission,
    Permission,
    Role,
    authorize,
    can,
    has_permission,
    require_object_permission,
    require_permission,
)
from ent_core.plugins import PlanQuota, PluginMeta, hookimpl
from ent_core.portal import PortalItem, public_workspace_ids
from ent_core.tenancy import (
    ApiBlueprint,
    PlatformBlueprint,
    PublicBlueprint,
    WorkspaceBlueprint,
    current_membership,
    current_workspace,
    public_feed,
    working_in,
)
from ent_core.trust import TrustSignal, trust_signals
from ent_core.ui import NavItem, Widget, render_slot, workspace_hooks
from ent_core.uploads import (
    CheckedUpload,
    StoredFile,
    UploadRejected,
    check_upload,
    decoding_image,
    open_upload,
    send_upload,
    store_upload,
)
from ent_core.version import __version__
from ent_core.workspaces.names import WorkspaceName, workspace_names


def gettext(string: str, /, **variables: Any) -> str:
    """Flask-Babel's ``gettext``, from the calling module's plugin catalogue, then the core's."""
    return catalogues.translate(sys._getframe(1).f_globals.get("__name__", ""), string, **variables)


def ngettext(singular: str, plural: str, num: int, /, **variables: Any) -> str:
    """Flask-Babel's ``ngettext`` (``num`` filled in), from the calling plugin's catalogue."""
    module_name = sys._getframe(1).f_globals.get("__name__", "")
    return catalogues.translate_plural(module_name, singular, plural, num, **variables)


def lazy_gettext(string: str, /, **variables: Any) -> Any:
    """A string translated when shown, in the reader's language, from the calling module's
    plugin catalogue (then the core's)."""
    module_name = sys._getframe(1).f_globals.get("__name__", "")
    return catalogues.lazy_translate(module_name, string, **variables)


def translations_for(module_name: str) -> catalogues.Translations:
    """``gettext``/``ngettext``/``lazy_gettext`` for the plugin of ``module_name`` (pass
    ``__name__``): for helpers that translate on a plugin's behalf from elsewhere."""
    return catalogues.Translations(module_name)


#: Alias so plugin code reads naturally: ``_("Text")`` in views, ``_l`` in module constants.
_ = gettext
_l = lazy_gettext


class SettingsForm(PlainForm):
    """Base of a plugin's settings form: fields with defaults, validated for UI and API."""


def plugin_settings(name: str, workspace: Any = None) -> dict[str, Any]:
    """The settings of plugin ``name`` for ``workspace`` (with defaults applied): by default
    the current one, or the one ``in_workspace(...)`` declared (jobs, schedules, demo data)."""
    from ent_core.db import declared_workspace_id
    from ent_core.workspaces.models import Workspace
    from ent_core.workspaces.service import plugin_settings as _settings

    if workspace is None:
        workspace = current_workspace()
    if workspace is None:
        declared = declared_workspace_id()
        if declared is not None:
            workspace = db.session.get(Workspace, declared)
    if workspace is None:
        raise RuntimeError("plugin_settings() needs a workspace: pass one or work in one")
    return _settings(workspace, name)


def get_or_404(model: type[Any], ident: Any) -> Any:
    """Load a row by primary key or answer 404; tenant rows of other workspaces are invisible."""
    obj = db.session.execute(
        db.select(model).where(model.__mapper__.primary_key[0] == ident)
    ).scalar_one_or_none()
    if obj is None:
        abort(404)
    return obj


def scoped(model: type[Any]) -> Any:
    """``select(model)`` for the current workspace (the filter is applied automatically too)."""
    workspace = current_workspace()
    if workspace is None:
        raise RuntimeError("scoped() needs a current workspace")
    return db.select(model).where(model.workspace_id == workspace.id)


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link for mails, feeds and the API: on ``ENT_BASE_URL`` (in development
    without it, the address served); works in jobs (no request) too."""
    from flask import current_app, has_request_context, url_for

    from ent_core.links import base_url

    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base_url() + path


def report_url(*, workspace: Any = None, person_id: int | None = None) -> str:
    """The address of the form to report a charter breach by ``workspace`` or by the person
    with account ``person_id`` (bylines, profiles); the person is named by a signed token."""
    from flask import url_for

    if person_id is not None:
        from ent_core.sanctions.service import person_token

        return url_for("sanctions.new_report", person=person_token(person_id))
    return url_for("sanctions.new_report", workspace=(workspace or current_workspace()).slug)


def sector_label(code: str) -> Any:
    """The translated name of a sector code (``it`` -> "IT"), as the core's pages show it."""
    from ent_core.workspaces.labels import SECTOR_LABELS, label

    return label(SECTOR_LABELS, code)


def workspace_members(workspace: Any, permission: str | None = None) -> list[Any]:
    """The active users who belong to ``workspace`` (jobs use it to notify members).

    With ``permission``, only those whose roles there grant it (e.g. the editors to tell).
    """
    from flask import current_app
    from sqlalchemy.orm import selectinload

    from ent_core.identity.models import User
    from ent_core.workspaces.models import Membership

    rows = db.session.execute(
        db.select(User, Membership)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace.id, User.is_active_account.is_(True))
        .options(selectinload(Membership.extra_roles))
        .order_by(User.id)
        .execution_options(ent_all_workspaces=True)
    ).all()
    if permission is None:
        return [user for user, _ in rows]
    registry = current_app.extensions["ent.permissions"]
    return [user for user, member in rows if permission in registry.granted(member.roles)]


#: Names kept for one release after their removal from ``__all__`` (see docs/sdk.md).
_deprecated = DeprecatedNames(__name__)
__getattr__ = _deprecated


def deprecated_names() -> frozenset[str]:
    """Names that still work but warn: the contract test accepts them as retired."""
    return _deprecated.names()


__all__ = [
    "AD_FORMATS",
    "AFTER_COMMIT",
    "IAB_SIZES",
    "IN_TRANSACTION",
    "AdSlot",
    "ApiBlueprint",
    "ApiError",
    "ApiModel",
    "Base",
    "CalendarEvent",
    "ChargeLine",
    "CheckedUpload",
    "Counter",
    "EntDeprecationWarning",
    "Event",
    "EventError",
    "EventField",
    "EventType",
    "FlaskForm",
    "Mail",
    "Money",
    "NavItem",
    "ObjectPermission",
    "OperatorSettings",
    "Page",
    "PageQuery",
    "PaymentError",
    "PaymentProvider",
    "Permission",
    "PlanQuota",
    "PlatformBlueprint",
    "PluginMeta",
    "PortalItem",
    "ProfileBadge",
    "PublicBlueprint",
    "QuotaExceeded",
    "RefundResult",
    "Role",
    "Schedule",
    "SettingsForm",
    "StoredFile",
    "Subscription",
    "TenantMixin",
    "TrustSignal",
    "UploadRejected",
    "UserError",
    "Widget",
    "WorkspaceBlueprint",
    "WorkspaceName",
    "WorkspaceRequired",
    "_",
    "__version__",
    "_l",
    "abort",
    "ad_slots",
    "all_workspaces",
    "api_operation",
    "asset_url",
    "audit",
    "authorize",
    "cache",
    "calendar_feed",
    "calendar_response",
    "calendar_uid",
    "can",
    "check_upload",
    "confirm_payment",
    "consume_quota",
    "credit_invoice",
    "current_job_id",
    "current_membership",
    "current_user",
    "current_workspace",
    "db",
    "decoding_image",
    "deprecated_names",
    "emit",
    "enqueue",
    "event_heard",
    "external_url",
    "format_date",
    "format_datetime",
    "get_or_404",
    "gettext",
    "has_permission",
    "hookimpl",
    "in_workspace",
    "issue_invoice",
    "lazy_gettext",
    "local_today",
    "login_required",
    "ngettext",
    "open_upload",
    "operator_settings",
    "paginate",
    "payment_providers",
    "pdf",
    "plugin_settings",
    "profile_badges",
    "public_feed",
    "public_workspace_ids",
    "quota_remaining",
    "render_markdown",
    "render_slot",
    "report_url",
    "require_object_permission",
    "require_permission",
    "scoped",
    "sector_label",
    "send_mail",
    "send_mails",
    "send_upload",
    "start_of_day",
    "store_upload",
    "to_local",
    "to_utc",
    "translations_for",
    "trust_signals",
    "user_errors",
    "utcnow",
    "working_in",
    "workspace_hooks",
    "workspace_members",
    "workspace_names",
    "workspace_zone",
]
