"""Workspace vetting: the application (legal identifiers, documents) and the admins' decision.

A new workspace is ``pending``; it may not switch modules on nor show public pages until a
platform administrator approves it. A rejected applicant corrects the application and submits
it again. Every decision is audited and mailed to the applicants (through a job).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from ent_core.audit import record
from ent_core.db import db, utcnow
from ent_core.events import emit
from ent_core.identity.models import User
from ent_core.uploads import CheckedUpload, StoredFile, UploadRejected, check_upload
from ent_core.workspaces.models import (
    ApplicationDocument,
    Membership,
    Workspace,
    WorkspaceApplication,
)
from ent_core.workspaces.service import WorkspaceError

#: Supporting documents: scans or photos of certificates, PDFs.
DOCUMENT_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/webp")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 10
#: Associations are declared under the dahir of 15 November 1958; no receipt predates it.
EARLIEST_RECEIPT = date(1958, 11, 15)


@dataclass(frozen=True)
class IdentifierSpec:
    """One legal identifier an application carries, and how its format is checked."""

    name: str
    label: Any
    hint: Any
    message: Any
    pattern: re.Pattern[str] | None = None
    is_date: bool = False
    normalise: Callable[[str], str] = str.strip


def _digits(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value)


def _upper(value: str) -> str:
    return re.sub(r"\s+", " ", value.strip().upper())


ICE = IdentifierSpec(
    "ice",
    _l("ICE (Identifiant commun de l'entreprise)"),
    _l("15 digits, on your company's certificate or invoices."),
    _l("The ICE has exactly 15 digits."),
    re.compile(r"^\d{15}$"),
    normalise=_digits,
)
RC_NUMBER = IdentifierSpec(
    "rc_number",
    _l("Trade register number (RC)"),
    _l("The number of your registration in the trade register, digits only."),
    _l("The trade register number is made of 1 to 8 digits."),
    re.compile(r"^\d{1,8}$"),
    normalise=_digits,
)
AE_NUMBER = IdentifierSpec(
    "ae_number",
    _l("Auto-entrepreneur registration number"),
    _l("The number of your registration in the national register, as on your card."),
    _l("The registration number is made of 5 to 20 digits."),
    re.compile(r"^\d{5,20}$"),
    normalise=_digits,
)
CIN = IdentifierSpec(
    "cin",
    _l("National identity card number (CIN)"),
    _l("One or two letters followed by digits, for example BE123456."),
    _l("The CIN is one or two letters followed by 3 to 6 digits."),
    re.compile(r"^[A-Z]{1,2}\d{3,6}$"),
    normalise=lambda v: re.sub(r"\s+", "", v).upper(),
)
RECEIPT_NUMBER = IdentifierSpec(
    "receipt_number",
    _l("Registration receipt number (récépissé de dépôt)"),
    _l("As written on the receipt the local authority gave your association."),
    _l("Use 1 to 40 letters, digits, spaces, slashes or hyphens."),
    re.compile(r"^[A-Z0-9][A-Z0-9 /\-]{0,39}$"),
    normalise=_upper,
)
RECEIPT_DATE = IdentifierSpec(
    "receipt_date",
    _l("Date of the registration receipt"),
    _l("The date on the receipt."),
    _l("Give a real date in the past (year-month-day)."),
    is_date=True,
)
ACCREDITATION_NUMBER = IdentifierSpec(
    "accreditation_number",
    _l("Accreditation number"),
    _l("The number of the training centre's accreditation (autorisation) by the authority."),
    _l("Use 3 to 40 letters, digits, spaces, dots, slashes or hyphens."),
    re.compile(r"^[A-Z0-9][A-Z0-9 ./\-]{2,39}$"),
    normalise=_upper,
)

IDENTIFIERS: dict[str, tuple[IdentifierSpec, ...]] = {
    "media": (ICE, RC_NUMBER),
    "auto_entrepreneur": (AE_NUMBER, CIN),
    "association": (RECEIPT_NUMBER, RECEIPT_DATE),
    "training_centre": (ACCREDITATION_NUMBER,),
}
ALL_IDENTIFIERS: tuple[IdentifierSpec, ...] = tuple(
    dict.fromkeys(spec for specs in IDENTIFIERS.values() for spec in specs)
)


def identifier_label(name: str) -> str:
    """The translated label of an identifier field (for review pages and mails)."""
    for spec in ALL_IDENTIFIERS:
        if spec.name == name:
            return str(spec.label)
    return name


def clean_identifiers(kind: str, data: Mapping[str, Any]) -> dict[str, str]:
    """The identifiers ``kind`` needs, normalised; a ``validation_error`` lists every bad one."""
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for spec in IDENTIFIERS.get(kind, ()):
        raw = data.get(spec.name)
        if isinstance(raw, date):
            raw = raw.isoformat()
        value = spec.normalise(str(raw)) if raw not in (None, "") else ""
        if not value:
            errors[spec.name] = [_("This information is required.")]
        elif spec.is_date:
            try:
                day = date.fromisoformat(value)
            except ValueError:
                day = None
            if day is None or not EARLIEST_RECEIPT <= day <= date.today():
                errors[spec.name] = [str(spec.message)]
            else:
                cleaned[spec.name] = day.isoformat()
        elif spec.pattern is not None and not spec.pattern.match(value):
            errors[spec.name] = [str(spec.message)]
        else:
            cleaned[spec.name] = value
    if errors:
        raise WorkspaceError(
            "validation_error",
            _("Some legal identifiers are missing or not valid."),
            details={"fields": errors},
        )
    return cleaned


def application_of(workspace: Workspace) -> WorkspaceApplication | None:
    return db.session.scalar(
        db.select(WorkspaceApplication)
        .where(WorkspaceApplication.workspace_id == workspace.id)
        .execution_options(ent_workspace_id=workspace.id)
    )


#: A document given to the application: checked (not written yet), or stored already.
Document = CheckedUpload | StoredFile


def check_documents(files: Iterable[FileStorage | bytes | Document]) -> list[Document]:
    """Check supporting documents without writing them; a refused one blames ``documents``.

    They are written only once the whole application passed (``_attach``), so nothing refused
    stays on disk.
    """
    checked: list[Document] = []
    for item in files:
        if isinstance(item, CheckedUpload | StoredFile):
            checked.append(item)
            continue
        if isinstance(item, FileStorage) and not item.filename:
            continue  # an empty file input
        try:
            checked.append(check_upload(item, allowed=DOCUMENT_TYPES, max_bytes=DOCUMENT_MAX_BYTES))
        except UploadRejected as exc:
            name = item.filename if isinstance(item, FileStorage) else None
            message = f"{name}: {exc.message}" if name else exc.message
            raise WorkspaceError(
                "upload_rejected", message, field="documents", details={"reason": exc.reason}
            ) from None
    return checked


def _attach(
    application: WorkspaceApplication, documents: list[Document], actor: User | None
) -> list[ApplicationDocument]:
    """Write the checked documents and attach them, after the cap is checked."""
    if len(application.documents) + len(documents) > MAX_DOCUMENTS:
        raise WorkspaceError(
            "validation_error",
            _("At most %(n)s documents per application.", n=MAX_DOCUMENTS),
            field="documents",
        )
    added = []
    for item in documents:
        if isinstance(item, CheckedUpload):
            item = item.store()
        document = ApplicationDocument(
            workspace_id=application.workspace_id,
            key=item.key,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            original_name=item.original_name,
            uploaded_by_id=actor.id if actor else None,
        )
        application.documents.append(document)
        added.append(document)
    return added


def _refuse_if_approved(workspace: Workspace) -> None:
    if workspace.approved:
        raise WorkspaceError(
            "invalid_transition",
            _("This workspace is already approved; its application is closed."),
            status=409,
            details={"allowed": []},
        )
    if workspace.suspended:  # approved once: only a reinstatement (with a reason) lifts it
        raise WorkspaceError(
            "invalid_transition",
            _("This workspace is suspended; reinstate it instead."),
            status=409,
            details={"allowed": ["reinstate"]},
        )


def submit_application(
    workspace: Workspace,
    *,
    identifiers: Mapping[str, Any],
    documents: Iterable[FileStorage | bytes | Document] = (),
    actor: User | None,
    require_documents: bool = True,
) -> WorkspaceApplication:
    """Save the application (first time, or corrected after a rejection) and put it in the queue.

    ``require_documents=False`` lets the API save identifiers first and upload files after.
    """
    _refuse_if_approved(workspace)
    cleaned = clean_identifiers(workspace.kind, identifiers)
    checked = check_documents(documents)
    application = application_of(workspace)
    resubmitted = application is not None and workspace.status == "rejected"
    if application is None:
        application = WorkspaceApplication(
            workspace_id=workspace.id, identifiers=cleaned, submitted_by_id=actor and actor.id
        )
        db.session.add(application)
    else:
        application.identifiers = cleaned
        application.submitted_by_id = actor.id if actor else None
    _attach(application, checked, actor)
    if require_documents and not application.documents:
        raise WorkspaceError(
            "validation_error", _("Add at least one supporting document."), field="documents"
        )
    application.submitted_at = utcnow()
    application.language = _current_language()
    if resubmitted:
        application.submission_count += 1
        application.decided_at = None
        application.decided_by_id = None
        application.decision_reason = ""
        workspace.status = "pending"
    record(
        "workspace.application_resubmitted" if resubmitted else "workspace.application_submitted",
        subject=workspace.slug,
        workspace=workspace,
        actor=actor,
        details={
            "identifiers": sorted(cleaned),
            "documents": len(application.documents),
        },
    )
    db.session.commit()
    return application


def _current_language() -> str:
    from flask import has_request_context
    from flask_babel import get_locale

    locale = get_locale() if has_request_context() else None
    return locale.language if locale is not None else "fr"


def add_documents(
    workspace: Workspace, files: Iterable[FileStorage | bytes], *, actor: User | None
) -> list[ApplicationDocument]:
    """Attach more documents to an existing application (before approval)."""
    _refuse_if_approved(workspace)
    application = application_of(workspace)
    if application is None:
        raise WorkspaceError(
            "application_missing",
            _("Fill in the legal identifiers of the application first."),
            status=409,
        )
    checked = check_documents(files)
    if not checked:
        raise WorkspaceError("validation_error", _("Choose a file."), field="documents")
    added = _attach(application, checked, actor)
    record(
        "workspace.application_documents_added",
        subject=workspace.slug,
        workspace=workspace,
        actor=actor,
        details={"documents": [d.original_name for d in added]},
    )
    db.session.commit()
    return added


def remove_document(document: ApplicationDocument, *, actor: User | None) -> None:
    """Take a wrong document out of an application that is still open (the bytes stay stored)."""
    workspace = document.application.workspace
    _refuse_if_approved(workspace)
    record(
        "workspace.application_document_removed",
        subject=f"document:{document.id}",
        workspace=workspace,
        actor=actor,
        details={"name": document.original_name, "sha256": document.sha256},
    )
    document.application.documents.remove(document)
    db.session.commit()


def missing(workspace: Workspace) -> list[str]:
    """What the applicants still have to do, in plain words (empty once nothing is missing)."""
    if workspace.approved:
        return []
    application = application_of(workspace)
    items = []
    if application is None or set(application.identifiers) < {
        s.name for s in IDENTIFIERS.get(workspace.kind, ())
    }:
        items.append(_("Give the legal identifiers of your organisation."))
    if application is None or not application.documents:
        items.append(_("Add at least one supporting document."))
    if workspace.status == "rejected":
        items.append(_("Correct the application and submit it again."))
    return items


def approve(workspace: Workspace, *, actor: User | None, note: str = "") -> None:
    """Let the workspace in: modules may be switched on and its public pages appear."""
    _refuse_if_approved(workspace)
    _decide(workspace, "approved", actor, note.strip())


def reject(workspace: Workspace, *, actor: User | None, reason: str) -> None:
    """Refuse the application with a reason the applicants read; they may correct and resubmit."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkspaceError(
            "validation_error", _("Say why the application is rejected."), field="reason"
        )
    if workspace.status != "pending":
        raise WorkspaceError(
            "invalid_transition",
            _("Only a pending application can be rejected."),
            status=409,
            details={"allowed": ["approve"] if workspace.status == "rejected" else []},
        )
    _decide(workspace, "rejected", actor, reason)


