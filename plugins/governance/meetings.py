"""Meetings: general assemblies (ordinary, extraordinary) and board meetings, from the draft to
the convocation, the attendance sheet and proxies on the day, to held, adjourned or cancelled.

Convening checks the statutory notice (``notice_days`` whole days between the convocation and
the meeting's day, both in the workspace's time zone), freezes the electoral roll at the cut-off
date (a general assembly: the members up to date with their dues then, ``roll.freeze_roll``; a
board: the body's office holders on the meeting's day) and mails every member entitled to
attend, in their own language. The quorum (``quorum.quorum_state``) counts the roll's members
present or represented by a proxy.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ent_plugins.governance import roll
from ent_plugins.governance.mandates import running_on
from ent_plugins.governance.models import (
    AgendaItem,
    Body,
    ElectoralRoll,
    Mandate,
    Meeting,
    MeetingAttendance,
    MeetingDocument,
    Member,
    Office,
    Proxy,
    RollEntry,
)
from ent_plugins.governance.quorum import quorum_state
from flask import render_template
from flask_babel import force_locale
from sqlalchemy import func, or_, select, update

from ent_core import sdk

_ = sdk._
_l = sdk._l

KINDS = {
    "ordinary": _l("Ordinary general assembly"),
    "extraordinary": _l("Extraordinary general assembly"),
    "board": _l("Board meeting"),
}
STATUSES = {
    "draft": _l("Draft"),
    "convened": _l("Convened"),
    "held": _l("Held"),
    "adjourned": _l("Adjourned (no quorum)"),
    "closed": _l("Closed"),
    "cancelled": _l("Cancelled"),
}
RSVP = {"yes": _l("I will attend"), "no": _l("I will not attend"), "maybe": _l("Maybe")}
PRESENCE = {"in_room": _l("In the room"), "online": _l("Online")}
#: What each transition of the API and the pages may start from.
TRANSITIONS = {
    "convene": ("draft",),
    "cancel": ("draft", "convened"),
    "hold": ("convened",),
    "adjourn": ("convened",),
    "close": ("held",),
}
#: Online self check-in opens this long before the start.
CHECK_IN_EARLY = timedelta(hours=1)
#: ... and closes at the end, or this long after the start when no end is set.
CHECK_IN_LATE = timedelta(hours=12)
DOCUMENT_TYPES = ("application/pdf",)


class MeetingError(sdk.UserError):
    """A meeting change the statutes, the calendar or the meeting's state refuse."""

    default_status = 409


def refuse_transition(meeting: Meeting, name: str) -> MeetingError:
    allowed = [t for t, sources in TRANSITIONS.items() if meeting.status in sources]
    return MeetingError(
        "invalid_transition",
        _(
            "This change is not possible for a meeting that is %(status)s.",
            status=str(STATUSES[meeting.status]).lower(),
        ),
        details={"allowed": allowed, "transition": name},
    )


def _require(meeting: Meeting, name: str) -> None:
    if meeting.status not in TRANSITIONS[name]:
        raise refuse_transition(meeting, name)


def meeting_day(meeting: Meeting) -> date:
    """The date of the meeting on the workspace's calendar."""
    return sdk.to_local(meeting.starts_at).date()


def editable(meeting: Meeting) -> bool:
    return meeting.status in ("draft", "convened")


def _editable(meeting: Meeting) -> None:
    if not editable(meeting):
        raise MeetingError(
            "meeting_closed",
            _(
                "This meeting is %(status)s: it can no longer be changed.",
                status=str(STATUSES[meeting.status]).lower(),
            ),
        )


# -- creating and editing -------------------------------------------------------------------------
def default_notice_days() -> int:
    return int(sdk.plugin_settings("governance").get("notice_days", 15))


