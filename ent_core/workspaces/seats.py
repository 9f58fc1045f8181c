"""The ``seats`` quota: how many people a subscribed workspace may count, invitations included.

A seat is a member or a pending (unexpired) invitation. The limit is the sum of ``seats`` over
the workspace's live plan and add-ons; while none of them names ``seats`` the team is not
limited (a workspace without a subscription uses only the core and free plugins). Seats are
counted, not stored: removing a member or revoking an invitation frees one at once.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ent_core.billing.quotas import quota_limit
from ent_core.billing.subscriptions import live_plans
from ent_core.db import db, utcnow
from ent_core.workspaces.models import Invitation, Membership, Workspace
from ent_core.workspaces.service import WorkspaceError

SEATS = "seats"


def seat_limit(workspace: Workspace) -> int | None:
    """Seats the live plans give, or ``None`` while no live plan names the quota."""
    if not any(SEATS in (plan.quotas or {}) for plan in live_plans(workspace)):
        return None
    return quota_limit(workspace, SEATS)


def seats_used(
    workspace: Workspace, *, invitations: bool = True, except_email: str | None = None
) -> int:
    """Members, plus pending invitations (but the one to ``except_email``, being replaced).

    Read for ``workspace`` explicitly: the person accepting an invitation is in none yet.
    """
    scope = {"ent_workspace_id": workspace.id}
    used = db.session.scalar(
        db.select(db.func.count(Membership.id))
        .where(Membership.workspace_id == workspace.id)
        .execution_options(**scope)
    )
    if invitations:
        pending = db.select(db.func.count(Invitation.id)).where(
            Invitation.workspace_id == workspace.id,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        if except_email is not None:
            pending = pending.where(Invitation.email != except_email)
        used = int(used or 0) + int(db.session.scalar(pending.execution_options(**scope)) or 0)
    return int(used or 0)


def lock_seats(workspace: Workspace) -> None:
    """Lock the workspace row until the transaction ends, so that two requests counting seats
    (an invitation, an acceptance) take turns on PostgreSQL (SQLite writes one at a time)."""
    db.session.execute(
        db.select(Workspace.id).where(Workspace.id == workspace.id).with_for_update()
    )


def check_seat_free(workspace: Workspace, *, used: int) -> None:
    """Refuse with 409 ``quota_exceeded`` (CONVENTIONS' details) when ``used`` fills the plan.

    Count ``used`` after :func:`lock_seats`, in the transaction that adds the seat.
    """
    limit = seat_limit(workspace)
    if limit is not None and used + 1 > limit:
        raise WorkspaceError(
            "quota_exceeded",
            _(
                "Every seat of the plan is taken (%(used)d of %(limit)d, pending invitations "
                "included). Remove a member, revoke an invitation or choose a larger plan.",
                used=used,
                limit=limit,
            ),
            field="email",
            status=409,
            details={"quota": SEATS, "limit": limit, "used": used},
        )
