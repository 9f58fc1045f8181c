"""The job outbox: jobs recorded in the transaction of the change they follow (docs/jobs.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ent_core.db import db, utcnow


class JobOutbox(db.Model):
    """One job waiting to be handed to rq (or run inline) once its transaction has committed.

    Not a tenant model: the relay reads every workspace's rows; ``workspace_id`` is the
    workspace the job was queued for (checked when it runs), kept without a foreign key so a
    deleted workspace never blocks the relay.
    """

    __tablename__ = "job_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    path: Mapped[str] = mapped_column(String(255))
    # ``(args, kwargs)`` pickled, as rq pickles them: ids and plain values (docs/jobs.md).
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    run_at: Mapped[datetime | None]
    debounce_seconds: Mapped[float | None] = mapped_column(Float)
    retries: Mapped[int]
    job_id: Mapped[str | None] = mapped_column(String(255))
    # The rq id the job gets: known at enqueue time (``enqueue`` returns it), and the same on
    # every delivery attempt, so a relay that dies after rq took the job cannot queue it twice.
    rq_id: Mapped[str | None] = mapped_column(String(128))
    workspace_id: Mapped[int | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # SQLite has no ``FOR UPDATE SKIP LOCKED``: a relay claims rows with a guarded UPDATE.
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None]
