"""Minutes (procès-verbaux): drafted from the meeting, edited, approved, frozen, published.

The draft is written in the minutes' language (French or Arabic) whatever the secretary's page
language: attendance, proxies, the quorum (``quorum.quorum_state``) and every agenda item with
its resolutions and their results (``tally.tally`` / ``tally.outcome``). Approval comes from an
adopted vote of a later meeting or from the signatures of the president and the secretary; it
freezes the body, whose SHA-256 the PDF and the public page print (docs/governance.md,
"Minutes").
"""

from __future__ import annotations

import hashlib
from typing import Any

from ent_plugins.governance.models import (
    Mandate,
    Meeting,
    MeetingAttendance,
    Member,
    Minutes,
    MinutesSignature,
    Office,
    Proxy,
    Vote,
)
from flask_babel import force_locale
from sqlalchemy import func, select

from ent_core import sdk

LANGUAGES = ("fr", "ar")
SIGNING_ROLES = ("president", "secretary")
BODY_MAX = 200_000

_t = sdk.translations_for(__name__)


class MinutesError(sdk.UserError):
    """A refused step of the minutes' life (409 unless said otherwise)."""

    default_status = 409


def body_hash(body: str) -> str:
    """The hex SHA-256 of the body as UTF-8: what the PDF and the public page print."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def is_frozen(minutes: Minutes) -> bool:
    return minutes.status == "approved"


def minutes_of(meeting: Meeting) -> Minutes | None:
    return sdk.db.session.scalar(sdk.scoped(Minutes).where(Minutes.meeting_id == meeting.id))


# -- the draft -------------------------------------------------------------------------------
def create_draft(meeting: Meeting, language: str) -> Minutes:
    """The meeting's minutes, drafted in ``language`` (one set of minutes per meeting)."""
    if language not in LANGUAGES:
        raise MinutesError(
            "validation_error", sdk._("Choose French or Arabic."), 422, field="language"
        )
    if meeting.status in ("draft", "convened", "cancelled"):
        raise MinutesError(
            "meeting_not_held",
            sdk._("Minutes are drafted once the meeting has been held."),
            field="meeting_id",
        )
    if minutes_of(meeting) is not None:
        raise MinutesError(
            "minutes_exist", sdk._("This meeting has its minutes already."), field="meeting_id"
        )
    minutes = Minutes(meeting_id=meeting.id, language=language, body=draft_text(meeting, language))
    sdk.db.session.add(minutes)
    sdk.db.session.flush()
    sdk.audit("governance.minutes_drafted", subject=f"minutes:{minutes.id}")
    return minutes


def draft_text(meeting: Meeting, language: str) -> str:
    """The Markdown draft of the meeting's minutes, written in ``language``."""
    with force_locale(language):
        return "\n".join(_draft_lines(meeting))


def _draft_lines(meeting: Meeting) -> list[str]:
    gettext = _t.gettext
    lines = [
        "# " + gettext("Minutes of the meeting: %(title)s", title=meeting.title),
        "",
        gettext(
            "%(kind)s held on %(date)s.",
            kind=_meeting_kind(meeting.kind),
            date=sdk.format_datetime(meeting.starts_at, "long"),
        ),
    ]
    place = meeting.location or meeting.online_url
    if place:
        lines.append(gettext("Place: %(place)s.", place=place))
    lines += ["", "## " + gettext("Attendance and quorum"), "", *_attendance_lines(meeting)]
    lines += ["", "## " + gettext("Agenda and resolutions")]
    votes = _votes_by_item(meeting)
    for number, item in enumerate(meeting.agenda, start=1):
        lines += ["", f"### {number}. {item.title}"]
        if item.description.strip():
            lines += ["", item.description.strip()]
        resolutions = votes.get(item.id, [])
        if not resolutions:
            lines += ["", gettext("No vote on this item.")]
        for vote in resolutions:
            lines += ["", *_vote_lines(vote)]
    loose = votes.get(None, [])
    if loose:
        lines += ["", "## " + gettext("Other votes")]
        for vote in loose:
            lines += ["", *_vote_lines(vote)]
    lines += ["", "## " + gettext("Signatures"), "", gettext("The president"), "",
              gettext("The secretary general")]  # fmt: skip
    return lines


def _meeting_kind(kind: str) -> str:
    gettext = _t.gettext
    return {
        "ordinary": gettext("Ordinary general assembly"),
        "extraordinary": gettext("Extraordinary general assembly"),
        "board": gettext("Board meeting"),
    }.get(kind, kind)


def presence_counts(meeting: Meeting) -> dict[str, int]:
    """Who signed the attendance sheet: in the room and online."""
    rows = dict(
        sdk.db.session.execute(
            select(MeetingAttendance.presence, func.count())
            .where(
                MeetingAttendance.meeting_id == meeting.id,
                MeetingAttendance.presence.is_not(None),
            )
            .group_by(MeetingAttendance.presence)
        ).all()
    )
    return {"in_room": rows.get("in_room", 0), "online": rows.get("online", 0)}


