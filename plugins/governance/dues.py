"""A member's standing from their dues on a given day: up to date, late or lapsed.

The dues of a year fall due on 1 January; they become *late* once the grace period after that
year's 31 December has run (``grace_days``). A member is late while one enforceable year is
unpaid, and has *lapsed* once the ``lapse_years`` most recent enforceable years are all unpaid.
Only years for which the general assembly set a rate above zero for the member's category
count, from the year they joined; categories that pay no dues (honorary) are always up to date.
A payment counts from the day it was made (``paid_on``), never before; cancelled ones never.

Every function answers in a fixed number of statements, whatever the number of members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ent_plugins.governance.models import DuesPayment, DuesRate, Member, MemberCategory
from sqlalchemy import select

from ent_core import sdk

UP_TO_DATE = "up_to_date"
LATE = "late"
LAPSED = "lapsed"
STATUSES = (UP_TO_DATE, LATE, LAPSED)


@dataclass(frozen=True)
class Rules:
    grace_days: int
    lapse_years: int


def rules(workspace: Any = None) -> Rules:
    """The association's rules (settings ``grace_days`` and ``lapse_years``): the current
    workspace's, or ``workspace``'s in a job."""
    settings = sdk.plugin_settings("governance", workspace=workspace)
    return Rules(int(settings.get("grace_days", 90)), int(settings.get("lapse_years", 2)))


def last_enforced_year(day: date, grace_days: int) -> int:
    """The latest year whose unpaid dues make a member late on ``day``."""
    year = day.year - 1
    if day <= date(year, 12, 31) + timedelta(days=grace_days):
        year -= 1
    return year


@dataclass(frozen=True)
class Standing:
    """A member's status on a day, and the enforceable years still unpaid (oldest first)."""

    status: str
    unpaid_years: tuple[int, ...]


class _Ledger:
    """Categories, rates and payments loaded once, to judge many members."""

    def __init__(
        self, day: date, member_ids: Iterable[int] | None = None, workspace: Any = None
    ) -> None:
        self.day = day
        self.rules = rules(workspace)
        self.free = set(
            sdk.db.session.scalars(
                select(MemberCategory.id).where(MemberCategory.pays_dues.is_(False))
            )
        )
        self.rated: dict[int, set[int]] = defaultdict(set)
        rates = select(DuesRate.category_id, DuesRate.year)
        for category_id, year in sdk.db.session.execute(rates.where(DuesRate.amount > 0)):
            self.rated[category_id].add(year)
        paid = select(DuesPayment.member_id, DuesPayment.year)
        paid = paid.where(DuesPayment.cancelled_at.is_(None), DuesPayment.paid_on <= day)
        if member_ids is not None:
            paid = paid.where(DuesPayment.member_id.in_(list(member_ids)))
        self.paid: dict[int, set[int]] = defaultdict(set)
        for member_id, year in sdk.db.session.execute(paid):
            self.paid[member_id].add(year)

    def standing(self, member_id: int, category_id: int, joined_on: date) -> Standing:
        if category_id in self.free:
            return Standing(UP_TO_DATE, ())
        last = last_enforced_year(self.day, self.rules.grace_days)
        owed = sorted(y for y in self.rated.get(category_id, ()) if joined_on.year <= y <= last)
        unpaid = tuple(y for y in owed if y not in self.paid.get(member_id, ()))
        if not unpaid:
            return Standing(UP_TO_DATE, ())
        recent = owed[-self.rules.lapse_years :]
        if len(recent) >= self.rules.lapse_years and all(y in unpaid for y in recent):
            return Standing(LAPSED, unpaid)
        return Standing(LATE, unpaid)


def standing_on(member: Member, day: date) -> Standing:
    """``member``'s standing on ``day`` (3 statements)."""
    return _Ledger(day, [member.id]).standing(member.id, member.category_id, member.joined_on)


def status_on(member: Member, day: date) -> str:
    """``up_to_date``, ``late`` or ``lapsed`` on ``day``."""
    return standing_on(member, day).status


def standings_for(
    members: Iterable[Member], day: date, workspace: Any = None
) -> dict[int, Standing]:
    """The standing of each of ``members`` (a page of a list), by id, in 3 statements."""
    rows = list(members)
    ledger = _Ledger(day, [m.id for m in rows], workspace)
    return {m.id: ledger.standing(m.id, m.category_id, m.joined_on) for m in rows}


def statuses_on(day: date, workspace: Any = None) -> dict[int, str]:
    """The status of every member on the registry on ``day`` (joined, not yet left), by id;
    ``workspace`` names the association in a job (inside ``sdk.in_workspace``)."""
    ledger = _Ledger(day, workspace=workspace)
    members = select(Member.id, Member.category_id, Member.joined_on)
    members = members.where(Member.joined_on <= day)
    members = members.where((Member.left_on.is_(None)) | (Member.left_on > day))
    return {
        member_id: ledger.standing(member_id, category_id, joined_on).status
        for member_id, category_id, joined_on in sdk.db.session.execute(members)
    }


def up_to_date_ids(day: date, workspace: Any = None) -> set[int]:
    """The ids of the members up to date with their dues on ``day``."""
    return {i for i, status in statuses_on(day, workspace).items() if status == UP_TO_DATE}


def rate_for(category_id: int, year: int) -> Decimal | None:
    """What a member of the category owes for ``year``, or None when no rate is set."""
    return sdk.db.session.scalar(
        select(DuesRate.amount).where(DuesRate.category_id == category_id, DuesRate.year == year)
    )
