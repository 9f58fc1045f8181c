"""Minutes (procès-verbaux): drafted from the meeting, approved, then frozen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core import sdk


class Minutes(sdk.TenantMixin, sdk.db.Model):
    __tablename__ = "governance_minutes"
    __table_args__ = (UniqueConstraint("meeting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("governance_meeting.id", ondelete="CASCADE"), index=True
    )
    #: fr or ar: the language the minutes are written (and printed) in.
    language: Mapped[str] = mapped_column(String(5), default="fr")
    #: Markdown, drafted from the meeting and edited by the secretary.
    body: Mapped[str] = mapped_column(Text, default="")
    #: draft, approved (frozen from then on).
    status: Mapped[str] = mapped_column(String(10), default="draft")
    #: The vote of a later meeting that approved them, when approved that way.
    approved_by_vote_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_vote.id", ondelete="SET NULL")
    )
    approved_at: Mapped[datetime | None] = mapped_column()
    #: SHA-256 of the body when frozen: the PDF and public page print it.
    frozen_hash: Mapped[str | None] = mapped_column(String(64))
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=sdk.utcnow, onupdate=sdk.utcnow)

    meeting = relationship("Meeting")
    #: For the public pages, the portal and events, which work across workspaces.
    workspace = relationship("Workspace", viewonly=True)
    signatures: Mapped[list[MinutesSignature]] = relationship(back_populates="minutes")


class MinutesSignature(sdk.TenantMixin, sdk.db.Model):
    """The president's or the secretary's sign-off."""

    __tablename__ = "governance_minutes_signature"
    __table_args__ = (UniqueConstraint("minutes_id", "office_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("governance_minutes.id", ondelete="CASCADE"), index=True
    )
    #: president or secretary.
    office_role: Mapped[str] = mapped_column(String(40))
    member_id: Mapped[int] = mapped_column(ForeignKey("governance_member.id", ondelete="CASCADE"))
    signed_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    minutes: Mapped[Minutes] = relationship(back_populates="signatures")
