"""API v1 of sanctions: filing a report, and the platform administrators' queue and actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask import Blueprint
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import Field

from ent_core.api.errors import ApiError
from ent_core.api.openapi import api_operation
from ent_core.api.pagination import paginate_sequence
from ent_core.api.schemas import ApiModel, Page, PageQuery
from ent_core.api.schemas import Workspace as WorkspaceSchema
from ent_core.api.views import require_verified_email, workspace_items
from ent_core.db import all_workspaces, db
from ent_core.identity.models import User
from ent_core.sanctions import service
from ent_core.sanctions.models import REPORT_ACTIONS, REPORT_REASONS, CharterReport
from ent_core.workspaces.models import Workspace

bp = Blueprint("sanctions_api", __name__, url_prefix="/api/v1")

ReportReason = Literal[REPORT_REASONS]  # type: ignore[valid-type]
ReportAction = Literal[REPORT_ACTIONS]  # type: ignore[valid-type]


class ReportIn(ApiModel):
    """A charter breach: name exactly one of ``workspace`` and ``person_id``."""

    workspace: str | None = Field(default=None, description="Slug of the workspace reported.")
    person_id: int | None = Field(default=None, description="Account id of the person reported.")
    reason: ReportReason = Field(  # type: ignore[valid-type]
        description="The charter's article breached (docs/charter.md, “Sanctions”)."
    )
    details: str = Field(max_length=service.DETAILS_MAX, description="What happened.")
    evidence_url: str = Field(
        default="", max_length=service.EVIDENCE_MAX, description="Optional http(s) address."
    )


class ReportFiled(ApiModel):
    """What the reporter gets back: the report is in the administrators' queue."""

    id: int
    status: Literal["open", "closed"]
    created_at: datetime


class ReportOut(ApiModel):
    """A report as the platform administrators see it."""

    id: int
    workspace: str | None = Field(description="Slug of the workspace reported, if one.")
    person_id: int | None = Field(description="Account id of the person reported, if one.")
    reporter_id: int | None
    reason: ReportReason  # type: ignore[valid-type]
    details: str
    evidence_url: str
    status: Literal["open", "closed"]
    created_at: datetime
    closed_at: datetime | None
    outcome: str = Field(description="`dismiss`, `warn`, `suspend` or `reinstate` once closed.")
    decision_reason: str


class ReportQuery(PageQuery):
    status: Literal["open", "closed", "all"] = Field(
        default="open", description="Open reports (default, oldest first), closed ones or all."
    )


class DecisionIn(ApiModel):
    action: ReportAction = Field(  # type: ignore[valid-type]
        description="`dismiss`, `warn` (mail), `suspend` or `reinstate` what the report names."
    )
    reason: str = Field(
        max_length=2000, description="Required; mailed to whom it concerns and audited."
    )


class ReasonIn(ApiModel):
    reason: str = Field(max_length=2000, description="Required; mailed to the owners, audited.")


def _admin_only() -> None:
    if not current_user.is_authenticated:
        raise ApiError("unauthorized", _("A valid bearer token is required."), 401)
    if not current_user.is_admin:
        raise ApiError(
            "forbidden", _("Only platform administrators may work on reports and sanctions."), 403
        )


def _actor() -> Any:
    return current_user._get_current_object()  # type: ignore[attr-defined]


def report_item(report: CharterReport) -> dict[str, Any]:
    return {
        "id": report.id,
        "workspace": report.workspace.slug if report.workspace else None,
        "person_id": report.person_id,
        "reporter_id": report.reporter_id,
        "reason": report.reason,
        "details": report.details,
        "evidence_url": report.evidence_url,
        "status": report.status,
        "created_at": report.created_at,
        "closed_at": report.closed_at,
        "outcome": report.outcome,
        "decision_reason": report.decision_reason,
    }


