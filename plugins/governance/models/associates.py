"""The platform's associates: whether an associate shows their status beside their name."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ent_core import sdk


class AssociateBadge(sdk.TenantMixin, sdk.db.Model):
    """An associate's choice to show the badge on bylines and author pages (off until chosen)."""

    __tablename__ = "governance_associate_badge"
    __table_args__ = (UniqueConstraint("member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("governance_member.id", ondelete="CASCADE"), index=True
    )
    shown: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=sdk.utcnow, onupdate=sdk.utcnow)
