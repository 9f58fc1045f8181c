"""Meetings' pages: the list, a meeting with its agenda and documents, convening, the
attendance sheet and proxies, the day's outcome, and the calendars."""

from __future__ import annotations

from typing import Any

from ent_plugins.governance import meeting_calendar
from ent_plugins.governance import meetings as service
from ent_plugins.governance.forms import choices
from ent_plugins.governance.meeting_forms import (
    ActionForm,
    AgendaItemForm,
    CancelForm,
    ConveneForm,
    DocumentForm,
    GiveProxyForm,
    MeetingForm,
    ProxyForm,
    RsvpForm,
    SecondConvocationForm,
)
from ent_plugins.governance.models import (
    AgendaItem,
    Body,
    Meeting,
    MeetingDocument,
    Member,
    Minutes,
    Proxy,
    Vote,
)
from ent_plugins.governance.permissions import MANAGE_MEETINGS, MANAGE_MINUTES, MANAGE_VOTES, VIEW
from ent_plugins.governance.quorum import quorum_state
from ent_plugins.governance.views.bodies import form_page
from flask import flash, redirect, render_template, request, url_for

from ent_core import sdk

_ = sdk._


def _meeting_url(meeting: Meeting) -> str:
    return url_for(".meeting", meeting_id=meeting.id)


def _posted() -> None:
    if not ActionForm().validate_on_submit():
        sdk.abort(400)


def _body_choices() -> list[tuple[int, str]]:
    return [(b.id, b.name) for b in sdk.db.session.scalars(sdk.scoped(Body).order_by(Body.id))]


@sdk.require_permission(VIEW)
def meetings() -> Any:
    rows = list(
        sdk.db.session.scalars(
            sdk.scoped(Meeting).order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        )
    )
    manages = sdk.has_permission(MANAGE_MEETINGS)
    if not manages:
        rows = [m for m in rows if m.status != "draft"]
    now = sdk.utcnow()
    return render_template(
        "governance/meetings/list.html",
        upcoming=[m for m in reversed(rows) if m.starts_at >= now],
        past=[m for m in rows if m.starts_at < now],
        kinds=service.KINDS,
        statuses=service.STATUSES,
        manages=manages,
        private_feed=sdk.external_url(
            "governance_public.private_meetings_ics",
            workspace=sdk.current_workspace().slug,
            token=meeting_calendar.feed_token(sdk.current_user),
        ),
    )


def _meeting_values(form: MeetingForm) -> dict[str, Any]:
    return {
        "kind": form.kind.data,
        "title": form.title.data,
        "starts_at": sdk.to_utc(form.starts_at.data),
        "ends_at": sdk.to_utc(form.ends_at.data) if form.ends_at.data else None,
        "location": form.location.data or "",
        "online_url": form.online_url.data or "",
        "notice_days": form.notice_days.data,
        "quorum": form.quorum.data,
        "second_quorum": form.second_quorum.data or 0,
        "max_proxies": form.max_proxies.data or 0,
    }


@sdk.require_permission(MANAGE_MEETINGS)
def meeting_new() -> Any:
    form = MeetingForm()
    form.body_id.choices = choices(_body_choices())
    if not form.body_id.choices:
        flash(_("Create the general assembly or the board first."), "warning")
        return redirect(url_for(".body_new"), 303)
    if request.method == "GET":
        form.notice_days.data = service.default_notice_days()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            body = sdk.get_or_404(Body, form.body_id.data)
            meeting = service.create_meeting(body, **_meeting_values(form))
            sdk.db.session.commit()
            flash(_("Meeting created: write its agenda, then convene it."), "success")
            return redirect(_meeting_url(meeting), 303)
    return form_page(form, _("New meeting"), url_for(".meetings"))


@sdk.require_permission(MANAGE_MEETINGS)
def meeting_edit(meeting_id: int) -> Any:
    meeting = sdk.get_or_404(Meeting, meeting_id)
    form = MeetingForm(obj=meeting)
    form.body_id.choices = choices([(meeting.body_id, meeting.body.name)])
    if request.method == "GET":
        form.starts_at.data = sdk.to_local(meeting.starts_at).replace(tzinfo=None)
        if meeting.ends_at:
            form.ends_at.data = sdk.to_local(meeting.ends_at).replace(tzinfo=None)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.update_meeting(meeting, **_meeting_values(form))
            sdk.db.session.commit()
            flash(_("Meeting saved."), "success")
            return redirect(_meeting_url(meeting), 303)
    return form_page(form, _("Edit the meeting"), _meeting_url(meeting))


def _visible(meeting_id: int) -> Meeting:
    meeting = sdk.get_or_404(Meeting, meeting_id)
    if meeting.status == "draft" and not sdk.has_permission(MANAGE_MEETINGS):
        sdk.abort(404)
    return meeting


