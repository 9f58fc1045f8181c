"""Inventory: the places a publisher offers to the network."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core import sdk


class AdPlacement(sdk.TenantMixin, sdk.db.Model):
    """A place of the publisher's pages (an ``sdk.AdSlot`` it joined) or of a site hosted
    elsewhere (``kind="external"``, shown through the JavaScript or iframe tag).

    The sector portal's places belong to the régie's own workspace (the operator setting
    ``regie_workspace``).
    """

    __tablename__ = "ads_placement"
    __table_args__ = (UniqueConstraint("workspace_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The ``AdSlot`` code (``publishing.article.aside``), or ``external.<n>`` for a tag.
    code: Mapped[str] = mapped_column(String(120))
    #: slot (a declared AdSlot) or external (a member site hosted elsewhere).
    kind: Mapped[str] = mapped_column(String(10), default="slot")
    name: Mapped[str] = mapped_column(String(200))
    #: A random public identifier: what tags and decision requests name (never the id).
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    #: IAB sizes ("300x250") and formats ("image", "html5", "native") accepted here: a subset
    #: of what the slot declares.
    sizes: Mapped[list[str]] = mapped_column(JSON, default=list)
    formats: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: In the network: campaigns are served here. Off: the slot renders nothing.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Brand safety: advertiser categories (catalogues.CATEGORIES) this publisher refuses.
    excluded_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: For external placements: the site's address (shown to advertisers, checked by nothing).
    site_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=sdk.utcnow, onupdate=sdk.utcnow)

    #: The publisher (its slug and sectors target campaigns), read by the delivery index.
    workspace = relationship("Workspace", viewonly=True)
