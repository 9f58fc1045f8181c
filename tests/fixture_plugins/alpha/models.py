"""Alpha's one model, so the migration and tenancy machinery have something to chew on."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship, remote

from ent_core import sdk


class AlphaItem(sdk.TenantMixin, sdk.db.Model):
    __tablename__ = "alpha_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(String(200), default="")

    #: Items of the same title, whatever their workspace: a relationship the database does
    #: not confine to one workspace, so only the tenant filter keeps its loads to one.
    namesakes: Mapped[list[AlphaItem]] = relationship(
        primaryjoin=lambda: remote(foreign(AlphaItem.title)) == AlphaItem.title,
        viewonly=True,
        order_by=lambda: AlphaItem.id,
    )
