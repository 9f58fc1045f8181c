"""Bodies, their offices and the mandates that fill them: who holds which office on a date.

A mandate runs from ``starts_on`` to ``ends_on`` inclusive (open when ``ends_on`` is none); an
office never has more running mandates than seats. Renewing ends a mandate and opens the next
one the day after, for the body's term (and the election that gave it, when there was one).

Officers' permissions come from the plugin's roles, which an owner or admin grants on the
workspace's Members page: the SDK gives a plugin no way to grant a workspace role, so
:func:`lacking_roles` tells which office holders do not hold their office's role yet.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ent_plugins.governance.models import Body, Mandate, Member, Office, Vote
from ent_plugins.governance.permissions import OFFICER_ROLES, declared
from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from ent_core import sdk

_ = sdk._
_l = sdk._l

BODY_KINDS = {
    "general_assembly": _l("General assembly"),
    "bureau": _l("Bureau"),
    "board": _l("Board"),
}
ROLE_LABELS = {
    "president": _l("President"),
    "secretary": _l("Secretary general"),
    "treasurer": _l("Treasurer"),
    "board_member": _l("Board member"),
}


class MandateError(sdk.UserError):
    """A body, office or mandate change the statutes or the calendar refuse."""

    default_status = 409


# -- bodies and offices ---------------------------------------------------------------------------
def _check_body(kind: str, name: str, term_years: int | None) -> None:
    if kind not in BODY_KINDS:
        raise MandateError("validation_error", _("Choose a kind of body."), 422, field="kind")
    if not name.strip():
        raise MandateError("validation_error", _("Give the body a name."), 422, field="name")
    if term_years is not None and not 1 <= term_years <= 20:
        raise MandateError(
            "validation_error", _("A term lasts 1 to 20 years."), 422, field="term_years"
        )


def create_body(kind: str, name: str, term_years: int | None = None) -> Body:
    _check_body(kind, name, term_years)
    body = Body(kind=kind, name=name.strip(), term_years=term_years)
    sdk.db.session.add(body)
    sdk.db.session.flush()
    sdk.audit("governance.body_created", subject=f"governance_body:{body.id}")
    return body


def update_body(body: Body, *, name: str, term_years: int | None) -> Body:
    _check_body(body.kind, name, term_years)
    body.name = name.strip()
    body.term_years = term_years
    return body


def _check_office(title: str, role: str | None, seats: int) -> None:
    if not title.strip():
        raise MandateError("validation_error", _("Give the office a title."), 422, field="title")
    if role is not None and role not in OFFICER_ROLES:
        raise MandateError("validation_error", _("Choose a known role."), 422, field="role")
    if not 1 <= seats <= 500:
        raise MandateError(
            "validation_error", _("An office has 1 to 500 seats."), 422, field="seats"
        )


def create_office(
    body: Body, *, title: str, role: str | None = None, seats: int = 1, position: int | None = None
) -> Office:
    _check_office(title, role, seats)
    if position is None:
        position = max((o.position for o in body.offices), default=-1) + 1
    office = Office(body_id=body.id, title=title.strip(), role=role, seats=seats, position=position)
    sdk.db.session.add(office)
    sdk.db.session.flush()
    return office


def update_office(
    office: Office, *, title: str, role: str | None, seats: int, position: int
) -> Office:
    _check_office(title, role, seats)
    office.title, office.role, office.seats, office.position = title.strip(), role, seats, position
    return office


# -- mandates -------------------------------------------------------------------------------------
def running_on(day: date) -> Any:
    """The mandates of the current workspace that run on ``day``, as a select."""
    return sdk.scoped(Mandate).where(
        Mandate.starts_on <= day, or_(Mandate.ends_on.is_(None), Mandate.ends_on >= day)
    )


def holders_on(day: date, body: Body | None = None) -> list[Mandate]:
    """Who holds which office on ``day``: bodies, then offices in their order, then names."""
    statement = (
        running_on(day)
        .join(Mandate.office)
        .join(Office.body)
        .join(Mandate.member)
        .options(joinedload(Mandate.office).joinedload(Office.body), joinedload(Mandate.member))
        .order_by(Body.id, Office.position, Office.id, Member.name, Mandate.id)
    )
    if body is not None:
        statement = statement.where(Office.body_id == body.id)
    return list(sdk.db.session.scalars(statement).unique())


def default_end(office: Office, starts_on: date) -> date | None:
    """The last day of a term that starts on ``starts_on`` (none when the body has no term)."""
    years = office.body.term_years
    if not years:
        return None
    try:
        anniversary = starts_on.replace(year=starts_on.year + years)
    except ValueError:  # 29 February
        anniversary = starts_on.replace(year=starts_on.year + years, day=28)
    return anniversary - timedelta(days=1)


def _overlapping(office: Office, starts_on: date, ends_on: date | None, skip: int | None) -> list:
    statement = sdk.scoped(Mandate).where(
        Mandate.office_id == office.id,
        or_(Mandate.ends_on.is_(None), Mandate.ends_on >= starts_on),
    )
    if ends_on is not None:
        statement = statement.where(Mandate.starts_on <= ends_on)
    if skip is not None:
        statement = statement.where(Mandate.id != skip)
    return list(sdk.db.session.scalars(statement))


def _check_mandate(
    office: Office,
    member: Member,
    starts_on: date,
    ends_on: date | None,
    skip: int | None = None,
) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise MandateError(
            "validation_error", _("A mandate cannot end before it starts."), 422, field="ends_on"
        )
    if member.joined_on > starts_on or (member.left_on is not None and member.left_on <= starts_on):
        raise MandateError(
            "not_a_member",
            _("%(name)s is not a member of the association on that date.", name=member.name),
            field="member_id",
        )
    others = _overlapping(office, starts_on, ends_on, skip)
    if any(m.member_id == member.id for m in others):
        raise MandateError(
            "already_holds",
            _("%(name)s already holds this office then.", name=member.name),
            field="member_id",
        )
    if len(others) >= office.seats:
        raise MandateError(
            "office_full",
            sdk.ngettext(
                "This office has %(num)d seat and it is taken then: end a mandate first.",
                "This office has %(num)d seats and they are taken then: end a mandate first.",
                office.seats,
            ),
            details={"seats": office.seats},
        )


def _vote(vote_id: int | None) -> int | None:
    if vote_id is None:
        return None
    if sdk.db.session.scalar(sdk.scoped(Vote).where(Vote.id == vote_id)) is None:
        raise MandateError("validation_error", _("No such vote."), 422, field="vote_id")
    return vote_id


def appoint(
    office: Office,
    member: Member,
    starts_on: date,
    ends_on: date | None = None,
    *,
    vote_id: int | None = None,
    term: bool = True,
) -> Mandate:
    """``member`` holds ``office`` from ``starts_on``; for the body's term unless ``ends_on``
    is given (``term=False`` leaves it open)."""
    if ends_on is None and term:
        ends_on = default_end(office, starts_on)
    _check_mandate(office, member, starts_on, ends_on)
    mandate = Mandate(
        office_id=office.id,
        member_id=member.id,
        starts_on=starts_on,
        ends_on=ends_on,
        vote_id=_vote(vote_id),
    )
    sdk.db.session.add(mandate)
    sdk.db.session.flush()
    sdk.audit("governance.mandate_started", subject=f"governance_mandate:{mandate.id}")
    return mandate


def end_mandate(mandate: Mandate, ends_on: date) -> Mandate:
    """The mandate ends on ``ends_on`` (resignation, death, the end of a term cut short)."""
    if ends_on < mandate.starts_on:
        raise MandateError(
            "validation_error", _("A mandate cannot end before it starts."), 422, field="ends_on"
        )
    mandate.ends_on = ends_on
    sdk.audit("governance.mandate_ended", subject=f"governance_mandate:{mandate.id}")
    return mandate


def renew(
    mandate: Mandate,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
    vote_id: int | None = None,
) -> Mandate:
    """The same member holds the office for a new term: the mandate ends the day before the
    new one starts (by default the day after it ends, or today when it is open)."""
    if starts_on is None:
        starts_on = mandate.ends_on + timedelta(days=1) if mandate.ends_on else sdk.local_today()
    if starts_on <= mandate.starts_on:
        raise MandateError(
            "validation_error",
            _("The new mandate must start after the current one."),
            422,
            field="starts_on",
        )
    if mandate.ends_on is None or mandate.ends_on >= starts_on:
        mandate.ends_on = starts_on - timedelta(days=1)
        sdk.db.session.flush()
    return appoint(mandate.office, mandate.member, starts_on, ends_on, vote_id=vote_id)


# -- the roles that go with offices ---------------------------------------------------------------
def role_permissions(role: str) -> set[str]:
    """The permissions a plugin role grants (its column of ``permissions.declared``)."""
    return {p.name for p in declared() if role in p.roles}


def lacking_roles(mandates: list[Mandate]) -> dict[int, str]:
    """Mandates whose holder lacks the role of their office, and why: ``no_account`` (the
    member has no platform account in the workspace) or ``no_role`` (not granted yet).

    A holder "has" the role when their account holds every permission it grants, whichever
    roles give them: the SDK lists members by permission, not by role.
    """
    wanted = [m for m in mandates if m.office.role]
    if not wanted:
        return {}
    workspace = sdk.current_workspace()
    members = {u.id for u in sdk.workspace_members(workspace)}
    holders: dict[str, set[int]] = {}
    for name in {p for m in wanted for p in role_permissions(m.office.role or "")}:
        holders[name] = {u.id for u in sdk.workspace_members(workspace, permission=name)}
    lacking: dict[int, str] = {}
    for mandate in wanted:
        user_id = mandate.member.user_id
        if user_id is None or user_id not in members:
            lacking[mandate.id] = "no_account"
        elif any(user_id not in holders[p] for p in role_permissions(mandate.office.role or "")):
            lacking[mandate.id] = "no_role"
    return lacking


def member_choices() -> list[tuple[int, str]]:
    """The registry's current members, for a select."""
    rows = sdk.db.session.scalars(
        sdk.scoped(Member).where(Member.left_on.is_(None)).order_by(Member.name, Member.id)
    )
    return [(m.id, f"{m.name} ({m.number})") for m in rows]


def find_member(member_id: int) -> Member:
    member = sdk.db.session.scalar(sdk.scoped(Member).where(Member.id == member_id))
    if member is None:
        raise MandateError("validation_error", _("No such member."), 422, field="member_id")
    return member


def find_office(office_id: int) -> Office:
    office = sdk.db.session.scalar(sdk.scoped(Office).where(Office.id == office_id))
    if office is None:
        raise MandateError("validation_error", _("No such office."), 422, field="office_id")
    return office
