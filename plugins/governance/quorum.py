"""A meeting's quorum, counted on its frozen electoral roll.

Present (in the room or online) plus represented (by a proxy whose holder is present) must be
at least ``quorum`` times the roll's size, rounded up: 0.5 of 41 members is 21. A quorum of 0 (a
second convocation, by most statutes) is always reached. Only members on the roll count: a
member who joined or paid after the cut-off may attend but does not make the quorum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ent_plugins.governance.models import MeetingAttendance, Proxy, RollEntry
from sqlalchemy import select

from ent_core import sdk


@dataclass(frozen=True, slots=True)
class QuorumState:
    roll_size: int
    required: int
    present: int
    represented: int
    reached: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "roll_size": self.roll_size,
            "required": self.required,
            "present": self.present,
            "represented": self.represented,
            "reached": self.reached,
        }


def required(share: Decimal, roll_size: int) -> int:
    """Members present or represented the quorum needs: ``share`` of the roll, rounded up."""
    return math.ceil(Decimal(share) * roll_size)


def count(roll_size: int, share: Decimal, present: int, represented: int) -> QuorumState:
    need = required(share, roll_size)
    return QuorumState(
        roll_size=roll_size,
        required=need,
        present=present,
        represented=represented,
        reached=present + represented >= need,
    )


def quorum_state(meeting: Any) -> QuorumState:
    """The quorum of ``meeting`` now; before the roll is frozen, nothing is counted."""
    if meeting.roll_id is None:
        return count(0, meeting.quorum, 0, 0)
    roll = set(
        sdk.db.session.scalars(
            select(RollEntry.member_id).where(RollEntry.roll_id == meeting.roll_id)
        )
    )
    present = set(
        sdk.db.session.scalars(
            select(MeetingAttendance.member_id).where(
                MeetingAttendance.meeting_id == meeting.id,
                MeetingAttendance.presence.is_not(None),
            )
        )
    )
    represented = {
        principal
        for principal, holder in sdk.db.session.execute(
            select(Proxy.principal_id, Proxy.holder_id).where(Proxy.meeting_id == meeting.id)
        )
        if holder in present and principal not in present and principal in roll
    }
    return count(len(roll), meeting.quorum, len(present & roll), len(represented))