@bp.post("/reports")
@require_verified_email
@api_operation(
    operation_id="fileReport",
    summary="Report a breach of the ethics charter by a workspace or a person",
    description="Anyone signed in. The report goes to the platform administrators' queue; "
    "the people concerned are not told who reported them. At most 20 a day "
    "(429 `rate_limited`).",
    body=ReportIn,
    response=ReportFiled,
    status=201,
    tags=["sanctions"],
    errors=[403, 404, 429],
)
def file_report(body: ReportIn) -> Any:
    workspace = person = None
    if body.workspace is not None:
        workspace = service.reportable_workspace(body.workspace)
        if workspace is None:
            raise ApiError("not_found", _("No such workspace."), 404)
    if body.person_id is not None:
        person = db.session.get(User, body.person_id)
        if person is None:
            raise ApiError("not_found", _("No such person."), 404)
    report = service.file_report(
        _actor(),
        workspace=workspace,
        person=person,
        reason=body.reason,
        details=body.details,
        evidence_url=body.evidence_url,
    )
    return {"id": report.id, "status": report.status, "created_at": report.created_at}


@bp.get("/admin/reports")
@api_operation(
    operation_id="listReports",
    summary="The reports queue (platform administrators)",
    query=ReportQuery,
    response=Page[ReportOut],
    tags=["sanctions"],
    errors=[403],
)
def list_reports(query: ReportQuery) -> Any:
    _admin_only()
    with all_workspaces():
        found = service.reports(None if query.status == "all" else query.status)
        return paginate_sequence([report_item(r) for r in found], query)


def _report(report_id: int) -> CharterReport:
    report = db.session.get(CharterReport, report_id)
    if report is None:
        raise ApiError("not_found", _("No such report."), 404)
    return report


@bp.get("/admin/reports/<int:report_id>")
@api_operation(
    operation_id="getReport",
    summary="Read a report (platform administrators)",
    response=ReportOut,
    tags=["sanctions"],
    errors=[403, 404],
)
def get_report(report_id: int) -> Any:
    _admin_only()
    return report_item(_report(report_id))


@bp.post("/admin/reports/<int:report_id>/decision")
@api_operation(
    operation_id="decideReport",
    summary="Close a report: dismiss, warn, suspend or reinstate what it names",
    description="Suspending a workspace stops its public pages (404), feeds (410), API (403 "
    "`workspace_suspended`), jobs and schedules; suspending a person disables the account "
    "(sessions end, tokens answer 401 `account_suspended`). Mailed and audited. A closed "
    "report answers 409 `invalid_transition`.",
    body=DecisionIn,
    response=ReportOut,
    tags=["sanctions"],
    errors=[403, 404, 409],
)
def decide_report(report_id: int, body: DecisionIn) -> Any:
    _admin_only()
    report = _report(report_id)
    with all_workspaces():
        service.decide(report, body.action, body.reason, actor=_actor())
        return report_item(report)


def _change(slug: str, body: ReasonIn, change: Any) -> Any:
    _admin_only()
    workspace = db.session.scalar(db.select(Workspace).where(Workspace.slug == slug))
    if workspace is None:
        raise ApiError("not_found", _("No such workspace."), 404)
    with all_workspaces():
        change(workspace, body.reason, actor=_actor())
        return workspace_items([workspace])[0]


@bp.post("/admin/workspaces/<slug>/suspension")
@api_operation(
    operation_id="suspendWorkspace",
    summary="Suspend an approved workspace for a breach of the charter (with the reason)",
    description="Its owners are told by mail, in their language; audited. Only an approved "
    "workspace can be suspended (409 `invalid_transition` otherwise).",
    body=ReasonIn,
    response=WorkspaceSchema,
    tags=["sanctions"],
    errors=[403, 404, 409],
)
def suspend(slug: str, body: ReasonIn) -> Any:
    return _change(slug, body, service.suspend_workspace)


@bp.delete("/admin/workspaces/<slug>/suspension")
@api_operation(
    operation_id="reinstateWorkspace",
    summary="Reinstate a suspended workspace (with the reason, in the JSON body)",
    description="Everything comes back: public pages, feeds, API, jobs and schedules.",
    body=ReasonIn,
    response=WorkspaceSchema,
    tags=["sanctions"],
    errors=[403, 404, 409],
)
def reinstate(slug: str, body: ReasonIn) -> Any:
    return _change(slug, body, service.reinstate_workspace)
