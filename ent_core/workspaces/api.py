"""API v1 of vetting: a workspace's application, its documents, and the admins' decisions.

The routes attach to the core API blueprints (``ent_core.api.views``), so they share their
authentication, tenancy guard, CSRF exemption and error handling.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import Field

from ent_core.api.errors import ApiError
from ent_core.api.openapi import api_operation
from ent_core.api.pagination import paginate_sequence
from ent_core.api.schemas import ApiModel, Page, PageQuery, WorkspaceStatus
from ent_core.api.schemas import Workspace as WorkspaceSchema
from ent_core.api.views import bp, workspace_api, workspace_items
from ent_core.audit import record
from ent_core.db import db
from ent_core.permissions import require_permission
from ent_core.tenancy import current_workspace
from ent_core.uploads import send_upload
from ent_core.workspaces import vetting
from ent_core.workspaces.models import ApplicationDocument, Workspace, WorkspaceApplication


class ApplicationDocumentOut(ApiModel):
    """A supporting document of an application."""

    id: int
    original_name: str
    content_type: str = Field(description="Checked from the content, not the file name.")
    size: int
    sha256: str
    uploaded_at: datetime
    url: str = Field(description="Download address (the workspace's owners and admins).")


class Application(ApiModel):
    """A workspace's vetting application and the last decision on it."""

    workspace: str = Field(description="Slug of the workspace.")
    kind: str
    status: WorkspaceStatus  # type: ignore[valid-type]
    identifiers: dict[str, str] = Field(description="Legal identifiers by name (docs/vetting.md).")
    documents: list[ApplicationDocumentOut]
    submitted_at: datetime | None
    submission_count: int
    decided_at: datetime | None
    decision_reason: str = Field(description="The admins' reason (always given on a rejection).")
    missing: list[str] = Field(description="What the applicants still have to do, in words.")


class ApplicationBody(ApiModel):
    identifiers: dict[str, str] = Field(
        description="The legal identifiers the workspace's kind needs, e.g. "
        '`{"ae_number": "123456", "cin": "BE123456"}` for an auto-entrepreneur.'
    )


class ApprovalBody(ApiModel):
    decision: Literal["approve", "reject"]
    reason: str = Field(
        default="", max_length=2000, description="Required to reject; sent to the applicants."
    )


class ApplicationQuery(PageQuery):
    status: WorkspaceStatus | None = Field(  # type: ignore[valid-type]
        default="pending", description="Only workspaces with this status (default: pending)."
    )


def application_item(workspace: Workspace, found: WorkspaceApplication | None) -> dict[str, Any]:
    from ent_core.sdk import external_url

    def document_url(document: ApplicationDocument) -> str:
        return external_url(
            "api_workspace.application_document_file",
            workspace=workspace.slug,
            document_id=document.id,
        )

    return {
        "workspace": workspace.slug,
        "kind": workspace.kind,
        "status": workspace.status,
        "identifiers": dict(found.identifiers) if found else {},
        "documents": [
            {
                "id": d.id,
                "original_name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "sha256": d.sha256,
                "uploaded_at": d.uploaded_at,
                "url": document_url(d),
            }
            for d in (found.documents if found else [])
        ],
        "submitted_at": found.submitted_at if found else None,
        "submission_count": found.submission_count if found else 0,
        "decided_at": found.decided_at if found else None,
        "decision_reason": found.decision_reason if found else "",
        "missing": vetting.missing(workspace),
    }


def _actor() -> Any:
    return current_user._get_current_object()  # type: ignore[attr-defined]


# -- the applicants ---------------------------------------------------------------------------


@workspace_api.get("/application")
@require_permission("workspace.manage")
@api_operation(
    operation_id="getWorkspaceApplication",
    summary="Read the workspace's vetting application",
    response=Application,
    tags=["vetting"],
)
def read_application() -> Any:
    workspace = current_workspace()
    return application_item(workspace, vetting.application_of(workspace))


@workspace_api.put("/application")
@require_permission("workspace.manage")
@api_operation(
    operation_id="submitWorkspaceApplication",
    summary="Save the legal identifiers and (re)submit the application",
    description="A rejected application goes back to `pending`. Upload documents with "
    "`POST .../application/documents`; `missing` says what is still needed.",
    body=ApplicationBody,
    response=Application,
    tags=["vetting"],
    errors=[403, 409],
)
def submit_application(body: ApplicationBody) -> Any:
    workspace = current_workspace()
    found = vetting.submit_application(
        workspace, identifiers=body.identifiers, actor=_actor(), require_documents=False
    )
    return application_item(workspace, found)


