"""Quorum: present and represented members of the frozen roll against what the statutes ask."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from ent_plugins.governance.models import Meeting, MeetingAttendance, Proxy
from ent_plugins.governance.roll import roll_member_ids
from sqlalchemy import select

from ent_core import sdk


@dataclass(frozen=True, slots=True)
class QuorumState:
    roll_size: int
    present: int
    represented: int
    required: int
    ratio: Decimal

    @property
    def counted(self) -> int:
        return self.present + self.represented

    @property
    def reached(self) -> bool:
        return self.counted >= self.required


def required_for(roll_size: int, ratio: Decimal) -> int:
    """Members (present or represented) needed: ``ratio`` of the roll, rounded up; a quorum of
    0 needs nobody."""
    return math.ceil(Decimal(roll_size) * ratio) if ratio > 0 else 0


def quorum(roll_size: int, present: int, represented: int, ratio: Decimal) -> QuorumState:
    return QuorumState(roll_size, present, represented, required_for(roll_size, ratio), ratio)


def applicable_ratio(meeting: Meeting) -> Decimal:
    """A second convocation meets under the reduced quorum."""
    return meeting.second_quorum if meeting.first_convocation_id else meeting.quorum


def quorum_state(meeting: Meeting) -> QuorumState:
    """Present: members of the roll signed in (in the room or online). Represented: members of
    the roll, absent, whose proxy holder is present."""
    roll = roll_member_ids(meeting.roll_id)
    present = {
        member_id
        for member_id in sdk.db.session.scalars(
            select(MeetingAttendance.member_id).where(
                MeetingAttendance.meeting_id == meeting.id,
                MeetingAttendance.presence.is_not(None),
            )
        )
        if member_id in roll
    }
    represented = {
        principal
        for principal, holder in sdk.db.session.execute(
            select(Proxy.principal_id, Proxy.holder_id).where(Proxy.meeting_id == meeting.id)
        )
        if principal in roll and principal not in present and holder in present
    }
    return quorum(len(roll), len(present), len(represented), applicable_ratio(meeting))