@sdk.require_permission(VIEW)
def meeting(meeting_id: int) -> Any:
    row = _visible(meeting_id)
    me = service.member_of(sdk.current_user)
    rows = service.attendance_rows(row)
    all_proxies = service.proxies(row)
    roll = service.roll_member_ids(row)
    my_proxy = next((p for p in all_proxies if me and p.principal_id == me.id), None)
    holder_form = None
    if me is not None and me.id in roll and row.status == "convened" and my_proxy is None:
        holder_form = GiveProxyForm()
        holder_form.holder_id.choices = choices(
            [(m.id, m.name) for m in _roll_members(row) if m.id != me.id]
        )
    opens, closes = service.check_in_window(row)
    return render_template(
        "governance/meetings/meeting.html",
        meeting=row,
        kinds=service.KINDS,
        statuses=service.STATUSES,
        rsvp_labels=service.RSVP,
        documents=service.documents(row),
        quorum=quorum_state(row),
        manages=sdk.has_permission(MANAGE_MEETINGS),
        me=me,
        mine=rows.get(me.id) if me else None,
        entitled=me is not None and service.is_entitled(row, me),
        my_proxy=my_proxy,
        held_for_me=[p for p in all_proxies if me and p.holder_id == me.id],
        holder_form=holder_form,
        can_check_in=opens <= sdk.utcnow() <= closes,
        rsvp_form=RsvpForm(rsvp=rows[me.id].rsvp if me and me.id in rows else None),
        agenda_form=AgendaItemForm(),
        document_form=DocumentForm(),
        action_form=ActionForm(),
        first=sdk.db.session.get(Meeting, row.first_convocation_id)
        if row.first_convocation_id
        else None,
        second=service.second_of(row),
        counts=_rsvp_counts(rows.values()),
        votes_by_item=_votes_by_item(row),
        minutes=sdk.db.session.scalar(sdk.scoped(Minutes).where(Minutes.meeting_id == row.id)),
        manages_votes=sdk.has_permission(MANAGE_VOTES),
        manages_minutes=sdk.has_permission(MANAGE_MINUTES),
    )


def _votes_by_item(meeting: Meeting) -> dict[int | None, list[Vote]]:
    """The meeting's votes under their agenda item (``None``: on the meeting as a whole)."""
    grouped: dict[int | None, list[Vote]] = {}
    for vote in sdk.db.session.scalars(
        sdk.scoped(Vote).where(Vote.meeting_id == meeting.id).order_by(Vote.id)
    ):
        grouped.setdefault(vote.agenda_item_id, []).append(vote)
    return grouped


def _rsvp_counts(rows: Any) -> dict[str, int]:
    counts = {key: 0 for key in service.RSVP}
    for row in rows:
        if row.rsvp in counts:
            counts[row.rsvp] += 1
    return counts


def _roll_members(meeting: Meeting) -> list[Member]:
    ids = service.roll_member_ids(meeting)
    if not ids:
        return []
    return list(
        sdk.db.session.scalars(
            sdk.scoped(Member).where(Member.id.in_(ids)).order_by(Member.name, Member.id)
        )
    )


# -- agenda and documents -------------------------------------------------------------------------
@sdk.require_permission(MANAGE_MEETINGS)
def agenda_add(meeting_id: int) -> Any:
    meeting = sdk.get_or_404(Meeting, meeting_id)
    form = AgendaItemForm()
    if not form.validate_on_submit():
        flash(_("Give the item a title."), "error")
        return redirect(_meeting_url(meeting) + "#agenda", 303)
    service.add_agenda_item(meeting, form.title.data, form.description.data or "")
    sdk.db.session.commit()
    return redirect(_meeting_url(meeting) + "#agenda", 303)


@sdk.require_permission(MANAGE_MEETINGS)
def agenda_move(item_id: int) -> Any:
    _posted()
    item = sdk.get_or_404(AgendaItem, item_id)
    with sdk.user_errors():
        service.move_agenda_item(item, request.form.get("position", type=int) or 0)
        sdk.db.session.commit()
    return redirect(url_for(".meeting", meeting_id=item.meeting_id) + "#agenda", 303)


@sdk.require_permission(MANAGE_MEETINGS)
def agenda_delete(item_id: int) -> Any:
    _posted()
    item = sdk.get_or_404(AgendaItem, item_id)
    meeting_id = item.meeting_id
    with sdk.user_errors():
        service.delete_agenda_item(item)
        sdk.db.session.commit()
    return redirect(url_for(".meeting", meeting_id=meeting_id) + "#agenda", 303)


