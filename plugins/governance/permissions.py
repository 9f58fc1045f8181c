"""Who may do what in governance, declared once (docs/governance.md, "Who may do what").

The association's officers are plugin roles granted on the workspace's members page (a mandate
does not grant them; ``mandates.lacking_roles`` tells which holders lack theirs): ``president``,
``secretary`` (secretary general), ``treasurer`` and ``board_member``. Owners and admins hold
everything. Members who are not officers see only their own dues, their votes and what is
published.
"""

from __future__ import annotations

from typing import Any

from ent_core import sdk

VIEW = "workspace.view"
MANAGE_MEMBERS = "governance.manage_members"
MANAGE_DUES = "governance.manage_dues"
MANAGE_MEETINGS = "governance.manage_meetings"
MANAGE_VOTES = "governance.manage_votes"
MANAGE_MINUTES = "governance.manage_minutes"
SIGN_MINUTES = "governance.sign_minutes"
MANAGE_PROJECTS = "governance.manage_projects"
SEE_REGISTRY = "governance.see_registry"

OFFICER_ROLES = ("president", "secretary", "treasurer", "board_member")
ADMINS = ("owner", "admin")


def roles() -> list[Any]:
    return [
        sdk.Role(
            "president",
            sdk._l("President"),
            sdk._l("Chairs the association's meetings and signs its minutes."),
        ),
        sdk.Role(
            "secretary",
            sdk._l("Secretary general"),
            sdk._l("Keeps the member registry, convenes meetings and writes the minutes."),
        ),
        sdk.Role(
            "treasurer",
            sdk._l("Treasurer"),
            sdk._l("Records dues and keeps the projects' accounts."),
        ),
        sdk.Role(
            "board_member",
            sdk._l("Board member"),
            sdk._l("Sits on the board: sees the registry and the projects."),
        ),
    ]


def declared() -> list[Any]:
    """The plugin's answer to ``ent_permissions``."""
    return [
        sdk.Permission(
            SEE_REGISTRY,
            sdk._l("See the member registry and everyone's dues"),
            (*ADMINS, *OFFICER_ROLES),
        ),
        sdk.Permission(
            MANAGE_MEMBERS,
            sdk._l("Add, import and edit members"),
            (*ADMINS, "president", "secretary"),
        ),
        sdk.Permission(
            MANAGE_DUES,
            sdk._l("Set dues and record payments"),
            (*ADMINS, "treasurer"),
        ),
        sdk.Permission(
            MANAGE_MEETINGS,
            sdk._l("Convene meetings, keep attendance and proxies"),
            (*ADMINS, "president", "secretary"),
        ),
        sdk.Permission(
            MANAGE_VOTES,
            sdk._l("Prepare, open, close and tally votes"),
            (*ADMINS, "president", "secretary"),
        ),
        sdk.Permission(
            MANAGE_MINUTES,
            sdk._l("Draft, edit and publish minutes"),
            (*ADMINS, "secretary"),
        ),
        sdk.Permission(
            SIGN_MINUTES,
            sdk._l("Sign minutes off"),
            ("president", "secretary"),
        ),
        sdk.Permission(
            MANAGE_PROJECTS,
            sdk._l("Manage development plans, projects and their accounts"),
            (*ADMINS, "president", "secretary", "treasurer", "board_member"),
        ),
    ]