def _attendance_lines(meeting: Meeting) -> list[str]:
    from ent_plugins.governance.quorum import quorum_state

    gettext = _t.gettext
    state = quorum_state(meeting)
    counts = presence_counts(meeting)
    lines = [
        "- " + gettext("Members on the electoral roll: %(n)s", n=state.roll_size),
        "- " + gettext("Present in the room: %(n)s", n=counts["in_room"]),
        "- " + gettext("Present online: %(n)s", n=counts["online"]),
        "- " + gettext("Represented by proxy: %(n)s", n=state.represented),
    ]
    proxies = sdk.db.session.scalars(
        sdk.scoped(Proxy).where(Proxy.meeting_id == meeting.id).order_by(Proxy.id)
    ).all()
    for proxy in proxies:
        lines.append(
            "    - "
            + gettext(
                "%(principal)s, represented by %(holder)s",
                principal=proxy.principal.name,
                holder=proxy.holder.name,
            )
        )
    if meeting.first_convocation_id is not None:
        lines.append(
            "- " + gettext("Second convocation: the reduced quorum of the statutes applies.")
        )
    verdict = gettext("reached") if state.reached else gettext("not reached")
    lines.append(
        "- "
        + gettext(
            "Quorum: %(present)s present or represented for %(required)s required: %(verdict)s.",
            present=state.counted,
            required=state.required,
            verdict=verdict,
        )
    )
    return lines


def _votes_by_item(meeting: Meeting) -> dict[int | None, list[Vote]]:
    votes = sdk.db.session.scalars(
        sdk.scoped(Vote).where(Vote.meeting_id == meeting.id).order_by(Vote.id)
    ).all()
    grouped: dict[int | None, list[Vote]] = {}
    for vote in votes:
        grouped.setdefault(vote.agenda_item_id, []).append(vote)
    return grouped


def _vote_lines(vote: Vote) -> list[str]:
    from ent_plugins.governance.tally import outcome, tally

    gettext = _t.gettext
    lines = ["**" + gettext("Vote: %(title)s", title=vote.title) + "**"]
    if vote.status != "closed":
        return [*lines, "", gettext("This vote was not closed: no result.")]
    counts = tally(vote).counts
    lines.append("")
    for option in vote.options:
        lines.append(
            "- " + gettext("%(option)s: %(n)s", option=option.label, n=counts.get(option.id, 0))
        )
    decided = outcome(vote)
    lines += ["", _outcome_sentence(vote, decided)]
    return lines


def _outcome_sentence(vote: Vote, decided: Any) -> str:
    gettext = _t.gettext
    if vote.kind == "resolution":
        return (
            gettext("The resolution is adopted.")
            if decided.adopted
            else gettext("The resolution is rejected.")
        )
    winners = [o.label for o in vote.options if o.id in decided.winners]
    tied = [o.label for o in vote.options if o.id in decided.tied]
    sentences = []
    if winners:
        sentences.append(gettext("Chosen: %(names)s.", names=", ".join(winners)))
    if tied:
        sentences.append(gettext("Tied: %(names)s.", names=", ".join(tied)))
    return " ".join(sentences) or gettext("No option won.")


# -- editing, signing, approving -------------------------------------------------------------
def _refuse_frozen(minutes: Minutes) -> None:
    if is_frozen(minutes):
        raise MinutesError(
            "minutes_frozen", sdk._("Approved minutes are frozen: they can no longer change.")
        )


def update_body(minutes: Minutes, body: str) -> None:
    """The secretary's edit of the draft (refused once approved)."""
    _refuse_frozen(minutes)
    if len(body) > BODY_MAX:
        raise MinutesError("validation_error", sdk._("The text is too long."), 422, field="body")
    if minutes.signatures:
        # The text someone signed changed: their signature no longer stands for it.
        for signature in list(minutes.signatures):
            sdk.db.session.delete(signature)
    minutes.body = body
    sdk.audit("governance.minutes_edited", subject=f"minutes:{minutes.id}")


def signer_member(user: Any) -> Member | None:
    """The registry entry of ``user`` in the current association."""
    return sdk.db.session.scalar(
        sdk.scoped(Member).where(Member.user_id == user.id, Member.left_on.is_(None))
    )


def roles_to_sign(user: Any) -> list[str]:
    """The signing roles (president, secretary) ``user`` holds in this association today:
    granted on the workspace's members page, or by a running mandate on an office."""
    membership = sdk.current_membership()
    held = set(membership.roles) if membership is not None else set()
    member = signer_member(user)
    if member is not None:
        today = sdk.local_today()
        held.update(
            sdk.db.session.scalars(
                select(Office.role)
                .join(Mandate, Mandate.office_id == Office.id)
                .where(
                    Mandate.member_id == member.id,
                    Mandate.starts_on <= today,
                    (Mandate.ends_on.is_(None)) | (Mandate.ends_on >= today),
                )
            )
        )
    return [role for role in SIGNING_ROLES if role in held]


