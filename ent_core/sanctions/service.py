"""Reports of charter breaches and what platform administrators do about them.

Views, the API and the CLI call these functions; refusals are :class:`WorkspaceError` (the
platform's one error for people, with a stable ``code``). Every decision is audited and
mailed, in each person's language, through a job. Suspending an account reuses
``identity.service.disable_account``: its sessions end and its tokens answer 401 at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeSerializer

from ent_core.audit import AuditEvent, record
from ent_core.db import db, utcnow
from ent_core.events.core import emit_sanction
from ent_core.identity.models import User
from ent_core.lazytext import lazy_gettext as _l
from ent_core.sanctions.models import REPORT_ACTIONS, REPORT_REASONS, CharterReport
from ent_core.workspaces.models import Workspace
from ent_core.workspaces.service import WorkspaceError

REASON_LABELS: dict[str, Any] = {
    "accuracy": _l("False or inaccurate information (article 1)"),
    "sources": _l("Sources misused or not protected (article 2)"),
    "advertising": _l("Advertising disguised as information (article 3)"),
    "corrections": _l("Errors left uncorrected (article 4)"),
    "conflict_of_interest": _l("Undisclosed conflict of interest (article 5)"),
    "privacy": _l("Privacy or dignity violated (article 6)"),
    "discrimination": _l("Discrimination, hatred or harassment (article 7)"),
    "intellectual_property": _l("Plagiarism or stolen work (article 8)"),
    "platform_abuse": _l("Abuse of the platform: fraud, spam, impersonation (article 9)"),
    "other": _l("Another breach of the charter"),
}
OUTCOME_LABELS: dict[str, Any] = {
    "dismiss": _l("Dismissed"),
    "warn": _l("Warning sent"),
    "suspend": _l("Suspended"),
    "reinstate": _l("Reinstated"),
}
DETAILS_MAX = 5000
EVIDENCE_MAX = 2000
#: Reports one person may file a day: enough for real breaches, too few to flood the queue.
REPORTS_PER_DAY = 20
_PERSON_SALT = "ent.sanctions.person"


# -- reporting --------------------------------------------------------------------------------


def person_token(user_id: int) -> str:
    """A signed reference to a person for report links: public pages never show user ids."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_PERSON_SALT).dumps(user_id)


def person_from_token(token: str) -> User | None:
    try:
        user_id = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_PERSON_SALT).loads(
            token
        )
    except BadData:
        return None
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def reportable_workspace(slug: str) -> Workspace | None:
    """A workspace anyone may report: one with public pages, or suspended already."""
    return db.session.scalar(
        db.select(Workspace).where(
            Workspace.slug == slug, Workspace.status.in_(("approved", "suspended"))
        )
    )


def clean_evidence_url(value: str | None) -> str:
    """An optional http(s) address with a host; anything else is refused, never rewritten."""
    value = (value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if (
        len(value) > EVIDENCE_MAX
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() or ord(c) < 32 for c in value)
    ):
        raise WorkspaceError(
            "validation_error",
            _("Give a web address starting with http:// or https://."),
            field="evidence_url",
        )
    return value


