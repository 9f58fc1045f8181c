"""Workspaces (the tenants), their members and their plugin activations."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core.db import TenantMixin, db, utcnow
from ent_core.identity.models import User

WORKSPACE_KINDS = ("media", "auto_entrepreneur", "association", "training_centre")
WORKSPACE_STATUSES = ("pending", "approved", "rejected", "suspended")
CORE_ROLES = ("owner", "admin", "editor", "member")
#: The zone of a new workspace: the platform is Moroccan (docs/workspaces.md, "Time zone").
DEFAULT_TIMEZONE = "Africa/Casablanca"


def new_cache_generation() -> str:
    """A fresh activation token for ``PluginActivation.cache_generation``."""
    return secrets.token_hex(8)


workspace_sector = Table(
    "workspace_sector",
    db.metadata,
    Column("workspace_id", ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True),
    Column("sector_id", ForeignKey("sector.id", ondelete="CASCADE"), primary_key=True),
)


class Sector(db.Model):
    """A platform-wide sector (IT, Green, civil society...) that workspaces belong to."""

    __tablename__ = "sector"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(default=0)


class Workspace(db.Model):
    __tablename__ = "workspace"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    #: IANA name of the zone its people type and read times in (ent_core/localtime.py).
    timezone: Mapped[str] = mapped_column(
        String(64), default=DEFAULT_TIMEZONE, server_default=DEFAULT_TIMEZONE
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped on every plugin switch: other processes see a new value and drop cached hook sets.
    activation_serial: Mapped[int] = mapped_column(default=0)

    sectors: Mapped[list[Sector]] = relationship(
        secondary=workspace_sector, order_by=Sector.position
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="workspace", cascade="all, delete-orphan"
    )

    @property
    def approved(self) -> bool:
        return self.status == "approved"

    @property
    def suspended(self) -> bool:
        """Suspended for a charter breach: no public pages, jobs or API (docs/charter.md)."""
        return self.status == "suspended"


class Membership(TenantMixin, db.Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(32), default="member")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    workspace: Mapped[Workspace] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()
    extra_roles: Mapped[list[MembershipRole]] = relationship(
        cascade="all, delete-orphan", order_by="MembershipRole.role"
    )

    @property
    def roles(self) -> set[str]:
        return {self.role, *(r.role for r in self.extra_roles)}


class MembershipRole(db.Model):
    """A role a plugin declares (trainer, advertiser...) granted on top of the core role."""

    __tablename__ = "membership_role"
    __table_args__ = (UniqueConstraint("membership_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(64))


class Invitation(TenantMixin, db.Model):
    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(32), default="member")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]

    workspace: Mapped[Workspace] = relationship()


class PluginActivation(TenantMixin, db.Model):
    """Whether a plugin is on for a workspace, with its settings; never deleted on disable."""

    __tablename__ = "plugin_activation"
    __table_args__ = (UniqueConstraint("workspace_id", "plugin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plugin: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(default=True)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    enabled_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Renewed by every switch on and off: part of the plugin's cache keys here, so a switch
    #: drops them all at once (ent_core/cache.py). Random, so that a row made again after a
    #: delete (SQLite reuses ids) never finds the keys of the one before.
    cache_generation: Mapped[str] = mapped_column(String(16), default=new_cache_generation)


class WorkspaceApplication(TenantMixin, db.Model):
    """What a workspace submitted for vetting: its legal identifiers and the last decision.

    One row per workspace; a rejected applicant corrects it and submits again
    (``submission_count`` grows, the audit log keeps every decision).
    """

    __tablename__ = "workspace_application"
    __table_args__ = (UniqueConstraint("workspace_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    identifiers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    submission_count: Mapped[int] = mapped_column(default=1)
    #: The page's language when submitted: the mails' language for people who saved none.
    language: Mapped[str] = mapped_column(String(8), default="fr")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decision_reason: Mapped[str] = mapped_column(Text, default="")

    workspace: Mapped[Workspace] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    documents: Mapped[list[ApplicationDocument]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="ApplicationDocument.id",
    )


class ApplicationDocument(TenantMixin, db.Model):
    """A supporting document (PDF or image) of an application, stored through ``store_upload``."""

    __tablename__ = "workspace_application_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("workspace_application.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    application: Mapped[WorkspaceApplication] = relationship(back_populates="documents")