def may_sign(user: Any) -> bool:
    return bool(roles_to_sign(user))


def sign(minutes: Minutes, user: Any, role: str | None = None) -> MinutesSignature:
    """``user`` signs as president or secretary; both signatures approve the minutes."""
    _refuse_frozen(minutes)
    held = roles_to_sign(user)
    signed = {s.office_role for s in minutes.signatures}
    if role is None:
        role = next((r for r in held if r not in signed), held[0] if held else None)
    if role not in SIGNING_ROLES or role not in held:
        raise MinutesError(
            "forbidden", sdk._("Only the president and the secretary sign minutes."), 403
        )
    if role in signed:
        raise MinutesError("already_signed", sdk._("These minutes are signed for this office."))
    member = signer_member(user)
    if member is None:
        raise MinutesError(
            "not_a_member",
            sdk._("Your account is not linked to a member of the association's registry."),
        )
    signature = MinutesSignature(minutes_id=minutes.id, office_role=role, member_id=member.id)
    sdk.db.session.add(signature)
    sdk.db.session.flush()
    sdk.db.session.refresh(minutes, ["signatures"])
    sdk.audit("governance.minutes_signed", subject=f"minutes:{minutes.id}", details={"role": role})
    if {s.office_role for s in minutes.signatures} >= set(SIGNING_ROLES):
        _freeze(minutes)
    return signature


def approving_votes(minutes: Minutes) -> list[Vote]:
    """Closed votes of later meetings that may approve these minutes."""
    return list(
        sdk.db.session.scalars(
            sdk.scoped(Vote)
            .join(Meeting, Meeting.id == Vote.meeting_id)
            .where(
                Vote.status == "closed",
                Vote.kind == "resolution",
                Meeting.starts_at > minutes.meeting.starts_at,
            )
            .order_by(Meeting.starts_at.desc(), Vote.id.desc())
        )
    )


def approve_by_vote(minutes: Minutes, vote_id: int) -> None:
    """Approved by ``vote_id``: a closed, adopted resolution of a later meeting."""
    from ent_plugins.governance.tally import outcome

    _refuse_frozen(minutes)
    vote = sdk.db.session.scalar(sdk.scoped(Vote).where(Vote.id == vote_id))
    if vote is None or vote not in approving_votes(minutes):
        raise MinutesError(
            "validation_error",
            sdk._("Choose a closed resolution of a later meeting."),
            422,
            field="vote_id",
        )
    if not outcome(vote).adopted:
        raise MinutesError(
            "vote_not_adopted",
            sdk._("This resolution was not adopted: it cannot approve the minutes."),
            field="vote_id",
        )
    minutes.approved_by_vote_id = vote.id
    _freeze(minutes)


def _freeze(minutes: Minutes) -> None:
    minutes.status = "approved"
    minutes.approved_at = sdk.utcnow()
    minutes.frozen_hash = body_hash(minutes.body)
    sdk.audit(
        "governance.minutes_approved",
        subject=f"minutes:{minutes.id}",
        details={"sha256": minutes.frozen_hash, "vote_id": minutes.approved_by_vote_id},
    )


# -- publishing ------------------------------------------------------------------------------
def publish(minutes: Minutes) -> None:
    """On the association's public pages (and the portal); approved minutes only."""
    from ent_plugins.governance.portal import announce_minutes

    if not is_frozen(minutes):
        raise MinutesError(
            "invalid_transition",
            sdk._("Only approved minutes can be published."),
            details={"allowed": allowed_transitions(minutes)},
        )
    if minutes.published:
        return
    minutes.published = True
    minutes.published_at = sdk.utcnow()
    sdk.audit("governance.minutes_published", subject=f"minutes:{minutes.id}")
    announce_minutes(minutes)


def unpublish(minutes: Minutes) -> None:
    """Off the public pages and the portal again (the minutes stay approved)."""
    if not minutes.published:
        raise MinutesError(
            "invalid_transition",
            sdk._("These minutes are not published."),
            details={"allowed": allowed_transitions(minutes)},
        )
    minutes.published = False
    sdk.audit("governance.minutes_unpublished", subject=f"minutes:{minutes.id}")


def allowed_transitions(minutes: Minutes) -> list[str]:
    if not is_frozen(minutes):
        return ["sign", "approve"]
    return ["unpublish"] if minutes.published else ["publish"]


def title_of(minutes: Minutes) -> str:
    """The minutes' title in their own language."""
    with force_locale(minutes.language):
        return _t.gettext("Minutes: %(title)s", title=minutes.meeting.title)
