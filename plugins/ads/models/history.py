"""What happened to a campaign: one row per status change, shown on the campaign's page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ent_core import sdk


class CampaignHistory(sdk.TenantMixin, sdk.db.Model):
    """A move of a campaign (``submit``, ``approve``, ``paid``...), who made it and why.

    The audit log records the same for the platform; this copy lives in the advertiser's
    workspace so that its members read their campaign's story without reading the audit log.
    """

    __tablename__ = "ads_campaign_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("ads_campaign.id", ondelete="CASCADE"), index=True
    )
    #: The transition or event: create, submit, approve, reject, pause, resume, paid, edit.
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(10), default="")
    to_status: Mapped[str] = mapped_column(String(10), default="")
    #: A rejection's reason, or what an edit of an approved campaign changed.
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
