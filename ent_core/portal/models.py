"""Items a platform administrator took off the portal (the source keeps them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core.db import db, utcnow
from ent_core.identity.models import User


class PortalHiddenItem(db.Model):
    """A ``PortalItem.key`` the portal no longer shows, who hid it and when."""

    __tablename__ = "portal_hidden_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    #: The title when it was hidden, so the admin page can name what it lists.
    title: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    hidden_at: Mapped[datetime] = mapped_column(default=utcnow)

    hidden_by: Mapped[User | None] = relationship()