def file_report(
    reporter: User,
    *,
    reason: str,
    details: str = "",
    evidence_url: str | None = "",
    workspace: Workspace | None = None,
    person: User | None = None,
) -> CharterReport:
    """Put a report about ``workspace`` or ``person`` (exactly one) in the admins' queue."""
    if (workspace is None) == (person is None):
        raise WorkspaceError(
            "validation_error", _("Report either a workspace or a person."), field="workspace"
        )
    if reason not in REPORT_REASONS:
        raise WorkspaceError(
            "validation_error", _("Choose the part of the charter breached."), field="reason"
        )
    details = (details or "").strip()
    if not details:
        raise WorkspaceError(
            "validation_error", _("Say what happened, in a few words."), field="details"
        )
    if len(details) > DETAILS_MAX:
        raise WorkspaceError(
            "validation_error",
            _("At most %(num)d characters.", num=DETAILS_MAX),
            field="details",
        )
    evidence = clean_evidence_url(evidence_url)
    since = utcnow() - timedelta(days=1)
    filed = db.session.scalar(
        db.select(db.func.count(CharterReport.id)).where(
            CharterReport.reporter_id == reporter.id, CharterReport.created_at > since
        )
    )
    if filed >= REPORTS_PER_DAY:
        raise WorkspaceError(
            "rate_limited",
            _("You sent many reports today; the administrators will read them first."),
            status=429,
            details={"retry_after": 3600},
        )
    report = CharterReport(
        reporter_id=reporter.id,
        workspace_id=workspace.id if workspace else None,
        person_id=person.id if person else None,
        reason=reason,
        details=details,
        evidence_url=evidence,
    )
    db.session.add(report)
    db.session.flush()
    record(
        "report.filed",
        subject=f"report:{report.id}",
        workspace=workspace,
        actor=reporter,
        details={"reason": reason, "about": _about(report)},
    )
    db.session.commit()
    return report


def _about(report: CharterReport) -> str:
    if report.workspace is not None:
        return f"workspace:{report.workspace.slug}"
    return f"user:{report.person_id}"


# -- the administrators' queue ---------------------------------------------------------------


def reports(status: str | None = "open") -> list[CharterReport]:
    """The queue: open reports oldest first; closed ones newest first; ``None``: every one."""
    statement = db.select(CharterReport)
    if status == "open":
        statement = statement.where(CharterReport.status == "open").order_by(CharterReport.id)
    else:
        if status == "closed":
            statement = statement.where(CharterReport.status == "closed")
        statement = statement.order_by(CharterReport.id.desc())
    return list(db.session.scalars(statement))


