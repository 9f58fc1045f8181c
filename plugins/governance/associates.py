"""The platform's own associates: the journalists' association, run with this same module.

The operator names the workspace where the associates' association keeps its registry
(``[plugins.governance] associates_workspace = "<slug>"``). A platform account linked to a
member of that registry who is up to date with their dues today, and chose to show it, carries
a badge on their bylines and author pages (``ent_profile_badges``), linking to a public page
that verifies the status: name, association, status today, nothing else (docs/governance.md,
"The platform's associates").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ent_plugins.governance.models import AssociateBadge, Member
from ent_plugins.governance.portal import workspace_model
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from ent_core import sdk

SALT = "governance.associate"


class AssociatesSettings(sdk.OperatorSettings):
    """Set by the platform's operator: ``[plugins.governance]`` in ent.toml."""

    #: The slug of the platform workspace that runs the associates' association ("": none).
    associates_workspace: str = ""


@dataclass(frozen=True)
class AssociateStatus:
    """What the verification page shows, and all it shows."""

    name: str
    association: str
    status: str
    day: date


def associates_workspace() -> Any | None:
    """The associates' workspace, when the operator named one that is approved with the module."""
    slug = sdk.operator_settings("governance").associates_workspace.strip()
    if not slug:
        return None
    workspace = workspace_model()
    return sdk.db.session.scalar(
        select(workspace)
        .where(workspace.slug == slug, workspace.id.in_(sdk.public_workspace_ids("governance")))
        .execution_options(ent_all_workspaces=True)
    )


def is_associates_workspace() -> bool:
    """Whether the current workspace is the associates' one (the badge choice lives there)."""
    workspace = associates_workspace()
    current = sdk.current_workspace()
    return workspace is not None and current is not None and workspace.id == current.id


def my_membership(user: Any) -> Member | None:
    """``user``'s entry in the associates' registry (current workspace), if they have one."""
    if not is_associates_workspace():
        return None
    return sdk.db.session.scalar(
        select(Member).where(Member.user_id == user.id, Member.left_on.is_(None))
    )


def badge_shown(member: Member) -> bool:
    return bool(
        sdk.db.session.scalar(
            select(AssociateBadge.shown).where(AssociateBadge.member_id == member.id)
        )
    )


def choose_badge(member: Member, shown: bool) -> None:
    """The associate's choice to show (or hide) the badge beside their name."""
    choice = sdk.db.session.scalar(
        select(AssociateBadge).where(AssociateBadge.member_id == member.id)
    )
    if choice is None:
        choice = AssociateBadge(member_id=member.id)
        sdk.db.session.add(choice)
    choice.shown = shown
    sdk.audit(
        "governance.associate_badge_" + ("shown" if shown else "hidden"),
        subject=f"member:{member.id}",
    )


def _token_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def token_for(member: Member) -> str:
    """The verification page's token: the member's id, signed (no id to enumerate)."""
    return str(_token_serializer().dumps(member.id))


def member_for_token(token: str) -> Member | None:
    try:
        member_id = _token_serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(member_id, int):
        return None
    return sdk.db.session.scalar(select(Member).where(Member.id == member_id))


def verify_url(workspace: Any, member: Member) -> str:
    return sdk.external_url(
        "governance_public.associate", workspace=workspace.slug, token=token_for(member)
    )


def status_today(member: Member, workspace: Any) -> AssociateStatus:
    """The member's dues status today in the association's time zone (in its workspace)."""
    from ent_plugins.governance.dues import status_on

    today = sdk.local_today(workspace)
    status = "left" if member.left_on is not None and member.left_on <= today else None
    return AssociateStatus(
        name=member.name,
        association=workspace.name,
        status=status or status_on(member, today),
        day=today,
    )


def badges_for(user: Any) -> list[Any]:
    """The associate badge of ``user``: member of the associates' association, up to date, and
    who chose to show it."""
    workspace = associates_workspace()
    if workspace is None:
        return []
    with sdk.in_workspace(workspace):
        member = sdk.db.session.scalar(
            select(Member).where(Member.user_id == user.id, Member.left_on.is_(None))
        )
        if member is None or not badge_shown(member):
            return []
        state = status_today(member, workspace)
        if state.status != "up_to_date":
            return []
        return [
            sdk.ProfileBadge(
                label=sdk._("Associate of the platform, dues up to date"),
                url=verify_url(workspace, member),
                issuer=workspace.name,
                kind="membership",
            )
        ]
