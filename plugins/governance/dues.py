"""Who is up to date with their dues on a given day: the rule the roll, the registry and the
reminders all read (docs/governance.md, "Dues status").

Dues are owed per calendar year at the rate of the member's category (no rate: nothing owed
that year). A year falls overdue ``grace_days`` after it starts (after the member joined, for
the year they joined); payments count only if made on or before the day asked about, so a
roll frozen at a cut-off is not changed by a later payment. A member with no overdue unpaid
year is *up to date*; with fewer consecutive unpaid overdue years than ``lapse_years``,
*late*; otherwise *lapsed*. Members whose category pays no dues are always up to date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ent_plugins.governance.models import DuesPayment, DuesRate, Member, MemberCategory
from sqlalchemy import func, select

from ent_core import sdk

UP_TO_DATE = "up_to_date"
LATE = "late"
LAPSED = "lapsed"
STATUSES = (UP_TO_DATE, LATE, LAPSED)


@dataclass(frozen=True, slots=True)
class Rules:
    """The statutes' numbers (the module's settings)."""

    grace_days: int = 90
    lapse_years: int = 2

    @classmethod
    def current(cls) -> Rules:
        settings = sdk.plugin_settings("governance")
        return cls(int(settings.get("grace_days", 90)), int(settings.get("lapse_years", 2)))


def member_status(
    *,
    day: date,
    joined_on: date,
    pays_dues: bool,
    owed: dict[int, Decimal],
    paid: dict[int, Decimal],
    rules: Rules,
) -> str:
    """The rule itself, on plain values: ``owed`` and ``paid`` map years to amounts."""
    if not pays_dues:
        return UP_TO_DATE
    unpaid = 0
    for year in range(day.year, joined_on.year - 1, -1):
        due = owed.get(year)
        if not due:
            continue
        starts = max(date(year, 1, 1), joined_on)
        if day < starts + timedelta(days=rules.grace_days):
            continue  # not overdue yet
        if paid.get(year, Decimal(0)) >= due:
            break  # the latest overdue year is paid: counting back stops there
        unpaid += 1
        if unpaid >= rules.lapse_years:
            return LAPSED
    return LATE if unpaid else UP_TO_DATE


def statuses_on(day: date, member_ids: Any = None, *, rules: Rules | None = None) -> dict[int, str]:
    """The status of every member (or of ``member_ids``) on ``day``, in four statements
    whatever the number of members."""
    rules = rules or Rules.current()
    members = select(Member.id, Member.category_id, Member.joined_on)
    if member_ids is not None:
        members = members.where(Member.id.in_(list(member_ids)))
    rows = sdk.db.session.execute(members).all()
    if not rows:
        return {}
    categories = dict(
        sdk.db.session.execute(select(MemberCategory.id, MemberCategory.pays_dues)).all()
    )
    first_year = day.year - rules.lapse_years - 1
    owed: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for category_id, year, amount in sdk.db.session.execute(
        select(DuesRate.category_id, DuesRate.year, DuesRate.amount).where(
            DuesRate.year >= first_year, DuesRate.year <= day.year
        )
    ):
        owed[category_id][year] = amount
    paid: dict[int, dict[int, Decimal]] = defaultdict(dict)
    payments = select(DuesPayment.member_id, DuesPayment.year, func.sum(DuesPayment.amount)).where(
        DuesPayment.cancelled_at.is_(None),
        DuesPayment.paid_on <= day,
        DuesPayment.year >= first_year,
    )
    if member_ids is not None:
        payments = payments.where(DuesPayment.member_id.in_(list(member_ids)))
    for member_id, year, total in sdk.db.session.execute(
        payments.group_by(DuesPayment.member_id, DuesPayment.year)
    ):
        paid[member_id][year] = Decimal(total)
    return {
        member_id: member_status(
            day=day,
            joined_on=joined_on,
            pays_dues=categories.get(category_id, True),
            owed=owed[category_id],
            paid=paid[member_id],
            rules=rules,
        )
        for member_id, category_id, joined_on in rows
    }


def status_on(member: Member, day: date) -> str:
    return statuses_on(day, [member.id])[member.id]


def up_to_date_ids(day: date) -> set[int]:
    """Members entitled to vote on ``day``: on the registry that day, in a voting category,
    up to date with their dues (the electoral roll's rule)."""
    on_registry = set(
        sdk.db.session.scalars(
            select(Member.id)
            .join(MemberCategory, MemberCategory.id == Member.category_id)
            .where(
                MemberCategory.votes.is_(True),
                Member.joined_on <= day,
                (Member.left_on.is_(None)) | (Member.left_on > day),
            )
        )
    )
    statuses = statuses_on(day, on_registry) if on_registry else {}
    return {member_id for member_id, status in statuses.items() if status == UP_TO_DATE}