def _check(
    body: Body,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None,
    quorum: Decimal,
    second_quorum: Decimal,
    max_proxies: int,
    notice_days: int,
) -> None:
    def invalid(message: str, field: str) -> MeetingError:
        return MeetingError("validation_error", message, 422, field=field)

    if kind not in KINDS:
        raise invalid(_("Choose a kind of meeting."), "kind")
    if (kind == "board") == (body.kind == "general_assembly"):
        raise invalid(
            _(
                "A general assembly meets as the general assembly; a board meeting as a board or "
                "bureau."
            ),
            "body_id",
        )
    if not title.strip():
        raise invalid(_("Give the meeting a title."), "title")
    if starts_at.tzinfo is None:
        raise ValueError("starts_at must be aware: convert with sdk.to_utc")
    if ends_at is not None and ends_at <= starts_at:
        raise invalid(_("The meeting must end after it starts."), "ends_at")
    for name, value in (("quorum", quorum), ("second_quorum", second_quorum)):
        if not Decimal(0) <= value <= Decimal(1):
            raise invalid(_("A quorum is a share between 0 and 1 (0.5 is half)."), name)
    if not 0 <= max_proxies <= 20:
        raise invalid(_("A member may hold 0 to 20 proxies."), "max_proxies")
    if not 0 <= notice_days <= 365:
        raise invalid(_("The notice is 0 to 365 days."), "notice_days")


def create_meeting(
    body: Body,
    *,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    location: str = "",
    online_url: str = "",
    notice_days: int | None = None,
    quorum: Decimal = Decimal("0.5"),
    second_quorum: Decimal = Decimal("0"),
    max_proxies: int = 1,
    first_convocation_id: int | None = None,
) -> Meeting:
    """A draft meeting; ``starts_at`` is aware (``sdk.to_utc`` of what was typed)."""
    if notice_days is None:
        notice_days = default_notice_days()
    _check(body, kind, title, starts_at, ends_at, quorum, second_quorum, max_proxies, notice_days)
    meeting = Meeting(
        body_id=body.id,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        online_url=online_url.strip(),
        notice_days=notice_days,
        quorum=quorum,
        second_quorum=second_quorum,
        max_proxies=max_proxies,
        first_convocation_id=first_convocation_id,
        status="draft",
        sequence=0,
    )
    sdk.db.session.add(meeting)
    sdk.db.session.flush()
    sdk.audit("governance.meeting_created", subject=f"governance_meeting:{meeting.id}")
    return meeting


#: Changes a calendar must see (SEQUENCE + 1) and a convened member must be told about.
_CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "location", "online_url")


def update_meeting(meeting: Meeting, **changes: Any) -> Meeting:
    """Change a draft or convened meeting; a convened meeting moved to another day keeps its
    notice (or the change is refused) and its calendar entry's SEQUENCE goes up."""
    _editable(meeting)
    values = {
        "kind": meeting.kind,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "quorum": meeting.quorum,
        "second_quorum": meeting.second_quorum,
        "max_proxies": meeting.max_proxies,
        "notice_days": meeting.notice_days,
        "location": meeting.location,
        "online_url": meeting.online_url,
    }
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    values.update({k: v for k, v in changes.items()})
    if meeting.status == "convened" and values["kind"] != meeting.kind:
        raise MeetingError(
            "meeting_convened", _("A convened meeting keeps its kind."), field="kind"
        )
    _check(
        meeting.body,
        values["kind"],
        values["title"],
        values["starts_at"],
        values["ends_at"],
        values["quorum"],
        values["second_quorum"],
        values["max_proxies"],
        values["notice_days"],
    )
    moved = any(values[f] != getattr(meeting, f) for f in _CALENDAR_FIELDS)
    if meeting.status == "convened" and values["starts_at"] != meeting.starts_at:
        day = sdk.to_local(values["starts_at"]).date()
        convened_on = sdk.to_local(meeting.convened_at or sdk.utcnow()).date()
        if (day - convened_on).days < meeting.notice_days:
            raise MeetingError(
                "notice_too_short",
                _(
                    "Members were convened on %(day)s: with %(days)d days of notice the meeting "
                    "cannot take place before %(earliest)s.",
                    day=sdk.format_date(convened_on),
                    days=meeting.notice_days,
                    earliest=sdk.format_date(convened_on + timedelta(days=meeting.notice_days)),
                ),
                field="starts_at",
            )
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(meeting, name, value)
    if moved:
        meeting.sequence += 1
        if meeting.status == "convened":
            sdk.db.session.flush()
            _mail(meeting, entitled(meeting), "governance/meetings/mail_update.txt")
    return meeting


