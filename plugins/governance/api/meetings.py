"""API of meetings (``/api/v1/workspaces/<slug>/governance/meetings...``): the meeting, its
agenda, transitions (``convene``, ``cancel``, ``hold``, ``adjourn``, ``close``), the second
convocation, attendance (RSVP, presence, online check-in), proxies and the quorum.

Times are ISO 8601: with an offset they are instants; without one they are read on the
workspace's clock (``sdk.to_utc``), as the pages do. Answers carry aware UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ent_plugins.governance import meetings as service
from ent_plugins.governance.models import (
    AgendaItem,
    Body,
    Meeting,
    MeetingAttendance,
    MeetingDocument,
    Member,
    Proxy,
)
from ent_plugins.governance.permissions import MANAGE_MEETINGS, VIEW
from ent_plugins.governance.quorum import quorum_state
from pydantic import Field

from ent_core import sdk

TAGS = ("governance",)
KIND = "^(ordinary|extraordinary|board)$"


# -- meetings -------------------------------------------------------------------------------------
class QuorumOut(sdk.ApiModel):
    share: Decimal = Field(description="Share of the roll needed (0.5: half; 0: none).")
    roll_size: int = Field(description="Members on the frozen electoral roll (0 before).")
    required: int = Field(description="Members present or represented needed.")
    present: int = Field(description="Members of the roll present, in the room or online.")
    represented: int = Field(description="Absent members of the roll whose proxy is present.")
    reached: bool


class MeetingOut(sdk.ApiModel):
    id: int
    body_id: int
    kind: str = Field(description="`ordinary`, `extraordinary` or `board`.")
    title: str
    starts_at: datetime
    ends_at: datetime | None
    location: str
    online_url: str
    notice_days: int
    quorum_share: Decimal
    second_quorum_share: Decimal
    max_proxies: int
    status: str = Field(
        description="`draft`, `convened`, `held`, `adjourned`, `closed` or `cancelled`."
    )
    convened_at: datetime | None
    roll_id: int | None
    roll_cutoff_on: date | None
    first_convocation_id: int | None
    second_convocation_id: int | None
    sequence: int = Field(description="The iCalendar SEQUENCE: bumped on every change.")
    quorum: QuorumOut
    url: str
    ical_url: str


class MeetingIn(sdk.ApiModel):
    body_id: int
    kind: str = Field(pattern=KIND)
    title: str = Field(min_length=1, max_length=200)
    starts_at: datetime
    ends_at: datetime | None = None
    location: str = Field(default="", max_length=300)
    online_url: str = Field(default="", max_length=500, pattern=r"^(https://.*)?$")
    notice_days: int | None = Field(
        default=None, ge=0, le=365, description="Default: the association's setting."
    )
    quorum_share: Decimal = Field(default=Decimal("0.5"), ge=0, le=1)
    second_quorum_share: Decimal = Field(default=Decimal("0"), ge=0, le=1)
    max_proxies: int = Field(default=1, ge=0, le=20)


class MeetingPatch(sdk.ApiModel):
    kind: str | None = Field(default=None, pattern=KIND)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str | None = Field(default=None, max_length=300)
    online_url: str | None = Field(default=None, max_length=500, pattern=r"^(https://.*)?$")
    notice_days: int | None = Field(default=None, ge=0, le=365)
    quorum_share: Decimal | None = Field(default=None, ge=0, le=1)
    second_quorum_share: Decimal | None = Field(default=None, ge=0, le=1)
    max_proxies: int | None = Field(default=None, ge=0, le=20)


class MeetingQuery(sdk.PageQuery):
    status: str | None = None
    body_id: int | None = None


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else sdk.to_utc(value)


def quorum_json(meeting: Meeting) -> QuorumOut:
    state = quorum_state(meeting)
    return QuorumOut(
        share=state.ratio,
        roll_size=state.roll_size,
        required=state.required,
        present=state.present,
        represented=state.represented,
        reached=state.reached,
    )


def meeting_json(meeting: Meeting) -> MeetingOut:
    slug = sdk.current_workspace().slug
    second = service.second_of(meeting)
    return MeetingOut(
        id=meeting.id,
        body_id=meeting.body_id,
        kind=meeting.kind,
        title=meeting.title,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location=meeting.location,
        online_url=meeting.online_url,
        notice_days=meeting.notice_days,
        quorum_share=meeting.quorum,
        second_quorum_share=meeting.second_quorum,
        max_proxies=meeting.max_proxies,
        status=meeting.status,
        convened_at=meeting.convened_at,
        roll_id=meeting.roll_id,
        roll_cutoff_on=meeting.roll.cutoff_on if meeting.roll else None,
        first_convocation_id=meeting.first_convocation_id,
        second_convocation_id=second.id if second else None,
        sequence=meeting.sequence,
        quorum=quorum_json(meeting),
        url=sdk.external_url("governance.meeting", workspace=slug, meeting_id=meeting.id),
        ical_url=sdk.external_url("governance.meeting_ics", workspace=slug, meeting_id=meeting.id),
    )


def _meeting(meeting_id: int) -> Meeting:
    """A meeting the caller may see: drafts only for those who convene."""
    meeting = sdk.get_or_404(Meeting, meeting_id)
    if meeting.status == "draft" and not sdk.has_permission(MANAGE_MEETINGS):
        sdk.abort(404)
    return meeting


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List the meetings",
    description="Drafts only for those who convene meetings.",
    query=MeetingQuery,
    response=sdk.Page[MeetingOut],
    tags=TAGS,
)
def list_meetings(query: MeetingQuery) -> dict[str, Any]:
    statement = sdk.scoped(Meeting)
    if not sdk.has_permission(MANAGE_MEETINGS):
        statement = statement.where(Meeting.status != "draft")
    if query.status:
        statement = statement.where(Meeting.status == query.status)
    if query.body_id is not None:
        statement = statement.where(Meeting.body_id == query.body_id)
    return sdk.paginate(
        statement,
        key=Meeting.id,
        serialize=lambda rows: [meeting_json(m) for m in rows],
        query=query,
    )


@sdk.require_permission(MANAGE_MEETINGS)
@sdk.api_operation(
    summary="Create a meeting (a draft)",
    body=MeetingIn,
    response=MeetingOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 422),
)
def create_meeting(body: MeetingIn) -> MeetingOut:
    meeting = service.create_meeting(
        sdk.get_or_404(Body, body.body_id),
        kind=body.kind,
        title=body.title,
        starts_at=sdk.to_utc(body.starts_at),
        ends_at=_utc(body.ends_at),
        location=body.location,
        online_url=body.online_url,
        notice_days=body.notice_days,
        quorum=body.quorum_share,
        second_quorum=body.second_quorum_share,
        max_proxies=body.max_proxies,
    )
    sdk.db.session.commit()
    return meeting_json(meeting)


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="One meeting", response=MeetingOut, tags=TAGS, errors=(404,))
def get_meeting(meeting_id: int) -> MeetingOut:
    return meeting_json(_meeting(meeting_id))


_RENAMED = {"quorum_share": "quorum", "second_quorum_share": "second_quorum"}


@sdk.require_permission(MANAGE_MEETINGS)
@sdk.api_operation(
    summary="Change a meeting",
    description="Draft or convened meetings; only the fields given change. A convened "
    "meeting keeps its notice and its calendar SEQUENCE goes up.",
    body=MeetingPatch,
    response=MeetingOut,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def patch_meeting(meeting_id: int, body: MeetingPatch) -> MeetingOut:
    meeting = sdk.get_or_404(Meeting, meeting_id)
    changes = {}
    for name, value in body.model_dump(exclude_unset=True).items():
        if value is None and name != "ends_at":
            continue
        if name in ("starts_at", "ends_at"):
            value = _utc(value)
        changes[_RENAMED.get(name, name)] = value
    service.update_meeting(meeting, **changes)
    sdk.db.session.commit()
    return meeting_json(meeting)


class TransitionIn(sdk.ApiModel):
    transition: str = Field(description="`convene`, `cancel`, `hold`, `adjourn` or `close`.")
    cutoff_on: date | None = Field(
        default=None, description="`convene`: the electoral roll's cut-off (default: today)."
    )
    reason: str = Field(default="", max_length=2_000, description="`cancel`: mailed.")


@sdk.require_permission(MANAGE_MEETINGS)
@sdk.api_operation(
    summary="Change a meeting's state",
    description="`convene` freezes the roll and mails the convocation (409 `notice_too_short` "
    "when the notice is too short); `cancel` mails the cancellation; `hold` needs the quorum "
    "(409 `quorum_not_reached`), `adjourn` its absence; `close` ends a held meeting.",
    body=TransitionIn,
    response=MeetingOut,
    tags=TAGS,
    errors=(403, 404, 409),
)
def meeting_transition(meeting_id: int, body: TransitionIn) -> MeetingOut:
    meeting = sdk.get_or_404(Meeting, meeting_id)
    if body.transition not in service.TRANSITIONS:
        raise service.refuse_transition(meeting, body.transition)
    if body.transition == "convene":
        service.convene(meeting, body.cutoff_on)
    elif body.transition == "cancel":
        service.cancel(meeting, body.reason)
    else:
        {"hold": service.hold, "adjourn": service.adjourn, "close": service.close}[body.transition](
            meeting
        )
    sdk.db.session.commit()
    return meeting_json(meeting)


class SecondConvocationIn(sdk.ApiModel):
    starts_at: datetime
    ends_at: datetime | None = None
    notice_days: int | None = Field(default=None, ge=0, le=365)


@sdk.require_permission(MANAGE_MEETINGS)
@sdk.api_operation(
    summary="Prepare the second convocation of an adjourned meeting",
    description="A new draft meeting with the reduced quorum, the same agenda and the first "
    "one's roll; convene it with its own notice.",
    body=SecondConvocationIn,
    response=MeetingOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def create_second_convocation(meeting_id: int, body: SecondConvocationIn) -> MeetingOut:
    again = service.second_convocation(
        sdk.get_or_404(Meeting, meeting_id),
        sdk.to_utc(body.starts_at),
        _utc(body.ends_at),
        body.notice_days,
    )
    sdk.db.session.commit()
    return meeting_json(again)


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="A meeting's quorum now", response=QuorumOut, tags=TAGS, errors=(404,))
def get_quorum(meeting_id: int) -> QuorumOut:
    return quorum_json(_meeting(meeting_id))


# -- agenda ---------------------------------------------------------------------------------------
class AgendaItemOut(sdk.ApiModel):
    id: int
    meeting_id: int
    position: int
    title: str
    description: str


class AgendaItemIn(sdk.ApiModel):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=20_000)
    position: int | None = Field(default=None, ge=0, le=10_000, description="Default: last.")


class AgendaItemPatch(sdk.ApiModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=20_000)
    position: int | None = Field(default=None, ge=0, le=10_000)


def item_json(item: AgendaItem) -> AgendaItemOut:
    return AgendaItemOut(
        id=item.id,
        meeting_id=item.meeting_id,
        position=item.position,
        title=item.title,
        description=item.description,
    )


class AgendaOut(sdk.ApiModel):
    items: list[AgendaItemOut]


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="A meeting's agenda, in order", response=AgendaOut, tags=TAGS, errors=(404,)
)
def list_agenda(meeting_id: int) -> AgendaOut:
    return AgendaOut(items=[item_json(i) for i in _meeting(meeting_id).agenda])


@sdk.require_permission(MANAGE_MEETINGS)
@sdk.api_operation(
    summary="Add an agenda item",
    body=AgendaItemIn,
    response=AgendaItemOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409),
)
def create_agenda_item(meeting_id: int, body: AgendaItemIn) -> AgendaItemOut:
    meeting = sdk.get_or_404(Meeting, meeting_id)
    item = service.add_agenda_item(meeting, body.title, body.description)
    if body.position is not None:
        service.move_agenda_item(item, body.position)
    sdk.db.session.commit()
    return item_json(item)


@sdk.require_permission(MANAGE_MEETINGS)
@sdk.api_operation(
    summary="Change or move an agenda item",
    body=AgendaItemPatch,
    response=AgendaItemOut,
    tags=TAGS,
    errors=(403, 404, 409),
)
def patch_agenda_item(item_id: int, body: AgendaItemPatch) -> AgendaItemOut:
    item = sdk.get_or_404(AgendaItem, item_id)
    if body.title is not None or body.description is not None:
        service.update_agenda_item(
            item,
            body.title if body.title is not None else item.title,
            body.description if body.description is not None else item.description,
        )
    if body.position is not None:
        service.move_agenda_item(item, body.position)
    sdk.db.session.commit()
    return item_json(item)


@sdk.require_permission(MANAGE_MEETINGS)
@sdk.api_operation(
    summary="Remove an agenda item (drafts only)", status=204, tags=TAGS, errors=(403, 404, 409)
)
def delete_agenda_item(item_id: int) -> None:
    service.delete_agenda_item(sdk.get_or_404(AgendaItem, item_id))
    sdk.db.session.commit()


# -- attendance -----------------------------------------------------------------------------------
class AttendanceOut(sdk.ApiModel):
    member_id: int
    member_name: str
    on_roll: bool
    rsvp: str | None = Field(description="`yes`, `no`, `maybe` or null.")
    presence: str | None = Field(description="`in_room`, `online` or null (absent).")
    signed_at: datetime | None


class AttendanceIn(sdk.ApiModel):
    rsvp: str | None = Field(default=None, pattern="^(yes|no|maybe)$")
    presence: str | None = Field(
        default=None,
        pattern="^(in_room|online|absent)$",
        description="The attendance sheet (those who convene only); `absent` clears it.",
    )


class AttendanceList(sdk.ApiModel):
    items: list[AttendanceOut]


def _attendance_json(
    meeting: Meeting, member: Member, row: MeetingAttendance | None, roll: set[int]
) -> AttendanceOut:
    return AttendanceOut(
        member_id=member.id,
        member_name=member.name,
        on_roll=member.id in roll,
        rsvp=row.rsvp if row else None,
        presence=row.presence if row else None,
        signed_at=row.signed_at if row else None,
    )


@sdk.require_permission(MANAGE_MEETINGS)
@sdk.api_operation(
    summary="The attendance sheet",
    description="Every member convened, with their answer and presence.",
    response=AttendanceList,
    tags=TAGS,
    errors=(403, 404),
)
def list_attendance(meeting_id: int) -> AttendanceList:
    meeting = sdk.get_or_404(Meeting, meeting_id)
    rows = service.attendance_rows(meeting)
    roll = service.roll_member_ids(meeting)
    return AttendanceList(
        items=[
            _attendance_json(meeting, m, rows.get(m.id), roll) for m in service.entitled(meeting)
        ]
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="Answer the convocation, or mark a member on the sheet",
    description="A member sets their own `rsvp`; those who convene set anyone's `rsvp` and "
    "`presence`.",
    body=AttendanceIn,
    response=AttendanceOut,
    tags=TAGS,
    errors=(403, 404, 409),
)
def put_attendance(meeting_id: int, member_id: int, body: AttendanceIn) -> AttendanceOut:
    meeting = _meeting(meeting_id)
    member = sdk.get_or_404(Member, member_id)
    manages = sdk.has_permission(MANAGE_MEETINGS)
    if not manages and (member.user_id != sdk.current_user.id or body.presence is not None):
        raise sdk.ApiError(
            "forbidden",
            sdk._("You may only answer for yourself."),
            403,
            {"permission": MANAGE_MEETINGS},
        )
    row = None
    if body.rsvp is not None:
        row = service.rsvp(meeting, member, body.rsvp)
    if body.presence is not None:
        presence = None if body.presence == "absent" else body.presence
        row = service.mark_presence(meeting, member, presence)
    sdk.db.session.commit()
    rows = service.attendance_rows(meeting)
    return _attendance_json(
        meeting, member, row or rows.get(member.id), service.roll_member_ids(meeting)
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="Check in online (yourself)",
    description="From an hour before the start to the end (409 `check_in_closed` otherwise).",
    response=AttendanceOut,
    tags=TAGS,
    errors=(403, 404, 409),
)
def check_in(meeting_id: int) -> AttendanceOut:
    meeting = _meeting(meeting_id)
    member = service.member_of(sdk.current_user)
    if member is None:
        raise sdk.ApiError("forbidden", sdk._("Your account is not on the member registry."), 403)
    row = service.check_in(meeting, member)
    sdk.db.session.commit()
    return _attendance_json(meeting, member, row, service.roll_member_ids(meeting))


# -- proxies --------------------------------------------------------------------------------------
class ProxyOut(sdk.ApiModel):
    id: int
    meeting_id: int
    principal_id: int
    principal_name: str
    holder_id: int
    holder_name: str
    created_at: datetime


class ProxyIn(sdk.ApiModel):
    holder_id: int
    principal_id: int | None = Field(
        default=None, description="Those who convene record anyone's; omitted: yourself."
    )


class ProxyList(sdk.ApiModel):
    items: list[ProxyOut]


def proxy_json(proxy: Proxy) -> ProxyOut:
    return ProxyOut(
        id=proxy.id,
        meeting_id=proxy.meeting_id,
        principal_id=proxy.principal_id,
        principal_name=proxy.principal.name,
        holder_id=proxy.holder_id,
        holder_name=proxy.holder.name,
        created_at=proxy.created_at,
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="A meeting's proxies",
    description="Those who convene see all; a member those they gave or hold.",
    response=ProxyList,
    tags=TAGS,
    errors=(404,),
)
def list_proxies(meeting_id: int) -> ProxyList:
    meeting = _meeting(meeting_id)
    rows = service.proxies(meeting)
    if not sdk.has_permission(MANAGE_MEETINGS):
        me = service.member_of(sdk.current_user)
        rows = [p for p in rows if me and me.id in (p.principal_id, p.holder_id)]
    return ProxyList(items=[proxy_json(p) for p in rows])


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="Give a proxy",
    description="Refused with 409: `proxy_to_self` (422), `not_on_roll`, `proxy_chain`, "
    "`too_many_proxies`, `proxy_exists`, `principal_present`.",
    body=ProxyIn,
    response=ProxyOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409, 422),
)
def create_proxy(meeting_id: int, body: ProxyIn) -> ProxyOut:
    meeting = _meeting(meeting_id)
    if sdk.has_permission(MANAGE_MEETINGS) and body.principal_id is not None:
        principal = sdk.get_or_404(Member, body.principal_id)
    else:
        principal = service.member_of(sdk.current_user)
        if principal is None or body.principal_id not in (None, principal.id):
            raise sdk.ApiError(
                "forbidden",
                sdk._("You may only give your own proxy."),
                403,
                {"permission": MANAGE_MEETINGS},
            )
    proxy = service.give_proxy(meeting, principal, sdk.get_or_404(Member, body.holder_id))
    sdk.db.session.commit()
    return proxy_json(proxy)


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="Withdraw a proxy", status=204, tags=TAGS, errors=(403, 404, 409))
def delete_proxy(proxy_id: int) -> None:
    proxy = sdk.get_or_404(Proxy, proxy_id)
    if not sdk.has_permission(MANAGE_MEETINGS):
        me = service.member_of(sdk.current_user)
        if me is None or me.id != proxy.principal_id:
            raise sdk.ApiError(
                "forbidden",
                sdk._("You may only withdraw your own proxy."),
                403,
                {"permission": MANAGE_MEETINGS},
            )
    service.withdraw_proxy(proxy)
    sdk.db.session.commit()


# -- documents ------------------------------------------------------------------------------------
class DocumentOut(sdk.ApiModel):
    id: int
    meeting_id: int
    title: str
    filename: str
    content_type: str
    created_at: datetime
    file_url: str = Field(description="The file itself, with the same bearer token.")


class DocumentList(sdk.ApiModel):
    items: list[DocumentOut]


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="A meeting's documents",
    description="PDF files attached on the meeting's page (uploads are checked by content).",
    response=DocumentList,
    tags=TAGS,
    errors=(404,),
)
def list_documents(meeting_id: int) -> DocumentList:
    meeting = _meeting(meeting_id)
    slug = sdk.current_workspace().slug
    return DocumentList(
        items=[
            DocumentOut(
                id=d.id,
                meeting_id=d.meeting_id,
                title=d.title,
                filename=d.filename,
                content_type=d.content_type,
                created_at=d.created_at,
                file_url=sdk.external_url(
                    "governance_api.document_file", workspace=slug, document_id=d.id
                ),
            )
            for d in service.documents(meeting)
        ]
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="A meeting document's file", tags=TAGS, errors=(404,))
def document_file(document_id: int) -> Any:
    document = sdk.get_or_404(MeetingDocument, document_id)
    _meeting(document.meeting_id)
    return sdk.send_upload(document.file_key, download_name=document.filename)