@workspace_api.post("/application/documents")
@require_permission("workspace.manage")
@api_operation(
    operation_id="addWorkspaceApplicationDocument",
    summary="Attach a supporting document (multipart/form-data, field `file`)",
    description="PDF, PNG, JPEG or WebP up to 10 MB, checked by content; a refused file answers "
    "422 `upload_rejected` with `details.reason`.",
    response=ApplicationDocumentOut,
    status=201,
    tags=["vetting"],
    errors=[403, 409],
)
def add_document() -> Any:
    files = request.files.getlist("file")
    if not files:
        raise ApiError(
            "validation_error",
            _("Send the file as multipart/form-data in the field “file”."),
            422,
            {"fields": {"file": [_("Choose a file.")]}},
        )
    workspace = current_workspace()
    added = vetting.add_documents(workspace, files[:1], actor=_actor())
    item = application_item(workspace, vetting.application_of(workspace))
    return next(d for d in item["documents"] if d["id"] == added[0].id)


@workspace_api.get("/application/documents/<int:document_id>")
@require_permission("workspace.manage")
@api_operation(
    operation_id="getWorkspaceApplicationDocument",
    summary="Download a supporting document",
    tags=["vetting"],
    errors=[403, 404],
)
def application_document_file(document_id: int) -> Any:
    document = db.session.scalar(
        db.select(ApplicationDocument).where(
            ApplicationDocument.id == document_id,
            ApplicationDocument.workspace_id == current_workspace().id,
        )
    )
    if document is None:
        raise ApiError("not_found", _("No such document."), 404)
    return send_upload(document.key, download_name=document.original_name)


@workspace_api.delete("/application/documents/<int:document_id>")
@require_permission("workspace.manage")
@api_operation(
    operation_id="removeWorkspaceApplicationDocument",
    summary="Remove a document from an application that is not approved yet",
    status=204,
    tags=["vetting"],
    errors=[403, 404, 409],
)
def remove_document(document_id: int) -> None:
    document = db.session.scalar(
        db.select(ApplicationDocument).where(
            ApplicationDocument.id == document_id,
            ApplicationDocument.workspace_id == current_workspace().id,
        )
    )
    if document is None:
        raise ApiError("not_found", _("No such document."), 404)
    vetting.remove_document(document, actor=_actor())


# -- platform administrators --------------------------------------------------------------------


def _admin_only() -> None:
    if not current_user.is_admin:
        raise ApiError("forbidden", _("Only platform administrators may review applications."), 403)


def _workspace(slug: str) -> Workspace:
    workspace = db.session.scalar(db.select(Workspace).where(Workspace.slug == slug))
    if workspace is None:
        raise ApiError("not_found", _("No such workspace."), 404)
    return workspace


@bp.get("/admin/workspaces")
@api_operation(
    operation_id="listWorkspaceApplications",
    summary="The review queue: workspaces by status (pending by default), oldest first",
    query=ApplicationQuery,
    response=Page[Application],
    tags=["vetting"],
    errors=[403],
)
def list_applications(query: ApplicationQuery) -> Any:
    _admin_only()
    rows = db.session.execute(
        db.select(Workspace, WorkspaceApplication)
        .outerjoin(WorkspaceApplication, WorkspaceApplication.workspace_id == Workspace.id)
        .where(Workspace.status == query.status)
        .order_by(Workspace.id)
        .execution_options(ent_all_workspaces=True)  # the platform admins' queue
    ).all()
    items = [application_item(w, a) for w, a in rows]
    items.sort(key=lambda item: (item["submitted_at"] is None, item["submitted_at"] or 0))
    page = paginate_sequence(items, query)
    record(
        "admin.workspace_read",
        subject=f"admin/workspaces?status={query.status}",
        details={"slugs": [item["workspace"] for item in page["items"]]},
    )
    db.session.commit()
    return page


@bp.post("/admin/workspaces/<slug>/approval")
@api_operation(
    operation_id="decideWorkspaceApplication",
    summary="Approve or reject a workspace's application (a rejection needs a reason)",
    description="The applicants are told by mail; the decision is audited. Answers the "
    "workspace object with its new `status`.",
    body=ApprovalBody,
    response=WorkspaceSchema,
    tags=["vetting"],
    errors=[403, 404, 409],
)
def decide(slug: str, body: ApprovalBody) -> Any:
    _admin_only()
    workspace = _workspace(slug)
    if body.decision == "approve":
        vetting.approve(workspace, actor=_actor(), note=body.reason)
    else:
        vetting.reject(workspace, actor=_actor(), reason=body.reason)
    return workspace_items([workspace])[0]


@bp.get("/admin/workspaces/<slug>/application")
@api_operation(
    operation_id="readWorkspaceApplicationAsAdmin",
    summary="Read any workspace's application (platform administrators; audited)",
    response=Application,
    tags=["vetting"],
    errors=[403, 404],
)
def admin_read_application(slug: str) -> Any:
    _admin_only()
    workspace = _workspace(slug)
    record("admin.workspace_read", subject=request.path, workspace=workspace)
    db.session.commit()
    return application_item(workspace, vetting.application_of(workspace))