# -- agenda and documents -------------------------------------------------------------------------
def add_agenda_item(meeting: Meeting, title: str, description: str = "") -> AgendaItem:
    _editable(meeting)
    if not title.strip():
        raise MeetingError("validation_error", _("Give the item a title."), 422, field="title")
    position = max((i.position for i in meeting.agenda), default=-1) + 1
    item = AgendaItem(
        meeting_id=meeting.id,
        title=title.strip(),
        description=description.strip(),
        position=position,
    )
    sdk.db.session.add(item)
    sdk.db.session.flush()
    sdk.db.session.refresh(meeting, ["agenda"])
    return item


def update_agenda_item(item: AgendaItem, title: str, description: str) -> AgendaItem:
    _editable(item.meeting)
    if not title.strip():
        raise MeetingError("validation_error", _("Give the item a title."), 422, field="title")
    item.title, item.description = title.strip(), description.strip()
    return item


def move_agenda_item(item: AgendaItem, position: int) -> None:
    """Put ``item`` at ``position`` (0 first) and number the agenda again from 0."""
    meeting = item.meeting
    _editable(meeting)
    items = [i for i in meeting.agenda if i.id != item.id]
    position = max(0, min(position, len(items)))
    items.insert(position, item)
    for index, each in enumerate(items):
        each.position = index


def delete_agenda_item(item: AgendaItem) -> None:
    meeting = item.meeting
    if meeting.status != "draft":
        raise MeetingError(
            "meeting_convened",
            _(
                "The agenda of a convened meeting was sent to the members: an item cannot be "
                "removed any more."
            ),
        )
    sdk.db.session.delete(item)
    sdk.db.session.flush()
    sdk.db.session.refresh(meeting, ["agenda"])
    for index, each in enumerate(meeting.agenda):
        each.position = index


def add_document(meeting: Meeting, title: str, stored: Any) -> MeetingDocument:
    """Attach a stored upload (``sdk.store_upload`` checked it) to the meeting."""
    _editable(meeting)
    document = MeetingDocument(
        meeting_id=meeting.id,
        title=title.strip() or (stored.original_name or ""),
        file_key=stored.key,
        filename=stored.original_name or f"document.{stored.key.rsplit('.', 1)[-1]}",
        content_type=stored.content_type,
    )
    sdk.db.session.add(document)
    sdk.db.session.flush()
    return document


def delete_document(document: MeetingDocument) -> None:
    """Detach a document while the meeting can still change (the stored bytes stay: uploads
    are kept by content and may be shared)."""
    _editable(sdk.db.session.get(Meeting, document.meeting_id))
    sdk.db.session.delete(document)
    sdk.db.session.flush()


def documents(meeting: Meeting) -> list[MeetingDocument]:
    return list(
        sdk.db.session.scalars(
            sdk.scoped(MeetingDocument)
            .where(MeetingDocument.meeting_id == meeting.id)
            .order_by(MeetingDocument.id)
        )
    )


# -- who is convened ------------------------------------------------------------------------------
def _active_on(day: date) -> Any:
    return sdk.scoped(Member).where(
        Member.joined_on <= day, or_(Member.left_on.is_(None), Member.left_on > day)
    )


def _entitled_select(meeting: Meeting) -> Any:
    day = meeting_day(meeting)
    if meeting.body.kind == "general_assembly":
        return _active_on(day)
    holders = (
        running_on(day)
        .join(Mandate.office)
        .where(Office.body_id == meeting.body_id)
        .with_only_columns(Mandate.member_id)
    )
    return sdk.scoped(Member).where(Member.id.in_(holders))


