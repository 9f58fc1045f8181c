"""Tables of the governance plugin, one module per part of an association's life.

Every tenant table carries ``workspace_id`` (``sdk.TenantMixin``) and the ``governance_``
prefix. Amounts are ``Numeric(12, 2)`` read as ``Decimal`` in dirhams (MAD); dates an
association keeps on paper (joined, paid, cut-off) are ``Date``; instants are aware UTC.
"""

from __future__ import annotations

from ent_plugins.governance.models.associates import AssociateBadge
from ent_plugins.governance.models.meetings import (
    AgendaItem,
    Body,
    ElectoralRoll,
    Mandate,
    Meeting,
    MeetingAttendance,
    MeetingDocument,
    Office,
    Proxy,
    RollEntry,
)
from ent_plugins.governance.models.members import (
    DuesPayment,
    DuesRate,
    Member,
    MemberCategory,
    ReceiptCounter,
)
from ent_plugins.governance.models.minutes import Minutes, MinutesSignature
from ent_plugins.governance.models.plans import (
    BudgetLine,
    Contribution,
    DevelopmentPlan,
    Funder,
    Goal,
    Indicator,
    Measurement,
    Milestone,
    Project,
    ProjectUpdate,
)
from ent_plugins.governance.models.votes import (
    Ballot,
    ManualTally,
    Participation,
    Vote,
    VoteOption,
)

__all__ = [
    "AgendaItem",
    "AssociateBadge",
    "Ballot",
    "Body",
    "BudgetLine",
    "Contribution",
    "DevelopmentPlan",
    "DuesPayment",
    "DuesRate",
    "ElectoralRoll",
    "Funder",
    "Goal",
    "Indicator",
    "Mandate",
    "ManualTally",
    "Measurement",
    "Meeting",
    "MeetingAttendance",
    "MeetingDocument",
    "Member",
    "MemberCategory",
    "Milestone",
    "Minutes",
    "MinutesSignature",
    "Office",
    "Participation",
    "Project",
    "ProjectUpdate",
    "Proxy",
    "ReceiptCounter",
    "RollEntry",
    "Vote",
    "VoteOption",
]
