"""A report of a charter breach about a workspace or a person, and what the admins decided."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core.db import db, utcnow
from ent_core.identity.models import User
from ent_core.workspaces.models import Workspace

#: The charter's articles a breach is reported under (docs/charter.md), then "other".
REPORT_REASONS = (
    "accuracy",
    "sources",
    "advertising",
    "corrections",
    "conflict_of_interest",
    "privacy",
    "discrimination",
    "intellectual_property",
    "platform_abuse",
    "other",
)
REPORT_STATUSES = ("open", "closed")
#: What an administrator may do with a report; every action closes it.
REPORT_ACTIONS = ("dismiss", "warn", "suspend", "reinstate")


class CharterReport(db.Model):
    """One report; a platform row (not a tenant's): the reported workspace must not read it.

    Exactly one of ``workspace_id`` and ``person_id`` names what is reported.
    """

    __tablename__ = "charter_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(32))
    details: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[str] = mapped_column(String(8), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    outcome: Mapped[str] = mapped_column(String(16), default="")
    decision_reason: Mapped[str] = mapped_column(Text, default="")

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    person: Mapped[User | None] = relationship(foreign_keys=[person_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    workspace: Mapped[Workspace | None] = relationship()