def entitled(meeting: Meeting) -> list[Member]:
    """Who is convened: every member of the association on the meeting's day for a general
    assembly; the body's office holders that day for a board or bureau meeting."""
    statement = _entitled_select(meeting).order_by(Member.name, Member.id)
    return list(sdk.db.session.scalars(statement))


def is_entitled(meeting: Meeting, member: Member) -> bool:
    statement = _entitled_select(meeting).where(Member.id == member.id)
    return sdk.db.session.scalar(statement) is not None


def roll_member_ids(meeting: Meeting) -> set[int]:
    return roll.roll_member_ids(meeting.roll_id)


def _freeze_board_roll(meeting: Meeting, cutoff_on: date) -> ElectoralRoll:
    """A board decides among its office holders: the roll is who holds an office that day."""
    frozen = ElectoralRoll(cutoff_on=cutoff_on, frozen_at=sdk.utcnow())
    sdk.db.session.add(frozen)
    sdk.db.session.flush()
    for member in entitled(meeting):
        sdk.db.session.add(RollEntry(roll_id=frozen.id, member_id=member.id))
    sdk.db.session.flush()
    return frozen


def _freeze(meeting: Meeting, cutoff_on: date) -> int:
    first = meeting.first_convocation_id and sdk.db.session.get(
        Meeting, meeting.first_convocation_id
    )
    if first and first.roll_id is not None:
        return first.roll_id  # a second convocation counts on the first one's roll
    if meeting.body.kind == "general_assembly":
        return roll.freeze_roll(cutoff_on).id
    return _freeze_board_roll(meeting, cutoff_on).id


# -- convening and cancelling ---------------------------------------------------------------------
def latest_convocation_day(meeting: Meeting) -> date:
    return meeting_day(meeting) - timedelta(days=meeting.notice_days)


def convene(meeting: Meeting, cutoff_on: date | None = None) -> list[Member]:
    """Freeze the roll and mail the convocation; returns who was convened."""
    _require(meeting, "convene")
    today = sdk.local_today()
    if today > latest_convocation_day(meeting):
        raise MeetingError(
            "notice_too_short",
            _(
                "The statutes require %(days)d days of notice: this meeting had to be convened "
                "by %(latest)s. Move it to %(earliest)s or later.",
                days=meeting.notice_days,
                latest=sdk.format_date(latest_convocation_day(meeting)),
                earliest=sdk.format_date(today + timedelta(days=meeting.notice_days)),
            ),
            details={
                "notice_days": meeting.notice_days,
                "latest_on": latest_convocation_day(meeting).isoformat(),
            },
        )
    if not meeting.agenda:
        raise MeetingError("agenda_empty", _("Write the agenda first: the convocation carries it."))
    cutoff_on = cutoff_on or today
    if cutoff_on > meeting_day(meeting):
        raise MeetingError(
            "validation_error",
            _("The cut-off date cannot come after the meeting."),
            422,
            field="cutoff_on",
        )
    meeting.roll_id = _freeze(meeting, cutoff_on)
    meeting.status = "convened"
    meeting.convened_at = sdk.utcnow()
    meeting.sequence += 1
    sdk.db.session.flush()
    people = entitled(meeting)
    _mail(meeting, people, "governance/meetings/mail_convocation.txt")
    sdk.audit("governance.meeting_convened", subject=f"governance_meeting:{meeting.id}")
    return people


def cancel(meeting: Meeting, reason: str = "") -> None:
    """Call the meeting off; convened members are told by mail, calendars see CANCELLED."""
    _require(meeting, "cancel")
    was_convened = meeting.status == "convened"
    meeting.status = "cancelled"
    meeting.sequence += 1
    sdk.db.session.flush()
    if was_convened:
        _mail(
            meeting,
            entitled(meeting),
            "governance/meetings/mail_cancellation.txt",
            reason=reason.strip(),
        )
    sdk.audit("governance.meeting_cancelled", subject=f"governance_meeting:{meeting.id}")