@sdk.require_permission(MANAGE_MEETINGS)
def document_add(meeting_id: int) -> Any:
    meeting = sdk.get_or_404(Meeting, meeting_id)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.document.data
        try:
            checked = sdk.check_upload(
                upload, allowed=service.DOCUMENT_TYPES, original_name=upload.filename
            )
        except sdk.UploadRejected as exc:
            flash(exc.message, "error")
        else:
            with sdk.user_errors():
                service.add_document(meeting, form.title.data or "", checked.store())
                sdk.db.session.commit()
                flash(_("Document attached."), "success")
    else:
        flash(_("Choose a PDF document."), "error")
    return redirect(_meeting_url(meeting) + "#documents", 303)


@sdk.require_permission(VIEW)
def document(document_id: int) -> Any:
    row = sdk.get_or_404(MeetingDocument, document_id)
    _visible(row.meeting_id)
    return sdk.send_upload(row.file_key, download_name=row.filename)


@sdk.require_permission(MANAGE_MEETINGS)
def document_delete(document_id: int) -> Any:
    _posted()
    row = sdk.get_or_404(MeetingDocument, document_id)
    meeting_id = row.meeting_id
    with sdk.user_errors():
        service.delete_document(row)
        sdk.db.session.commit()
    return redirect(url_for(".meeting", meeting_id=meeting_id) + "#documents", 303)


# -- convening, cancelling, the day's outcome -----------------------------------------------------
@sdk.require_permission(MANAGE_MEETINGS)
def convene(meeting_id: int) -> Any:
    meeting = sdk.get_or_404(Meeting, meeting_id)
    form = ConveneForm()
    if request.method == "GET":
        form.cutoff_on.data = sdk.local_today()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            people = service.convene(meeting, form.cutoff_on.data)
            sdk.db.session.commit()
            flash(
                sdk.ngettext(
                    "Meeting convened: %(num)d member convened.",
                    "Meeting convened: %(num)d members convened.",
                    len(people),
                ),
                "success",
            )
            return redirect(_meeting_url(meeting), 303)
    note = _(
        "The convocation is mailed now to every member entitled to attend, and the electoral "
        "roll is frozen at the cut-off date. Latest day to convene with %(days)d days of "
        "notice: %(day)s.",
        days=meeting.notice_days,
        day=sdk.format_date(service.latest_convocation_day(meeting)),
    )
    return form_page(
        form, _("Convene: %(title)s", title=meeting.title), _meeting_url(meeting), note=note
    )


@sdk.require_permission(MANAGE_MEETINGS)
def cancel(meeting_id: int) -> Any:
    meeting = sdk.get_or_404(Meeting, meeting_id)
    form = CancelForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            service.cancel(meeting, form.reason.data or "")
            sdk.db.session.commit()
            flash(_("Meeting cancelled."), "success")
            return redirect(_meeting_url(meeting), 303)
    return form_page(form, _("Cancel: %(title)s", title=meeting.title), _meeting_url(meeting))


_OUTCOMES = {"hold": service.hold, "adjourn": service.adjourn, "close": service.close}


@sdk.require_permission(MANAGE_MEETINGS)
def outcome(meeting_id: int, transition: str) -> Any:
    _posted()
    meeting = sdk.get_or_404(Meeting, meeting_id)
    with sdk.user_errors():
        _OUTCOMES[transition](meeting)
        sdk.db.session.commit()
        flash(service.STATUSES[meeting.status], "success")
    return redirect(_meeting_url(meeting), 303)


@sdk.require_permission(MANAGE_MEETINGS)
def second_convocation(meeting_id: int) -> Any:
    meeting = sdk.get_or_404(Meeting, meeting_id)
    form = SecondConvocationForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            again = service.second_convocation(
                meeting,
                sdk.to_utc(form.starts_at.data),
                sdk.to_utc(form.ends_at.data) if form.ends_at.data else None,
            )
            sdk.db.session.commit()
            flash(_("Second convocation prepared: check it, then convene it."), "success")
            return redirect(_meeting_url(again), 303)
    return form_page(
        form, _("Second convocation: %(title)s", title=meeting.title), _meeting_url(meeting)
    )


# -- members' answers, the sheet, proxies ---------------------------------------------------------
def _me_or_403() -> Member:
    me = service.member_of(sdk.current_user)
    if me is None:
        raise service.MeetingError(
            "not_a_member", _("Your account is not on the member registry."), 403
        )
    return me


@sdk.require_permission(VIEW)
def rsvp(meeting_id: int) -> Any:
    meeting = _visible(meeting_id)
    form = RsvpForm()
    if not form.validate_on_submit():
        sdk.abort(400)
    with sdk.user_errors():
        service.rsvp(meeting, _me_or_403(), form.rsvp.data)
        sdk.db.session.commit()
        flash(_("Answer saved."), "success")
    return redirect(_meeting_url(meeting), 303)