def decide(report: CharterReport, action: str, reason: str, *, actor: User | None) -> None:
    """Close an open report with ``action`` on what it names; the reason is required."""
    if action not in REPORT_ACTIONS:
        raise WorkspaceError(
            "validation_error", _("Choose what to do with the report."), field="action"
        )
    reason = _required_reason(reason)
    # Conditional update: of two administrators deciding at once, the first one wins.
    closed = db.session.execute(
        db.update(CharterReport)
        .where(CharterReport.id == report.id, CharterReport.status == "open")
        .values(
            status="closed",
            closed_at=utcnow(),
            closed_by_id=actor.id if actor else None,
            outcome=action,
            decision_reason=reason,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if closed != 1:
        db.session.rollback()
        raise WorkspaceError(
            "invalid_transition",
            _("This report is already closed."),
            status=409,
            details={"allowed": []},
        )
    if action == "dismiss":
        record(
            "report.dismissed",
            subject=f"report:{report.id}",
            workspace=report.workspace,
            actor=actor,
            details={"reason": reason},
        )
        db.session.commit()
    elif report.workspace is not None:
        _WORKSPACE_ACTIONS[action](report.workspace, reason, actor=actor, report=report)
    else:
        _PERSON_ACTIONS[action](report.person, reason, actor=actor, report=report)
    db.session.refresh(report)


def reinstate_target(report: CharterReport, reason: str, *, actor: User | None) -> None:
    """Lift the suspension of what a report names, after the report was closed (an appeal)."""
    if report.workspace is not None:
        reinstate_workspace(report.workspace, reason, actor=actor, report=report)
    else:
        reinstate_person(report.person, reason, actor=actor, report=report)


def _required_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise WorkspaceError("validation_error", _("Say why, in a few words."), field="reason")
    return reason


def _report_details(reason: str, report: CharterReport | None) -> dict[str, Any]:
    return {"reason": reason, **({"report": report.id} if report is not None else {})}


# -- workspaces -------------------------------------------------------------------------------


def suspend_workspace(
    workspace: Workspace, reason: str, *, actor: User | None, report: CharterReport | None = None
) -> None:
    """Suspend an approved workspace: its public pages, feeds, API, jobs and schedules stop."""
    _move(workspace, "approved", "suspended", _required_reason(reason), actor, report)


def reinstate_workspace(
    workspace: Workspace, reason: str, *, actor: User | None, report: CharterReport | None = None
) -> None:
    """Lift a suspension: everything comes back as it was (nothing was deleted)."""
    _move(workspace, "suspended", "approved", _required_reason(reason), actor, report)


def warn_workspace(
    workspace: Workspace, reason: str, *, actor: User | None, report: CharterReport | None = None
) -> None:
    """Tell the workspace's owners what breaches the charter; nothing else changes."""
    record(
        "workspace.warned",
        subject=workspace.slug,
        workspace=workspace,
        actor=actor,
        details=_report_details(reason, report),
    )
    db.session.commit()
    _notify("warn", reason, workspace=workspace)


def _move(
    workspace: Workspace,
    before: str,
    after: str,
    reason: str,
    actor: User | None,
    report: CharterReport | None,
) -> None:
    changed = db.session.execute(
        db.update(Workspace)
        .where(Workspace.id == workspace.id, Workspace.status == before)
        .values(status=after)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        db.session.refresh(workspace)
        if after == "suspended":
            message = _("Only an approved workspace can be suspended.")
        else:
            message = _("This workspace is not suspended.")
        raise WorkspaceError(
            "invalid_transition",
            message,
            status=409,
            details={
                "status": workspace.status,
                "allowed": ["reinstate"] if workspace.suspended else [],
            },
        )
    workspace.status = after
    action = "suspend" if after == "suspended" else "reinstate"
    event = "workspace.suspended" if action == "suspend" else "workspace.reinstated"
    record(
        event,
        subject=workspace.slug,
        workspace=workspace,
        actor=actor,
        details=_report_details(reason, report),
    )
    emit_sanction(event, workspace, reason, report)
    db.session.commit()
    _notify(action, reason, workspace=workspace)


def suspension_of(workspace: Workspace) -> tuple[str, datetime] | None:
    """Why and since when ``workspace`` is suspended (from the audit log), or None."""
    if not workspace.suspended:
        return None
    event = db.session.scalar(
        db.select(AuditEvent)
        .where(AuditEvent.action == "workspace.suspended", AuditEvent.subject == workspace.slug)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    if event is None:  # suspended by hand in the database: say so without a reason
        return "", workspace.created_at
    return str(event.details.get("reason", "")), event.created_at


# -- people -----------------------------------------------------------------------------------


def suspend_person(
    person: User, reason: str, *, actor: User | None, report: CharterReport | None = None
) -> None:
    """Disable the account (``ent user disable``): no sign-in, sessions and tokens stop now."""
    from ent_core.identity.service import disable_account

    reason = _required_reason(reason)
    if not disable_account(person, reason, actor=actor):
        db.session.rollback()
        raise WorkspaceError(
            "invalid_transition",
            _("This account is suspended already."),
            status=409,
            details={"allowed": ["reinstate"]},
        )
    _notify("suspend", reason, person=person)


def reinstate_person(
    person: User, reason: str, *, actor: User | None, report: CharterReport | None = None
) -> None:
    from ent_core.identity.service import enable_account

    reason = _required_reason(reason)
    if not enable_account(person, reason, actor=actor):
        db.session.rollback()
        raise WorkspaceError(
            "invalid_transition",
            _("This account is not suspended."),
            status=409,
            details={"allowed": ["suspend", "warn"]},
        )
    _notify("reinstate", reason, person=person)


def warn_person(
    person: User, reason: str, *, actor: User | None, report: CharterReport | None = None
) -> None:
    record(
        "user.warned", subject=person.email, actor=actor, details=_report_details(reason, report)
    )
    db.session.commit()
    _notify("warn", reason, person=person)


_WORKSPACE_ACTIONS = {
    "warn": warn_workspace,
    "suspend": suspend_workspace,
    "reinstate": reinstate_workspace,
}
_PERSON_ACTIONS = {"warn": warn_person, "suspend": suspend_person, "reinstate": reinstate_person}


# -- mail -------------------------------------------------------------------------------------


def _notify(
    action: str, reason: str, *, workspace: Workspace | None = None, person: User | None = None
) -> None:
    from ent_core.db import all_workspaces
    from ent_core.jobs import enqueue

    # The mail job belongs to no workspace: a suspended one's jobs are skipped (docs/jobs.md).
    with all_workspaces():
        enqueue(
            notify_sanction,
            action,
            reason,
            workspace_id=workspace.id if workspace else None,
            person_id=person.id if person else None,
        )


def notify_sanction(
    action: str, reason: str, *, workspace_id: int | None = None, person_id: int | None = None
) -> int:
    """Job: mail the workspace's owners and admins, or the person, each in their language."""
    from ent_core.db import all_workspaces
    from ent_core.mail import send_mail
    from ent_core.sdk import external_url
    from ent_core.workspaces import vetting

    contact = current_app.config["ENT_CONTACT_EMAIL"]
    sent = 0
    with all_workspaces():
        if workspace_id is not None:
            workspace = db.session.get(Workspace, workspace_id)
            if workspace is None:
                return 0
            application = vetting.application_of(workspace)
            fallback = application.language if application else "fr"
            people = vetting.applicants(workspace)
            name = workspace.name
            link = external_url("workspace.dashboard", workspace=workspace.slug)
        else:
            person = db.session.get(User, person_id)
            if person is None:
                return 0
            people, fallback, name = [person], "fr", person.display_name
            link = external_url("platform.home")
        for user in people:
            with force_locale(user.locale or fallback):
                subject, body = _mail_text(action, name, workspace_id is not None)
                text = "\n\n".join(
                    [
                        body,
                        _("The administrators' reason:") + "\n" + reason,
                        _("To appeal or ask a question, write to %(contact)s.", contact=contact),
                        link,
                    ]
                )
            send_mail(user.email, subject, text)
            sent += 1
    return sent


def _mail_text(action: str, name: str, about_workspace: bool) -> tuple[str, str]:
    if about_workspace:
        texts = {
            "warn": (
                _("Warning about %(name)s: the ethics charter", name=name),
                _(
                    "The platform's administrators found that %(name)s breaches the ethics "
                    "charter. Nothing is suspended; please correct what they describe below.",
                    name=name,
                ),
            ),
            "suspend": (
                _("%(name)s is suspended", name=name),
                _(
                    "The platform's administrators suspended %(name)s for a breach of the ethics "
                    "charter: its public pages, feeds, API and scheduled work are stopped until "
                    "it is reinstated. Nothing is deleted.",
                    name=name,
                ),
            ),
            "reinstate": (
                _("%(name)s is reinstated", name=name),
                _(
                    "The platform's administrators lifted the suspension of %(name)s: its "
                    "public pages, feeds, API and scheduled work are back.",
                    name=name,
                ),
            ),
        }
    else:
        texts = {
            "warn": (
                _("Warning: the ethics charter"),
                _(
                    "The platform's administrators found that your account breaches the ethics "
                    "charter. Nothing is suspended; please correct what they describe below."
                ),
            ),
            "suspend": (
                _("Your account is suspended"),
                _(
                    "The platform's administrators suspended your account for a breach of the "
                    "ethics charter: you cannot sign in and your API tokens no longer work."
                ),
            ),
            "reinstate": (
                _("Your account is reinstated"),
                _(
                    "The platform's administrators lifted the suspension of your account: you "
                    "can sign in again. Your API tokens work again too."
                ),
            ),
        }
    return texts[action]
