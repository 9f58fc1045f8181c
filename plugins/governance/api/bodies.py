"""API of bodies, offices and mandates (``/api/v1/workspaces/<slug>/governance/...``).

``GET mandates?on=YYYY-MM-DD`` answers who holds which office that day; ``lacks_role`` tells,
to those who manage the registry, which holders lack their office's role on the Members page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ent_plugins.governance import mandates as service
from ent_plugins.governance.models import Body, Mandate, Office
from ent_plugins.governance.permissions import MANAGE_MEMBERS, VIEW
from pydantic import Field

from ent_core import sdk

TAGS = ("governance",)
KIND = "^(general_assembly|bureau|board)$"
ROLE = "^(president|secretary|treasurer|board_member)$"


# -- bodies ---------------------------------------------------------------------------------------
class OfficeOut(sdk.ApiModel):
    id: int
    body_id: int
    title: str
    role: str | None = Field(description="`president`, `secretary`, `treasurer`, `board_member`.")
    seats: int
    position: int


class BodyIn(sdk.ApiModel):
    kind: str = Field(pattern=KIND, description="`general_assembly`, `bureau` or `board`.")
    name: str = Field(min_length=1, max_length=200)
    term_years: int | None = Field(default=None, ge=1, le=20)


class BodyPatch(sdk.ApiModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    term_years: int | None = Field(default=None, ge=1, le=20)


class BodyOut(sdk.ApiModel):
    id: int
    kind: str
    name: str
    term_years: int | None
    offices: list[OfficeOut]


def office_json(office: Office) -> OfficeOut:
    return OfficeOut(
        id=office.id,
        body_id=office.body_id,
        title=office.title,
        role=office.role,
        seats=office.seats,
        position=office.position,
    )


def body_json(body: Body) -> BodyOut:
    return BodyOut(
        id=body.id,
        kind=body.kind,
        name=body.name,
        term_years=body.term_years,
        offices=[office_json(o) for o in body.offices],
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List the bodies", query=sdk.PageQuery, response=sdk.Page[BodyOut], tags=TAGS
)
def list_bodies(query: sdk.PageQuery) -> dict[str, Any]:
    return sdk.paginate(
        sdk.scoped(Body),
        key=Body.id,
        serialize=lambda rows: [body_json(b) for b in rows],
        query=query,
    )


@sdk.require_permission(MANAGE_MEMBERS)
@sdk.api_operation(
    summary="Create a body",
    body=BodyIn,
    response=BodyOut,
    status=201,
    tags=TAGS,
    errors=(403, 422),
)
def create_body(body: BodyIn) -> BodyOut:
    row = service.create_body(body.kind, body.name, body.term_years)
    sdk.db.session.commit()
    return body_json(row)


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="One body", response=BodyOut, tags=TAGS, errors=(404,))
def get_body(body_id: int) -> BodyOut:
    return body_json(sdk.get_or_404(Body, body_id))


@sdk.require_permission(MANAGE_MEMBERS)
@sdk.api_operation(
    summary="Change a body",
    description="Only the fields given change; the kind stays.",
    body=BodyPatch,
    response=BodyOut,
    tags=TAGS,
    errors=(403, 404, 422),
)
def patch_body(body_id: int, body: BodyPatch) -> BodyOut:
    row = sdk.get_or_404(Body, body_id)
    given = body.model_dump(exclude_unset=True)
    service.update_body(
        row,
        name=given.get("name") or row.name,
        term_years=given.get("term_years", row.term_years),
    )
    sdk.db.session.commit()
    return body_json(row)


# -- offices --------------------------------------------------------------------------------------
class OfficeIn(sdk.ApiModel):
    body_id: int
    title: str = Field(min_length=1, max_length=120)
    role: str | None = Field(default=None, pattern=ROLE)
    seats: int = Field(default=1, ge=1, le=500)
    position: int | None = Field(default=None, ge=0, le=10_000)


class OfficePatch(sdk.ApiModel):
    title: str | None = Field(default=None, min_length=1, max_length=120)
    role: str | None = Field(default=None, pattern=ROLE)
    seats: int | None = Field(default=None, ge=1, le=500)
    position: int | None = Field(default=None, ge=0, le=10_000)


class OfficeQuery(sdk.PageQuery):
    body_id: int | None = None


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List the offices", query=OfficeQuery, response=sdk.Page[OfficeOut], tags=TAGS
)
def list_offices(query: OfficeQuery) -> dict[str, Any]:
    statement = sdk.scoped(Office)
    if query.body_id is not None:
        statement = statement.where(Office.body_id == query.body_id)
    return sdk.paginate(
        statement,
        key=Office.id,
        serialize=lambda rows: [office_json(o) for o in rows],
        query=query,
    )


@sdk.require_permission(MANAGE_MEMBERS)
@sdk.api_operation(
    summary="Add an office to a body",
    body=OfficeIn,
    response=OfficeOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 422),
)
def create_office(body: OfficeIn) -> OfficeOut:
    office = service.create_office(
        sdk.get_or_404(Body, body.body_id),
        title=body.title,
        role=body.role,
        seats=body.seats,
        position=body.position,
    )
    sdk.db.session.commit()
    return office_json(office)


@sdk.require_permission(MANAGE_MEMBERS)
@sdk.api_operation(
    summary="Change an office",
    description="Only the fields given change; `role: null` removes the role.",
    body=OfficePatch,
    response=OfficeOut,
    tags=TAGS,
    errors=(403, 404, 422),
)
def patch_office(office_id: int, body: OfficePatch) -> OfficeOut:
    office = sdk.get_or_404(Office, office_id)
    given = body.model_dump(exclude_unset=True)
    service.update_office(
        office,
        title=given.get("title") or office.title,
        role=given.get("role", office.role),
        seats=given.get("seats") or office.seats,
        position=given["position"] if given.get("position") is not None else office.position,
    )
    sdk.db.session.commit()
    return office_json(office)


# -- mandates -------------------------------------------------------------------------------------
class MandateOut(sdk.ApiModel):
    id: int
    office_id: int
    office: str
    body_id: int
    role: str | None
    member_id: int
    member_name: str
    starts_on: date
    ends_on: date | None
    vote_id: int | None
    lacks_role: str | None = Field(
        default=None,
        description="For registry managers: `no_account` or `no_role` when the holder lacks "
        "the office's role on the Members page; null otherwise.",
    )


class MandateIn(sdk.ApiModel):
    office_id: int
    member_id: int
    starts_on: date
    ends_on: date | None = Field(
        default=None, description="Omitted: the body's term (open when the body has none)."
    )
    vote_id: int | None = Field(default=None, description="The election that gave it.")


class MandatePatch(sdk.ApiModel):
    ends_on: date = Field(description="The mandate's last day (ends it early or late).")


class RenewalIn(sdk.ApiModel):
    starts_on: date | None = Field(
        default=None, description="Default: the day after the mandate ends (today if open)."
    )
    ends_on: date | None = None
    vote_id: int | None = None


class MandateQuery(sdk.PageQuery):
    on: date | None = Field(default=None, description="Only the mandates running that day.")
    body_id: int | None = None
    member_id: int | None = None


def mandate_json(mandate: Mandate, lacking: dict[int, str] | None = None) -> MandateOut:
    return MandateOut(
        id=mandate.id,
        office_id=mandate.office_id,
        office=mandate.office.title,
        body_id=mandate.office.body_id,
        role=mandate.office.role,
        member_id=mandate.member_id,
        member_name=mandate.member.name,
        starts_on=mandate.starts_on,
        ends_on=mandate.ends_on,
        vote_id=mandate.vote_id,
        lacks_role=(lacking or {}).get(mandate.id),
    )


def _serialize(rows: list[Mandate]) -> list[MandateOut]:
    lacking = service.lacking_roles(rows) if sdk.has_permission(MANAGE_MEMBERS) else {}
    return [mandate_json(m, lacking) for m in rows]


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List mandates",
    description="With `on=YYYY-MM-DD`: who holds which office that day.",
    query=MandateQuery,
    response=sdk.Page[MandateOut],
    tags=TAGS,
)
def list_mandates(query: MandateQuery) -> dict[str, Any]:
    statement = service.running_on(query.on) if query.on else sdk.scoped(Mandate)
    if query.body_id is not None:
        statement = statement.join(Mandate.office).where(Office.body_id == query.body_id)
    if query.member_id is not None:
        statement = statement.where(Mandate.member_id == query.member_id)
    return sdk.paginate(statement, key=Mandate.id, serialize=_serialize, query=query)


@sdk.require_permission(MANAGE_MEMBERS)
@sdk.api_operation(
    summary="Appoint a member to an office",
    body=MandateIn,
    response=MandateOut,
    status=201,
    tags=TAGS,
    errors=(403, 409, 422),
)
def create_mandate(body: MandateIn) -> MandateOut:
    mandate = service.appoint(
        service.find_office(body.office_id),
        service.find_member(body.member_id),
        body.starts_on,
        body.ends_on,
        vote_id=body.vote_id,
    )
    sdk.db.session.commit()
    return _serialize([mandate])[0]


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="One mandate", response=MandateOut, tags=TAGS, errors=(404,))
def get_mandate(mandate_id: int) -> MandateOut:
    return _serialize([sdk.get_or_404(Mandate, mandate_id)])[0]


@sdk.require_permission(MANAGE_MEMBERS)
@sdk.api_operation(
    summary="End a mandate",
    body=MandatePatch,
    response=MandateOut,
    tags=TAGS,
    errors=(403, 404, 422),
)
def patch_mandate(mandate_id: int, body: MandatePatch) -> MandateOut:
    mandate = service.end_mandate(sdk.get_or_404(Mandate, mandate_id), body.ends_on)
    sdk.db.session.commit()
    return _serialize([mandate])[0]


@sdk.require_permission(MANAGE_MEMBERS)
@sdk.api_operation(
    summary="Renew a mandate",
    description="Ends the mandate the day before the new one starts; answers the new mandate.",
    body=RenewalIn,
    body_required=False,
    response=MandateOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def renew_mandate(mandate_id: int, body: RenewalIn | None) -> MandateOut:
    body = body or RenewalIn()
    mandate = service.renew(
        sdk.get_or_404(Mandate, mandate_id),
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        vote_id=body.vote_id,
    )
    sdk.db.session.commit()
    return _serialize([mandate])[0]