def _subject(meeting: Meeting, template: str) -> str:
    if template.endswith("mail_cancellation.txt"):
        return _("Cancelled: %(title)s", title=meeting.title)
    if template.endswith("mail_update.txt"):
        return _("Changed: %(title)s", title=meeting.title)
    return _("Convocation: %(title)s", title=meeting.title)


def _mail(meeting: Meeting, people: list[Member], template: str, **context: Any) -> None:
    """One mail each, rendered in the member's language (members without an address are
    convened on paper by the secretary)."""
    workspace = sdk.current_workspace()
    url = sdk.external_url("governance.meeting", workspace=workspace.slug, meeting_id=meeting.id)
    ical = sdk.external_url(
        "governance.meeting_ics", workspace=workspace.slug, meeting_id=meeting.id
    )
    agenda = list(meeting.agenda)
    mails = []
    for member in people:
        if not member.email:
            continue
        with force_locale(member.language or "fr"):
            text = render_template(
                template,
                meeting=meeting,
                member=member,
                workspace=workspace,
                agenda=agenda,
                when=sdk.format_datetime(meeting.starts_at, "full"),
                kind=str(KINDS[meeting.kind]),
                url=url,
                ical_url=ical,
                **context,
            )
            subject = _subject(meeting, template)
        mails.append(sdk.Mail(member.email, subject, text))
    if mails:
        sdk.send_mails(mails)


# -- answers, presence, proxies -------------------------------------------------------------------
def _attendance(meeting: Meeting, member: Member) -> MeetingAttendance:
    row = sdk.db.session.scalar(
        sdk.scoped(MeetingAttendance).where(
            MeetingAttendance.meeting_id == meeting.id, MeetingAttendance.member_id == member.id
        )
    )
    if row is None:
        row = MeetingAttendance(meeting_id=meeting.id, member_id=member.id)
        sdk.db.session.add(row)
    return row


def attendance_rows(meeting: Meeting) -> dict[int, MeetingAttendance]:
    return {
        a.member_id: a
        for a in sdk.db.session.scalars(
            sdk.scoped(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id)
        )
    }


def _convened(meeting: Meeting) -> None:
    if meeting.status != "convened":
        raise MeetingError(
            "meeting_not_convened",
            _("This meeting is not convened: there is nothing to answer or sign yet, or any more."),
        )


def _entitled_member(meeting: Meeting, member: Member) -> None:
    if not is_entitled(meeting, member):
        raise MeetingError(
            "not_convened",
            _("%(name)s is not convened to this meeting.", name=member.name),
            403,
            field="member_id",
        )


def rsvp(meeting: Meeting, member: Member, answer: str) -> MeetingAttendance:
    _convened(meeting)
    if answer not in RSVP:
        raise MeetingError("validation_error", _("Answer yes, no or maybe."), 422, field="rsvp")
    _entitled_member(meeting, member)
    row = _attendance(meeting, member)
    row.rsvp = answer
    return row


def mark_presence(meeting: Meeting, member: Member, presence: str | None) -> MeetingAttendance:
    """The secretary's attendance sheet: in the room, online, or absent (``None``)."""
    _convened(meeting)
    if presence is not None and presence not in PRESENCE:
        raise MeetingError(
            "validation_error", _("In the room, online or absent."), 422, field="presence"
        )
    _entitled_member(meeting, member)
    row = _attendance(meeting, member)
    if presence is not None and _proxy_of(meeting, member) is not None:
        withdraw_proxy(_proxy_of(meeting, member))  # a principal who came votes in person
    row.presence = presence
    row.signed_at = sdk.utcnow() if presence else None
    return row


def check_in_window(meeting: Meeting) -> tuple[datetime, datetime]:
    end = meeting.ends_at or meeting.starts_at + CHECK_IN_LATE
    return meeting.starts_at - CHECK_IN_EARLY, end


