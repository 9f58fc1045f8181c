"""Votes: resolutions, consultations and elections; who took part apart from what they chose.

For a secret ballot, :class:`Participation` (who voted, when, through whom) and
:class:`Ballot` (what was chosen) share nothing but the vote: a ballot has a random key, no
time and no member, so no column joins the two (docs/governance.md, "Secret ballots").
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core import sdk


class Vote(sdk.TenantMixin, sdk.db.Model):
    """A question put to the members: at a meeting (on an agenda item) or standalone."""

    __tablename__ = "governance_vote"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_meeting.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_agenda_item.id", ondelete="SET NULL"), index=True
    )
    #: Standalone consultations freeze their own roll; meeting votes use the meeting's.
    roll_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_electoral_roll.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    #: resolution (for/against/abstain), single, multiple or election.
    kind: Mapped[str] = mapped_column(String(20))
    #: open or secret.
    ballot: Mapped[str] = mapped_column(String(10), default="open")
    #: simple, absolute or two_thirds.
    majority: Mapped[str] = mapped_column(String(20), default="simple")
    #: Whether abstentions count among the votes cast (the statutes say).
    abstentions_count: Mapped[bool] = mapped_column(Boolean, default=False)
    max_choices: Mapped[int] = mapped_column(Integer, default=1)
    opens_at: Mapped[datetime | None] = mapped_column()
    closes_at: Mapped[datetime | None] = mapped_column()
    #: draft, open or closed.
    status: Mapped[str] = mapped_column(String(10), default="draft")
    opened_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    #: A show of hands in the room: the chair enters the counts (ManualTally).
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    #: An election fills this office: its winners' mandates start from the vote.
    office_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_office.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    options: Mapped[list[VoteOption]] = relationship(
        back_populates="vote", order_by="VoteOption.position, VoteOption.id"
    )
    meeting = relationship("Meeting")
    agenda_item = relationship("AgendaItem")
    roll = relationship("ElectoralRoll")
    office = relationship("Office")


class VoteOption(sdk.TenantMixin, sdk.db.Model):
    """A choice: for/against/abstain, an option, or a candidate (a member) in an election."""

    __tablename__ = "governance_vote_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(
        ForeignKey("governance_vote.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(300))
    #: for, against, abstain on resolutions (the tally's rules read it); None otherwise.
    code: Mapped[str | None] = mapped_column(String(10))
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_member.id", ondelete="SET NULL")
    )

    vote: Mapped[Vote] = relationship(back_populates="options")


class Participation(sdk.TenantMixin, sdk.db.Model):
    """``member`` has voted (in person or through ``cast_by``, their proxy): one row each."""

    __tablename__ = "governance_participation"
    __table_args__ = (UniqueConstraint("vote_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(
        ForeignKey("governance_vote.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("governance_member.id", ondelete="CASCADE"), index=True
    )
    cast_by_id: Mapped[int] = mapped_column(ForeignKey("governance_member.id", ondelete="CASCADE"))
    cast_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)


class Ballot(sdk.TenantMixin, sdk.db.Model):
    """What was chosen. Open ballots name the member; secret ones do not (see the module)."""

    __tablename__ = "governance_ballot"

    #: Random, so the key's order says nothing about the order of voting.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    vote_id: Mapped[int] = mapped_column(
        ForeignKey("governance_vote.id", ondelete="CASCADE"), index=True
    )
    #: The chosen options' ids (empty: a blank ballot).
    choices: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: Open ballots only.
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_member.id", ondelete="CASCADE")
    )
    #: A hash of the receipt the voter was given, published with the tally for them to check.
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)


class ManualTally(sdk.TenantMixin, sdk.db.Model):
    """Counts the chair enters for a show of hands."""

    __tablename__ = "governance_manual_tally"
    __table_args__ = (UniqueConstraint("vote_id", "option_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(
        ForeignKey("governance_vote.id", ondelete="CASCADE"), index=True
    )
    option_id: Mapped[int] = mapped_column(
        ForeignKey("governance_vote_option.id", ondelete="CASCADE")
    )
    count: Mapped[int] = mapped_column(Integer, default=0)
