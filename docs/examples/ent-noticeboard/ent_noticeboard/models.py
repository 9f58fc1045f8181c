"""The notice: one announcement of a workspace, optionally pinned."""

from __future__ import annotations

from datetime import datetime

from ent_core import sdk
from markupsafe import Markup
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship


class Notice(sdk.TenantMixin, sdk.db.Model):
    """An announcement; pinned ones stay on top and in the workspace banner."""

    # A plugin's tables carry its name as prefix; the platform refuses to load it otherwise.
    __tablename__ = "noticeboard_notice"
    __table_args__ = (Index("ix_noticeboard_notice_listing", "workspace_id", "pinned", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    pinned: Mapped[bool] = mapped_column(default=False)
    pinned_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    author = relationship("User")
    workspace = relationship("Workspace")

    @property
    def body_html(self) -> Markup:
        """The Markdown body as HTML, sanitised by the platform's one policy (nh3)."""
        return sdk.render_markdown(self.body)

    @property
    def author_name(self) -> str | None:
        return self.author.display_name if self.author is not None else None