def _decide(workspace: Workspace, status: str, actor: User | None, reason: str) -> None:
    from ent_core.jobs import enqueue

    previous = workspace.status
    # Conditional update: of two admins deciding at once, only the first one's decision counts.
    changed = db.session.execute(
        db.update(Workspace)
        .where(Workspace.id == workspace.id, Workspace.status == previous)
        .values(status=status)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise WorkspaceError(
            "invalid_transition",
            _("Another administrator decided on this application meanwhile."),
            status=409,
            details={"allowed": []},
        )
    workspace.status = status
    application = application_of(workspace)
    if application is not None:
        application.decided_at = utcnow()
        application.decided_by_id = actor.id if actor else None
        application.decision_reason = reason
    record(
        f"workspace.{status}",
        subject=workspace.slug,
        workspace=workspace,
        actor=actor,
        details={"from": previous, "reason": reason} if reason else {"from": previous},
    )
    if status == "approved":
        emit("workspace.approved", workspace=workspace, slug=workspace.slug, kind=workspace.kind)
    db.session.commit()
    if status == "approved":
        from ent_core.workspaces.service import enable_defaults

        enable_defaults(workspace)
    enqueue(notify_decision, workspace.id, status, reason)


def applicants(workspace: Workspace) -> list[User]:
    """Who hears about the decision: the workspace's owners and admins."""
    return list(
        db.session.scalars(
            db.select(User)
            .join(Membership, Membership.user_id == User.id)
            .execution_options(ent_workspace_id=workspace.id)  # a job: none is current
            .where(
                Membership.workspace_id == workspace.id,
                Membership.role.in_(("owner", "admin")),
                User.is_active_account.is_(True),
            )
            .order_by(User.id)
        )
    )


def notify_decision(workspace_id: int, status: str, reason: str = "") -> None:
    """Job: tell the applicants, each in their own language, what the admins decided."""
    from ent_core.mail import send_mail
    from ent_core.sdk import external_url

    workspace = db.session.get(Workspace, workspace_id)
    if workspace is None:
        return
    application = application_of(workspace)
    fallback = application.language if application else "fr"
    for user in applicants(workspace):
        with force_locale(user.locale or fallback):
            if status == "approved":
                subject = _("Your workspace %(name)s is approved", name=workspace.name)
                body = _(
                    "Good news: the platform's administrators approved %(name)s. You can now "
                    "choose a subscription and switch modules on.",
                    name=workspace.name,
                )
                url = external_url("workspace.dashboard", workspace=workspace.slug)
            else:
                subject = _("Your workspace %(name)s was not approved", name=workspace.name)
                body = _(
                    "The platform's administrators did not approve %(name)s for this reason:\n\n"
                    "%(reason)s\n\nYou may correct the application and submit it again.",
                    name=workspace.name,
                    reason=reason,
                )
                url = external_url("workspace.application", workspace=workspace.slug)
            send_mail(user.email, subject, f"{body}\n\n{url}")


def review_queue() -> list[tuple[Workspace, WorkspaceApplication | None]]:
    """Workspaces awaiting a decision (oldest first), then rejected ones, then the last approved."""
    rows = db.session.execute(
        db.select(Workspace, WorkspaceApplication)
        .outerjoin(WorkspaceApplication, WorkspaceApplication.workspace_id == Workspace.id)
        .where(Workspace.status.in_(("pending", "rejected")))
        .execution_options(ent_all_workspaces=True)
    ).all()
    order = {"pending": 0, "rejected": 1}

    def key(row: Any) -> tuple[int, Any]:
        workspace, application = row
        when = application.submitted_at if application else workspace.created_at
        return (order[workspace.status], when)

    queue = [(w, a) for w, a in sorted(rows, key=key)]
    approved = db.session.execute(
        db.select(Workspace, WorkspaceApplication)
        .join(WorkspaceApplication, WorkspaceApplication.workspace_id == Workspace.id)
        .where(Workspace.status == "approved")
        .order_by(WorkspaceApplication.decided_at.desc())
        .limit(20)
    ).all()
    return queue + [(w, a) for w, a in approved]