@sdk.require_permission(VIEW)
def check_in(meeting_id: int) -> Any:
    _posted()
    meeting = _visible(meeting_id)
    with sdk.user_errors():
        service.check_in(meeting, _me_or_403())
        sdk.db.session.commit()
        flash(_("You are signed in as present online."), "success")
    return redirect(_meeting_url(meeting), 303)


@sdk.require_permission(MANAGE_MEETINGS)
def attendance(meeting_id: int) -> Any:
    meeting = sdk.get_or_404(Meeting, meeting_id)
    people = service.entitled(meeting)
    if request.method == "POST":
        _posted()
        rows = service.attendance_rows(meeting)
        with sdk.user_errors():
            for member in people:
                value = request.form.get(f"presence-{member.id}", "") or None
                current = rows[member.id].presence if member.id in rows else None
                if value != current:
                    service.mark_presence(meeting, member, value)
            sdk.db.session.commit()
            flash(_("Attendance sheet saved."), "success")
        return redirect(url_for(".attendance", meeting_id=meeting.id), 303)
    rows = service.attendance_rows(meeting)
    proxy_form = ProxyForm()
    roll_members = _roll_members(meeting)
    proxy_form.principal_id.choices = choices([(m.id, m.name) for m in roll_members])
    proxy_form.holder_id.choices = choices([(m.id, m.name) for m in roll_members])
    return render_template(
        "governance/meetings/attendance.html",
        meeting=meeting,
        people=people,
        rows=rows,
        roll=service.roll_member_ids(meeting),
        proxies=service.proxies(meeting),
        proxy_form=proxy_form,
        action_form=ActionForm(),
        presence=service.PRESENCE,
        rsvp_labels=service.RSVP,
        quorum=quorum_state(meeting),
    )


@sdk.require_permission(VIEW)
def proxy_add(meeting_id: int) -> Any:
    """The secretary records a paper proxy (principal and holder); a member gives their own."""
    meeting = _visible(meeting_id)
    manages = sdk.has_permission(MANAGE_MEETINGS)
    members = [(m.id, m.name) for m in _roll_members(meeting)]
    on_sheet = manages and "principal_id" in request.form
    form = ProxyForm() if on_sheet else GiveProxyForm()
    form.holder_id.choices = choices(members)
    if on_sheet:
        form.principal_id.choices = choices(members)
    if form.validate_on_submit():
        principal_id = form.principal_id.data if on_sheet else _me_or_403().id
        with sdk.user_errors():
            service.give_proxy(
                meeting,
                sdk.get_or_404(Member, principal_id),
                sdk.get_or_404(Member, form.holder_id.data),
            )
            sdk.db.session.commit()
            flash(_("Proxy recorded."), "success")
    else:
        flash(_("Choose a member on the roll."), "error")
    back = url_for(".attendance", meeting_id=meeting.id) if on_sheet else _meeting_url(meeting)
    return redirect(back, 303)


@sdk.require_permission(VIEW)
def proxy_withdraw(proxy_id: int) -> Any:
    _posted()
    proxy = sdk.get_or_404(Proxy, proxy_id)
    manages = sdk.has_permission(MANAGE_MEETINGS)
    if not manages:
        me = service.member_of(sdk.current_user)
        if me is None or me.id != proxy.principal_id:
            sdk.abort(403)
    meeting_id = proxy.meeting_id
    with sdk.user_errors():
        service.withdraw_proxy(proxy)
        sdk.db.session.commit()
        flash(_("Proxy withdrawn."), "success")
    if manages and request.form.get("back") == "sheet":
        return redirect(url_for(".attendance", meeting_id=meeting_id), 303)
    return redirect(url_for(".meeting", meeting_id=meeting_id), 303)


# -- calendars ------------------------------------------------------------------------------------
@sdk.require_permission(VIEW)
def meeting_ics(meeting_id: int) -> Any:
    meeting = _visible(meeting_id)
    if meeting.status == "draft":
        sdk.abort(404)
    return meeting_calendar.single(meeting)


@sdk.require_permission(VIEW)
def meetings_ics() -> Any:
    return meeting_calendar.feed(public=False)


@sdk.public_feed
def public_meetings_ics() -> Any:
    return meeting_calendar.feed(public=True)


@sdk.public_feed
def private_meetings_ics(token: str) -> Any:
    """The members' feed at a member's secret link, for calendar applications."""
    if meeting_calendar.token_user_id(token) is None:
        sdk.abort(404)
    url = sdk.external_url(
        "governance_public.private_meetings_ics",
        workspace=sdk.current_workspace().slug,
        token=token,
    )
    return meeting_calendar.feed(public=False, url=url)