def check_in(meeting: Meeting, member: Member) -> MeetingAttendance:
    """A member following online signs the sheet themself, from an hour before the start."""
    _convened(meeting)
    opens, closes = check_in_window(meeting)
    if not opens <= sdk.utcnow() <= closes:
        raise MeetingError(
            "check_in_closed",
            _("Online check-in opens an hour before the meeting starts and closes when it ends."),
        )
    row = mark_presence(meeting, member, "online")
    return row


def _proxy_of(meeting: Meeting, principal: Member) -> Proxy | None:
    return sdk.db.session.scalar(
        sdk.scoped(Proxy).where(Proxy.meeting_id == meeting.id, Proxy.principal_id == principal.id)
    )


def proxies(meeting: Meeting) -> list[Proxy]:
    return list(
        sdk.db.session.scalars(
            sdk.scoped(Proxy).where(Proxy.meeting_id == meeting.id).order_by(Proxy.id)
        )
    )


def give_proxy(meeting: Meeting, principal: Member, holder: Member) -> Proxy:
    """``holder`` attends and votes for ``principal``: both on the roll, never oneself, at
    most ``max_proxies`` a holder, and no chains (a holder who gave their proxy away holds
    none, and one who holds proxies cannot give theirs)."""
    _convened(meeting)
    # One writer at a time per meeting, so that two proxies given at once never exceed the
    # cap: a no-op UPDATE of the meeting's row locks it on PostgreSQL and takes SQLite's write
    # lock, and the checks below then read what the writers before committed.
    sdk.db.session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id)
        .values(sequence=Meeting.sequence, updated_at=Meeting.updated_at)
        .execution_options(synchronize_session=False)
    )
    if principal.id == holder.id:
        raise MeetingError(
            "proxy_to_self",
            _("A member cannot give their proxy to themself."),
            422,
            field="holder_id",
        )
    roll = roll_member_ids(meeting)
    for person, field in ((principal, "principal_id"), (holder, "holder_id")):
        if person.id not in roll:
            raise MeetingError(
                "not_on_roll",
                _("%(name)s is not on this meeting's electoral roll.", name=person.name),
                field=field,
            )
    present = attendance_rows(meeting).get(principal.id)
    if present is not None and present.presence:
        raise MeetingError(
            "principal_present",
            _("%(name)s is present and votes in person.", name=principal.name),
            field="principal_id",
        )
    if _proxy_of(meeting, principal) is not None:
        raise MeetingError(
            "proxy_exists",
            _("%(name)s has already given a proxy: withdraw it first.", name=principal.name),
            field="principal_id",
        )
    if _proxy_of(meeting, holder) is not None:
        raise MeetingError(
            "proxy_chain",
            _("%(name)s gave their own proxy away and cannot hold one.", name=holder.name),
            field="holder_id",
        )
    held_by_principal = sdk.db.session.scalar(
        select(func.count(Proxy.id)).where(
            Proxy.meeting_id == meeting.id, Proxy.holder_id == principal.id
        )
    )
    if held_by_principal:
        raise MeetingError(
            "proxy_chain",
            _(
                "%(name)s holds proxies of other members and cannot give their own.",
                name=principal.name,
            ),
            field="principal_id",
        )
    held = sdk.db.session.scalar(
        select(func.count(Proxy.id)).where(
            Proxy.meeting_id == meeting.id, Proxy.holder_id == holder.id
        )
    )
    if held >= meeting.max_proxies:
        raise MeetingError(
            "too_many_proxies",
            sdk.ngettext(
                "%(name)s already holds %(num)d proxy, the most a member may hold.",
                "%(name)s already holds %(num)d proxies, the most a member may hold.",
                meeting.max_proxies,
                name=holder.name,
            ),
            field="holder_id",
            details={"max_proxies": meeting.max_proxies},
        )
    proxy = Proxy(meeting_id=meeting.id, principal_id=principal.id, holder_id=holder.id)
    sdk.db.session.add(proxy)
    sdk.db.session.flush()
    sdk.audit("governance.proxy_given", subject=f"governance_proxy:{proxy.id}")
    return proxy


