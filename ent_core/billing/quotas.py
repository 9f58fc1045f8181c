"""Quotas for plugins: how much is left, and consuming it atomically.

A quota whose name ends in ``_per_month`` restarts every calendar month (UTC); any other quota
(``seats``) counts for the life of the subscription. The limit is the sum over the workspace's
live plan and add-ons; a quota no plan names has a limit of 0.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ent_core.api.errors import ApiError
from ent_core.billing.models import QuotaUsage
from ent_core.db import db, utcnow


class QuotaExceeded(ApiError):
    """Raised by :func:`consume_quota`; the API answers 409 ``quota_exceeded``."""

    def __init__(self, name: str, limit: int, used: int, requested: int) -> None:
        super().__init__(
            "quota_exceeded",
            _("The quota %(name)s is used up for this period.", name=name),
            409,
            {"quota": name, "limit": limit, "used": used, "requested": requested},
        )
        self.name = name
        self.limit = limit
        self.used = used
        self.requested = requested


def quota_period(name: str, now: datetime | None = None) -> str:
    return (now or utcnow()).strftime("%Y-%m") if name.endswith("_per_month") else "all"


def quota_limit(workspace: Any, name: str, now: datetime | None = None) -> int:
    from ent_core.billing.subscriptions import live_plans

    return sum(int((plan.quotas or {}).get(name, 0)) for plan in live_plans(workspace, now))


def quota_used(workspace: Any, name: str, now: datetime | None = None) -> int:
    table = QuotaUsage.__table__
    used = db.session.execute(
        db.select(table.c.used).where(
            table.c.workspace_id == workspace.id,
            table.c.name == name,
            table.c.period == quota_period(name, now),
        )
    ).scalar()
    return int(used or 0)


def quota_remaining(workspace: Any, name: str, *, now: datetime | None = None) -> int:
    """Units of quota ``name`` the workspace may still consume in the current period."""
    return max(quota_limit(workspace, name, now) - quota_used(workspace, name, now), 0)


def consume_quota(
    workspace: Any, name: str, amount: int = 1, *, now: datetime | None = None
) -> int:
    """Take ``amount`` units or raise :class:`QuotaExceeded`; returns what remains.

    One guarded ``UPDATE ... SET used = used + :n WHERE used + :n <= :limit``: of two requests
    racing for the last unit exactly one updates a row. The change joins the caller's
    transaction (commit it with the work the quota pays for; a rollback gives the unit back).
    """
    if amount < 1:
        raise ValueError("amount must be at least 1")
    limit = quota_limit(workspace, name, now)
    period = quota_period(name, now)
    table = QuotaUsage.__table__
    where = (
        table.c.workspace_id == workspace.id,
        table.c.name == name,
        table.c.period == period,
    )
    if limit < amount:
        raise QuotaExceeded(name, limit, quota_used(workspace, name, now), amount)
    exists = db.session.execute(db.select(table.c.id).where(*where)).scalar()
    if exists is None:
        try:
            with db.session.begin_nested():
                db.session.execute(
                    table.insert().values(
                        workspace_id=workspace.id, name=name, period=period, used=0
                    )
                )
        except IntegrityError:
            pass  # a concurrent request created the row: fine, the guarded update decides
    result = db.session.execute(
        table.update()
        .where(*where, table.c.used + amount <= limit)
        .values(used=table.c.used + amount)
        .returning(table.c.used)
    ).scalar()
    if result is None:
        raise QuotaExceeded(name, limit, quota_used(workspace, name, now), amount)
    return limit - int(result)


def release_quota(
    workspace: Any, name: str, amount: int = 1, *, now: datetime | None = None
) -> None:
    """Give units back (a classified ad deleted before publication, a seat freed)."""
    table = QuotaUsage.__table__
    db.session.execute(
        table.update()
        .where(
            table.c.workspace_id == workspace.id,
            table.c.name == name,
            table.c.period == quota_period(name, now),
            table.c.used >= amount,
        )
        .values(used=table.c.used - amount)
    )
