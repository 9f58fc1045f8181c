"""Who is up to date with their dues on a given day: the rule the roll, the registry and the
reminders all read (docs/governance.md, "Status from dues").

Dues are owed per calendar year at the rate of the member's category (no rate: nothing owed
that year). A year falls overdue ``grace_days`` after it starts (after the member joined, for
the year they joined); payments count only if made on or before the day asked about, so a
roll frozen at a cut-off is not changed by a later payment. A member with no overdue unpaid
year is *up to date*; with fewer consecutive unpaid overdue years than ``lapse_years``,
*late*; otherwise *lapsed*. Members whose category pays no dues are always up to date.

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
from sqlalchemy import func, select

from ent_core import sdk

UP_TO_DATE = "up_to_date"
LATE = "late"
LAPSED = "lapsed"
STATUSES = (UP_TO_DATE, LATE, LAPSED)
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Rules:
    """The statutes' numbers (the module's settings)."""

    grace_days: int = 90
    lapse_years: int = 2

    @classmethod
    def current(cls) -> Rules:
        """The current workspace's, or the one ``sdk.in_workspace`` names (jobs, schedules)."""
        settings = sdk.plugin_settings("governance")
        return cls(int(settings.get("grace_days", 90)), int(settings.get("lapse_years", 2)))


@dataclass(frozen=True, slots=True)
class Standing:
    """A member's status on a day, the overdue years still unpaid (latest first, as counted)
    and what remains to pay for them."""

    status: str
    unpaid_years: tuple[int, ...] = ()
    due: Decimal = ZERO


def member_standing(
    *,
    day: date,
    joined_on: date,
    pays_dues: bool,
    owed: dict[int, Decimal],
    paid: dict[int, Decimal],
    rules: Rules,
) -> Standing:
    """The rule itself, on plain values: ``owed`` and ``paid`` map years to amounts."""
    if not pays_dues:
        return Standing(UP_TO_DATE)
    unpaid: list[int] = []
    due = ZERO
    # Only the years with a rate can be owed: counting back over them, not every year since
    # the member joined (a founder of 1990 would cost 37 turns for two rates).
    for year in sorted(owed, reverse=True):
        rate = owed[year]
        if not rate or year > day.year or year < joined_on.year:
            continue
        starts = joined_on if year == joined_on.year else date(year, 1, 1)
        if day < starts + timedelta(days=rules.grace_days):
            continue  # not overdue yet
        if paid.get(year, ZERO) >= rate:
            break  # the latest overdue year is paid: counting back stops there
        unpaid.append(year)
        due += rate - paid.get(year, ZERO)
        if len(unpaid) >= rules.lapse_years:
            return Standing(LAPSED, tuple(unpaid), due)
    return Standing(LATE if unpaid else UP_TO_DATE, tuple(unpaid), due)


def member_status(**values: Any) -> str:
    """:func:`member_standing`'s status alone."""
    return member_standing(**values).status


def standings_on(
    day: date,
    member_ids: Iterable[int] | None = None,
    *,
    rules: Rules | None = None,
    where: Any = None,
) -> dict[int, Standing]:
    """The standing of every member (or of ``member_ids``, or of those matching the condition
    ``where``) on ``day``, by id, in four statements whatever the number of members.

    For thousands of members, give ``where`` rather than their ids: sending 5,000 bound ids
    cost more than reading the rows (bench/governance_lists.py)."""
    rules = rules or Rules.current()
    ids = None if member_ids is None else list(member_ids)
    members = select(Member.id, Member.category_id, Member.joined_on)
    if where is not None:
        members = members.where(where)
    if ids is not None:
        if not ids:
            return {}
        members = members.where(Member.id.in_(ids))
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
    if ids is not None:
        payments = payments.where(DuesPayment.member_id.in_(ids))
    for member_id, year, total in sdk.db.session.execute(
        payments.group_by(DuesPayment.member_id, DuesPayment.year)
    ):
        paid[member_id][year] = Decimal(total)
    return {
        member_id: member_standing(
            day=day,
            joined_on=joined_on,
            pays_dues=categories.get(category_id, True),
            owed=owed[category_id],
            paid=paid[member_id],
            rules=rules,
        )
        for member_id, category_id, joined_on in rows
    }


def statuses_on(
    day: date, member_ids: Iterable[int] | None = None, *, rules: Rules | None = None
) -> dict[int, str]:
    """The status of every member (or of ``member_ids``) on ``day``, by id."""
    return {i: s.status for i, s in standings_on(day, member_ids, rules=rules).items()}


def standing_on(member: Member, day: date) -> Standing:
    return standings_on(day, [member.id])[member.id]


def status_on(member: Member, day: date) -> str:
    return standing_on(member, day).status


def on_registry(day: date) -> Any:
    """The condition of members on the registry on ``day``: joined, and not yet left."""
    return (Member.joined_on <= day) & ((Member.left_on.is_(None)) | (Member.left_on > day))


def up_to_date_ids(day: date) -> set[int]:
    """Members entitled to vote on ``day``: on the registry that day, in a voting category,
    up to date with their dues (the electoral roll's rule)."""
    voters = set(
        sdk.db.session.scalars(
            select(Member.id)
            .join(MemberCategory, MemberCategory.id == Member.category_id)
            .where(MemberCategory.votes.is_(True), on_registry(day))
        )
    )
    statuses = statuses_on(day, voters) if voters else {}
    return {member_id for member_id, status in statuses.items() if status == UP_TO_DATE}


def registry_standings(day: date) -> dict[int, Standing]:
    """The standing of every member on the registry on ``day`` (four statements; the
    payments of members who left are read too, and left aside)."""
    return standings_on(day, where=on_registry(day))


def ids_with_status(day: date, status: str) -> list[int]:
    """The members on the registry on ``day`` whose status is ``status`` (list filters)."""
    return [i for i, s in registry_standings(day).items() if s.status == status]


def rate_for(category_id: int, year: int) -> Decimal | None:
    """What a member of the category owes for ``year``, or None when no rate is set."""
    return sdk.db.session.scalar(
        select(DuesRate.amount).where(DuesRate.category_id == category_id, DuesRate.year == year)
    )


def paid_for(member_id: int, year: int) -> Decimal:
    """What ``member_id`` paid for ``year`` so far (cancelled payments aside)."""
    total = sdk.db.session.scalar(
        select(func.sum(DuesPayment.amount)).where(
            DuesPayment.member_id == member_id,
            DuesPayment.year == year,
            DuesPayment.cancelled_at.is_(None),
        )
    )
    return Decimal(total or 0)
