"""Bodies, offices and mandates; meetings with their agenda, roll, attendance and proxies."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core import sdk

RATIO = Numeric(5, 4)


class Body(sdk.TenantMixin, sdk.db.Model):
    """The general assembly, the bureau, the board: who meets and decides."""

    __tablename__ = "governance_body"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: general_assembly, bureau or board.
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    #: Years a mandate on this body lasts (the statutes say).
    term_years: Mapped[int | None] = mapped_column(Integer)

    offices: Mapped[list[Office]] = relationship(
        back_populates="body", order_by="Office.position, Office.id"
    )


class Office(sdk.TenantMixin, sdk.db.Model):
    """A seat on a body: president, secretary general, treasurer, board member..."""

    __tablename__ = "governance_office"

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(
        ForeignKey("governance_body.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    #: The plugin role the holder gets while the mandate runs (president, secretary,
    #: treasurer, board_member), or none.
    role: Mapped[str | None] = mapped_column(String(40))
    seats: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)

    body: Mapped[Body] = relationship(back_populates="offices")


class Mandate(sdk.TenantMixin, sdk.db.Model):
    """A member holds an office from ``starts_on`` to ``ends_on`` (open when ``None``)."""

    __tablename__ = "governance_mandate"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(
        ForeignKey("governance_office.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("governance_member.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    #: The election that gave it, when there was one.
    vote_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_vote.id", ondelete="SET NULL")
    )

    office: Mapped[Office] = relationship()
    member = relationship("Member")


class ElectoralRoll(sdk.TenantMixin, sdk.db.Model):
    """Who may vote, frozen at a cut-off date: the members up to date with their dues then."""

    __tablename__ = "governance_electoral_roll"

    id: Mapped[int] = mapped_column(primary_key=True)
    cutoff_on: Mapped[date] = mapped_column(Date)
    frozen_at: Mapped[datetime | None] = mapped_column()

    entries: Mapped[list[RollEntry]] = relationship(back_populates="roll")


class RollEntry(sdk.TenantMixin, sdk.db.Model):
    __tablename__ = "governance_roll_entry"
    __table_args__ = (UniqueConstraint("roll_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roll_id: Mapped[int] = mapped_column(
        ForeignKey("governance_electoral_roll.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("governance_member.id", ondelete="CASCADE"), index=True
    )

    roll: Mapped[ElectoralRoll] = relationship(back_populates="entries")
    member = relationship("Member")


class Meeting(sdk.TenantMixin, sdk.db.Model):
    """A general assembly (ordinary or extraordinary) or a board meeting."""

    __tablename__ = "governance_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(
        ForeignKey("governance_body.id", ondelete="RESTRICT"), index=True
    )
    #: ordinary, extraordinary or board.
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime | None] = mapped_column()
    location: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    #: Days of notice the statutes require before the meeting.
    notice_days: Mapped[int] = mapped_column(Integer, default=15)
    #: Share of the roll (present or represented) needed: 0.5 is "half".
    quorum: Mapped[Decimal] = mapped_column(RATIO, default=Decimal("0.5"))
    #: The reduced quorum of the second convocation (0: none needed).
    second_quorum: Mapped[Decimal] = mapped_column(RATIO, default=Decimal("0"))
    max_proxies: Mapped[int] = mapped_column(Integer, default=1)
    roll_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_electoral_roll.id", ondelete="SET NULL")
    )
    #: The meeting this one convenes again, when the first did not reach its quorum.
    first_convocation_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_meeting.id", ondelete="SET NULL")
    )
    #: draft, convened, held, adjourned (no quorum), closed or cancelled.
    status: Mapped[str] = mapped_column(String(20), default="draft")
    convened_at: Mapped[datetime | None] = mapped_column()
    #: Bumped on every change a calendar must see (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=sdk.utcnow, onupdate=sdk.utcnow)
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    body: Mapped[Body] = relationship()
    roll: Mapped[ElectoralRoll | None] = relationship()
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position, AgendaItem.id"
    )


class AgendaItem(sdk.TenantMixin, sdk.db.Model):
    __tablename__ = "governance_agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("governance_meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")


class MeetingDocument(sdk.TenantMixin, sdk.db.Model):
    """A document sent with the convocation (reports, accounts, draft resolutions)."""

    __tablename__ = "governance_meeting_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("governance_meeting.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    #: Where ``sdk.store_upload`` put it, and what it was called.
    file_key: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)


class MeetingAttendance(sdk.TenantMixin, sdk.db.Model):
    """A member's answer to the convocation and presence on the day."""

    __tablename__ = "governance_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("governance_meeting.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("governance_member.id", ondelete="CASCADE"), index=True
    )
    #: yes, no or maybe; None until they answer.
    rsvp: Mapped[str | None] = mapped_column(String(10))
    #: in_room or online once signed in on the day; None while absent.
    presence: Mapped[str | None] = mapped_column(String(10))
    signed_at: Mapped[datetime | None] = mapped_column()

    member = relationship("Member")


class Proxy(sdk.TenantMixin, sdk.db.Model):
    """A procuration: ``holder`` attends and votes for ``principal`` at one meeting."""

    __tablename__ = "governance_proxy"
    __table_args__ = (UniqueConstraint("meeting_id", "principal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("governance_meeting.id", ondelete="CASCADE"), index=True
    )
    principal_id: Mapped[int] = mapped_column(
        ForeignKey("governance_member.id", ondelete="CASCADE"), index=True
    )
    holder_id: Mapped[int] = mapped_column(
        ForeignKey("governance_member.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    principal = relationship("Member", foreign_keys=[principal_id])
    holder = relationship("Member", foreign_keys=[holder_id])
