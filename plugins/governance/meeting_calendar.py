"""Meetings in calendars: one ``.ics`` per meeting, a members' feed of every meeting and a
public feed of the general assemblies.

A meeting is an event from the moment it is convened (drafts stay out); its UID names the row,
its SEQUENCE is the meeting's ``sequence`` (bumped on every change a calendar must see) and a
cancelled meeting stays in the feed with ``STATUS:CANCELLED`` so that subscribers see it is off.
The public feed leaves out board meetings and the online link. A member subscribes a calendar
application (which cannot sign in) to the members' feed through a secret link of their own,
signed with the application's key; it stops working when they leave the workspace.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ent_plugins.governance.meetings import KINDS
from ent_plugins.governance.models import Meeting
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ent_core import sdk

#: A meeting without an end shows as this long.
DEFAULT_LENGTH = timedelta(hours=2)
SHOWN = ("convened", "held", "adjourned", "closed", "cancelled")


def meeting_event(meeting: Meeting, *, public: bool = False) -> sdk.CalendarEvent:
    slug = sdk.current_workspace().slug
    lines = [str(KINDS[meeting.kind])]
    lines += [f"{i + 1}. {item.title}" for i, item in enumerate(meeting.agenda)]
    location = meeting.location
    if meeting.online_url and not public:
        lines.append(meeting.online_url)
        location = location or meeting.online_url
    url = (
        sdk.external_url("governance_public.index", workspace=slug)
        if public
        else sdk.external_url("governance.meeting", workspace=slug, meeting_id=meeting.id)
    )
    return sdk.CalendarEvent(
        uid=sdk.calendar_uid("governance", "meeting", meeting.id),
        summary=meeting.title,
        start=meeting.starts_at,
        end=meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH,
        description="\n".join(lines),
        location=location,
        url=url,
        status="CANCELLED" if meeting.status == "cancelled" else "CONFIRMED",
        sequence=meeting.sequence,
        last_modified=meeting.updated_at,
    )


def listed(*, public: bool) -> list[Meeting]:
    statement = sdk.scoped(Meeting).where(Meeting.status.in_(SHOWN))
    if public:
        statement = statement.where(Meeting.kind != "board")
    return list(sdk.db.session.scalars(statement.order_by(Meeting.starts_at, Meeting.id)))


def feed(*, public: bool, url: str | None = None) -> Any:
    workspace = sdk.current_workspace()
    meetings = listed(public=public)
    endpoint = "governance_public.meetings_ics" if public else "governance.meetings_ics"
    calendar = sdk.calendar_feed(
        [meeting_event(m, public=public) for m in meetings],
        name=sdk._("Meetings: %(name)s", name=workspace.name),
        description=workspace.name,
        url=url or sdk.external_url(endpoint, workspace=workspace.slug),
    )
    return sdk.calendar_response(
        calendar, filename=f"{workspace.slug}-meetings.ics", private=not public
    )


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="governance.meetings-feed")


def feed_token(user: Any) -> str:
    """The secret part of a member's own feed link: their account and the workspace, signed."""
    return _signer().dumps({"w": sdk.current_workspace().id, "u": user.id})


def token_user_id(token: str) -> int | None:
    """The account a feed link was made for, while it still belongs to the workspace."""
    try:
        data = _signer().loads(token)
    except BadSignature:
        return None
    workspace = sdk.current_workspace()
    if not isinstance(data, dict) or data.get("w") != workspace.id:
        return None
    members = {u.id for u in sdk.workspace_members(workspace)}
    return data.get("u") if data.get("u") in members else None


def single(meeting: Meeting) -> Any:
    workspace = sdk.current_workspace()
    calendar = sdk.calendar_feed(
        [meeting_event(meeting)],
        name=meeting.title,
        description=workspace.name,
        url=sdk.external_url(
            "governance.meeting_ics", workspace=workspace.slug, meeting_id=meeting.id
        ),
    )
    return sdk.calendar_response(calendar, filename=f"meeting-{meeting.id}.ics", private=True)
