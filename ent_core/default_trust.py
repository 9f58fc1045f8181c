"""The core's trust signals: a workspace vetted by the platform, its owners bound by the charter.

Registered through ``ent_trust_signals`` like a plugin's answer (``CORE_PLUGIN_MODULES``).
"""

from __future__ import annotations

from typing import Any

from ent_core.charter.models import CharterSignature
from ent_core.charter.service import current_version
from ent_core.db import db
from ent_core.plugins import hookimpl
from ent_core.trust import TrustSignal
from ent_core.workspaces.models import Membership, WorkspaceApplication


@hookimpl
def ent_trust_signals(workspace: Any) -> list[TrustSignal]:
    from flask_babel import gettext as _

    if workspace.status != "approved":
        return []
    decided = db.session.scalar(
        db.select(WorkspaceApplication.decided_at)
        .where(WorkspaceApplication.workspace_id == workspace.id)
        # The workspace's own public facts, read whichever workspace the page belongs to.
        .execution_options(ent_all_workspaces=True)
    )
    signals = [
        TrustSignal(
            "vetted",
            _("Vetted by the platform"),
            _("Its legal identity was checked before it could sell or publish."),
            since=decided,
        )
    ]
    charter = _charter_signal(workspace)
    if charter is not None:
        signals.append(charter)
    return signals


def _charter_signal(workspace: Any) -> TrustSignal | None:
    """Only when every owner signed the current version: a stale signature proves nothing."""
    from flask_babel import gettext as _

    version = current_version()
    if version is None:
        return None
    owners = db.session.scalars(
        db.select(Membership.user_id)
        .where(Membership.workspace_id == workspace.id, Membership.role == "owner")
        .execution_options(ent_all_workspaces=True)
    ).all()
    if not owners:
        return None
    signed = db.session.execute(
        db.select(CharterSignature.user_id, CharterSignature.signed_at).where(
            CharterSignature.version_id == version.id, CharterSignature.user_id.in_(owners)
        )
    ).all()
    if {row.user_id for row in signed} != set(owners):
        return None
    return TrustSignal(
        "charter",
        _("Signed the ethics charter"),
        _(
            "Its owners signed version %(version)s of the platform's charter.",
            version=version.version,
        ),
        since=max(row.signed_at for row in signed),
    )