def withdraw_proxy(proxy: Proxy) -> None:
    meeting = sdk.db.session.get(Meeting, proxy.meeting_id)
    _convened(meeting)
    sdk.db.session.delete(proxy)
    sdk.db.session.flush()
    sdk.audit("governance.proxy_withdrawn", subject=f"governance_meeting:{proxy.meeting_id}")


# -- the day's outcome ----------------------------------------------------------------------------
def hold(meeting: Meeting) -> None:
    """The meeting took place: only with its quorum."""
    _require(meeting, "hold")
    state = quorum_state(meeting)
    if not state.reached:
        raise MeetingError(
            "quorum_not_reached",
            _(
                "The quorum is not reached (%(present)d of %(required)d): adjourn the meeting and "
                "convene it again.",
                present=state.present + state.represented,
                required=state.required,
            ),
            details={
                "required": state.required,
                "present": state.present,
                "represented": state.represented,
            },
        )
    meeting.status = "held"
    meeting.sequence += 1
    sdk.audit("governance.meeting_held", subject=f"governance_meeting:{meeting.id}")


def adjourn(meeting: Meeting) -> None:
    """The quorum was not reached: the meeting cannot deliberate."""
    _require(meeting, "adjourn")
    if quorum_state(meeting).reached:
        raise MeetingError("quorum_reached", _("The quorum is reached: the meeting can be held."))
    meeting.status = "adjourned"
    meeting.sequence += 1
    sdk.audit("governance.meeting_adjourned", subject=f"governance_meeting:{meeting.id}")


def close(meeting: Meeting) -> None:
    _require(meeting, "close")
    meeting.status = "closed"
    sdk.audit("governance.meeting_closed", subject=f"governance_meeting:{meeting.id}")


def second_convocation(
    meeting: Meeting,
    starts_at: datetime,
    ends_at: datetime | None = None,
    notice_days: int | None = None,
) -> Meeting:
    """A new draft meeting for an adjourned one, with the reduced quorum (``second_quorum``),
    the same agenda and its own notice; it counts on the first one's frozen roll."""
    if meeting.status != "adjourned":
        raise MeetingError(
            "not_adjourned",
            _("Only a meeting adjourned for want of a quorum is convened a second time."),
        )
    existing = second_of(meeting)
    if existing is not None:
        raise MeetingError(
            "second_convocation_exists",
            _("This meeting already has its second convocation."),
            details={"meeting_id": existing.id},
        )
    again = create_meeting(
        meeting.body,
        kind=meeting.kind,
        title=_("%(title)s (second convocation)", title=meeting.title)[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        location=meeting.location,
        online_url=meeting.online_url,
        notice_days=meeting.notice_days if notice_days is None else notice_days,
        quorum=meeting.second_quorum,
        second_quorum=meeting.second_quorum,
        max_proxies=meeting.max_proxies,
        first_convocation_id=meeting.id,
    )
    if starts_at <= meeting.starts_at:
        raise MeetingError(
            "validation_error",
            _("The second convocation comes after the first meeting."),
            422,
            field="starts_at",
        )
    for item in meeting.agenda:
        sdk.db.session.add(
            AgendaItem(
                meeting_id=again.id,
                position=item.position,
                title=item.title,
                description=item.description,
            )
        )
    sdk.db.session.flush()
    sdk.db.session.refresh(again, ["agenda"])
    return again


def second_of(meeting: Meeting) -> Meeting | None:
    return sdk.db.session.scalar(
        sdk.scoped(Meeting).where(Meeting.first_convocation_id == meeting.id)
    )


def member_of(user: Any) -> Member | None:
    """The registry's entry of a signed-in person, if they have one here."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return sdk.db.session.scalar(
        sdk.scoped(Member).where(Member.user_id == user.id).order_by(Member.id)
    )
