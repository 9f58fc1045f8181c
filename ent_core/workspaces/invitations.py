"""Invitations by email: a one-use secret link, stored hashed, valid for 14 days."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from ent_core.audit import AuditEvent, record, retry_after
from ent_core.db import db, utcnow
from ent_core.events.core import emit_member
from ent_core.identity.models import User
from ent_core.identity.service import IdentityError, check_email
from ent_core.mail import send_mail
from ent_core.workspaces.labels import role_label
from ent_core.workspaces.models import CORE_ROLES, Invitation, Membership, Workspace
from ent_core.workspaces.seats import check_seat_free, lock_seats, seats_used
from ent_core.workspaces.service import WorkspaceError, may_manage_owners

INVITATION_LIFETIME = timedelta(days=14)
INVITED = "member.invited"  # the audit action, also what the rate limits count


def hash_invitation_token(token: str) -> str:
    """Tokens are 256-bit random values, so a plain SHA-256 is a sufficient digest."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SentInvitation:
    invitation: Invitation
    token: str
    url: str


def accept_url(token: str) -> str:
    """The absolute link of the mail (``ent_core.links``: never the request's host in
    production)."""
    from ent_core.sdk import external_url

    return external_url("platform.invitation", token=token)


def pending_invitations(workspace: Workspace) -> list[Invitation]:
    return list(
        db.session.scalars(
            db.select(Invitation)
            .where(Invitation.workspace_id == workspace.id, Invitation.accepted_at.is_(None))
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def invite(workspace: Workspace, email: str, role: str, *, actor: User | None) -> SentInvitation:
    """Invite ``email``; a new invitation replaces a pending one for the same address.

    Only an approved workspace invites, and only so often (``check_invitation_limits``).
    """
    try:
        email = check_email(email)  # the sign-up form's rule: the invitee must be able to join
    except IdentityError as exc:
        raise WorkspaceError(exc.code, exc.message, field="email") from None
    check_may_invite(workspace)
    if role not in CORE_ROLES:
        raise WorkspaceError("validation_error", _("Unknown role."), field="role")
    if role == "owner" and not may_manage_owners(actor, workspace.id):
        raise WorkspaceError(
            "forbidden", _("Only owners may invite an owner."), field="role", status=403
        )
    already = db.session.scalar(
        db.select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.workspace_id == workspace.id, User.email == email)
    )
    if already is not None:
        raise WorkspaceError(
            "already_member", _("This person is already a member."), field="email", status=409
        )
    check_invitation_limits(workspace, email)  # locks the workspace row: seats count in turn
    check_seat_free(workspace, used=seats_used(workspace, except_email=email))
    for old in db.session.scalars(
        db.select(Invitation).where(
            Invitation.workspace_id == workspace.id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
        )
    ):
        db.session.delete(old)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        workspace_id=workspace.id,
        email=email,
        role=role,
        token_hash=hash_invitation_token(token),
        invited_by_id=actor.id if actor is not None else None,
        expires_at=utcnow() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    record(INVITED, subject=email, workspace=workspace, actor=actor, details={"role": role})
    url = accept_url(token)
    inviter = actor.display_name if actor is not None else _("The platform team")
    text = _(
        "%(inviter)s invites you to join %(workspace)s on Smart Médias ENT as %(role)s.\n\n"
        "Accept the invitation: %(url)s\n\n"
        "This link works once and expires in 14 days. If you did not expect it, ignore this "
        "message.",
        inviter=inviter,
        workspace=workspace.name,
        role=role_label(role),
        url=url,
    )
    send_mail(email, _("Invitation to join %(workspace)s", workspace=workspace.name), text)
    db.session.commit()  # the invitation and its mail (the outbox) in one transaction
    return SentInvitation(invitation, token, url)


def check_may_invite(workspace: Workspace) -> None:
    """A workspace nobody has vetted yet (pending, rejected, suspended) invites nobody."""
    if not workspace.approved:
        raise WorkspaceError(
            "workspace_not_approved",
            _("This workspace must be approved before it can invite people."),
            status=403,
        )


def check_invitation_limits(workspace: Workspace, email: str) -> None:
    """Refuse with 429 ``rate_limited`` beyond ``ENT_INVITATIONS_PER_WORKSPACE_HOUR`` for the
    workspace or ``ENT_INVITATIONS_PER_ADDRESS_DAY`` for the address (all workspaces).

    The workspace row is locked first, so concurrent invitations of one workspace are counted
    one after the other (PostgreSQL; SQLite writes one at a time anyway).
    """
    config = current_app.config
    db.session.execute(
        db.select(Workspace.id).where(Workspace.id == workspace.id).with_for_update()
    )
    waits = [
        retry_after(
            INVITED,
            AuditEvent.workspace_id == workspace.id,
            limit=int(config["ENT_INVITATIONS_PER_WORKSPACE_HOUR"]),
            window=timedelta(hours=1),
        ),
        retry_after(
            INVITED,
            AuditEvent.subject == email,
            limit=int(config["ENT_INVITATIONS_PER_ADDRESS_DAY"]),
            window=timedelta(days=1),
        ),
    ]
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        raise WorkspaceError(
            "rate_limited",
            _("Too many invitations were sent. Please try again later."),
            field="email",
            status=429,
            details={"retry_after": wait},
        )


def revoke(invitation: Invitation, *, actor: User | None) -> None:
    """Cancel a pending invitation: its link stops working at once."""
    record(
        "member.invitation_revoked",
        subject=invitation.email,
        workspace=invitation.workspace,
        actor=actor,
    )
    db.session.delete(invitation)
    db.session.commit()


def find(token: str) -> Invitation | None:
    return db.session.scalar(
        db.select(Invitation)
        .where(Invitation.token_hash == hash_invitation_token(token))
        # Found by its token, before any workspace is known: the token names the workspace.
        .execution_options(ent_all_workspaces=True)
    )


def check_usable(invitation: Invitation | None) -> None:
    """Refuse unknown, used and expired links with a message a person can act on."""
    if invitation is None:
        raise WorkspaceError(
            "not_found",
            _("This invitation link is not valid. Check that it is complete."),
            status=404,
        )
    if invitation.accepted_at is not None:
        raise WorkspaceError(
            "invitation_used",
            _("This invitation was already used. Sign in to reach the workspace."),
            status=410,
        )
    if invitation.expires_at <= utcnow():
        raise WorkspaceError(
            "invitation_expired",
            _("This invitation has expired. Ask the workspace's administrators for a new one."),
            status=410,
        )


def accept(invitation: Invitation, user: User) -> Membership:
    """Make ``user`` a member with the invited role; the link is spent."""
    check_usable(invitation)
    if user.email.lower() != invitation.email.lower():
        raise WorkspaceError(
            "wrong_account",
            _(
                "This invitation was sent to %(email)s. Sign in with that address to accept it.",
                email=invitation.email,
            ),
            status=403,
        )
    membership = db.session.scalar(
        db.select(Membership)
        .where(Membership.workspace_id == invitation.workspace_id, Membership.user_id == user.id)
        .execution_options(ent_workspace_id=invitation.workspace_id)
    )
    invitation.accepted_at = utcnow()
    if membership is None:
        # the invitation held a seat, but the plan may have shrunk since it was sent
        lock_seats(invitation.workspace)
        check_seat_free(
            invitation.workspace, used=seats_used(invitation.workspace, invitations=False)
        )
        membership = Membership(
            workspace_id=invitation.workspace_id, user_id=user.id, role=invitation.role
        )
        db.session.add(membership)
        record(
            "member.joined",
            subject=f"user:{user.id}",
            workspace=invitation.workspace,
            actor=user,
            details={"role": invitation.role, "invitation": invitation.id},
        )
        emit_member("member.joined", membership, invitation_id=invitation.id)
    db.session.commit()
    return membership
