"""The batches of counts already added to the database (``ent_core/counters``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ent_core.db import db, utcnow


class CounterBatch(db.Model):
    """A batch of counts taken from Redis and added by its plugin's flush, committed in the
    same transaction: a batch found here again (the flush died before Redis forgot it, or two
    workers flushed at once) is never added twice."""

    __tablename__ = "counter_batch"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    counter: Mapped[str] = mapped_column(String(130))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
