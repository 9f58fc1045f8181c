"""Charter versions, their texts per language, and signatures (never edited nor deleted)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core.db import db, utcnow


class CharterVersion(db.Model):
    __tablename__ = "charter_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(32), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    texts: Mapped[list[CharterText]] = relationship(
        cascade="all, delete-orphan", order_by="CharterText.language"
    )


class CharterText(db.Model):
    __tablename__ = "charter_text"
    __table_args__ = (UniqueConstraint("version_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("charter_version.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)


class CharterSignature(db.Model):
    """Proof of consent: who signed which exact text (its SHA-256), when, from where."""

    __tablename__ = "charter_signature"
    __table_args__ = (UniqueConstraint("user_id", "version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    version_id: Mapped[int] = mapped_column(
        ForeignKey("charter_version.id", ondelete="RESTRICT"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    text_sha256: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str] = mapped_column(String(512), default="")

    version: Mapped[CharterVersion] = relationship()


class SignatureIsPermanent(RuntimeError):
    """Signatures are evidence: the platform never changes or removes one."""


@event.listens_for(CharterSignature, "before_update")
@event.listens_for(CharterSignature, "before_delete")
def _refuse_change(mapper, connection, target) -> None:  # type: ignore[no-untyped-def]
    raise SignatureIsPermanent(f"charter signature {target.id} cannot be changed or deleted")
