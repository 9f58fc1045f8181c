"""Minutes through the API: ``/api/v1/workspaces/<slug>/governance/minutes``.

Drafts are read by those who write or sign them; approved minutes by every member. The body
changes only while draft; ``transitions`` signs, approves by a vote, publishes, unpublishes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ent_plugins.governance import minutes as service
from ent_plugins.governance.models import Meeting, Minutes
from ent_plugins.governance.permissions import MANAGE_MINUTES, SIGN_MINUTES, VIEW
from ent_plugins.governance.views.minutes import may_sign, pdf_response, sees_drafts, visible
from pydantic import Field

from ent_core import sdk

TAGS = ("governance",)


class SignatureOut(sdk.ApiModel):
    office_role: str
    member_id: int
    signed_at: datetime


class MinutesOut(sdk.ApiModel):
    id: int
    meeting_id: int
    title: str
    language: str
    status: str = Field(description="draft or approved (frozen)")
    body: str = Field(description="Markdown")
    approved_at: datetime | None
    approved_by_vote_id: int | None
    frozen_hash: str | None = Field(description="SHA-256 of the body, once approved")
    published: bool
    published_at: datetime | None
    signatures: list[SignatureOut]
    allowed_transitions: list[str]
    pdf_url: str
    url: str | None = Field(description="The public page, while published")


def minutes_json(item: Minutes) -> MinutesOut:
    from ent_plugins.governance.portal import minutes_url

    slug = sdk.current_workspace().slug
    return MinutesOut(
        id=item.id,
        meeting_id=item.meeting_id,
        title=service.title_of(item),
        language=item.language,
        status=item.status,
        body=item.body,
        approved_at=item.approved_at,
        approved_by_vote_id=item.approved_by_vote_id,
        frozen_hash=item.frozen_hash,
        published=item.published,
        published_at=item.published_at,
        signatures=[
            SignatureOut(office_role=s.office_role, member_id=s.member_id, signed_at=s.signed_at)
            for s in item.signatures
        ],
        allowed_transitions=service.allowed_transitions(item),
        pdf_url=sdk.external_url("governance_api.minutes_pdf", workspace=slug, minutes_id=item.id),
        url=minutes_url(item) if item.published else None,
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="List the minutes",
    description="Approved minutes; drafts too for those who write or sign them.",
    query=sdk.PageQuery,
    response=sdk.Page[MinutesOut],
    tags=TAGS,
)
def list_minutes(query: sdk.PageQuery) -> dict[str, Any]:
    statement = sdk.scoped(Minutes)
    if not sees_drafts():
        statement = statement.where(Minutes.status == "approved")
    return sdk.paginate(
        statement,
        key=Minutes.id,
        serialize=lambda rows: [minutes_json(m) for m in rows],
        query=query,
    )


class DraftIn(sdk.ApiModel):
    meeting_id: int
    language: Literal["fr", "ar"] = "fr"


@sdk.require_permission(MANAGE_MINUTES)
@sdk.api_operation(
    summary="Draft the minutes of a held meeting",
    description="Written in `language` from the meeting's attendance, quorum and votes.",
    body=DraftIn,
    response=MinutesOut,
    status=201,
    tags=TAGS,
    errors=(403, 404, 409),
)
def create_minutes(body: DraftIn) -> MinutesOut:
    meeting = sdk.db.session.scalar(sdk.scoped(Meeting).where(Meeting.id == body.meeting_id))
    if meeting is None:
        raise sdk.ApiError(
            "validation_error",
            sdk._("Some fields are not valid."),
            422,
            {"fields": {"meeting_id": [sdk._("Unknown meeting.")]}},
        )
    item = service.create_draft(meeting, body.language)
    sdk.db.session.commit()
    return minutes_json(item)


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="One set of minutes", response=MinutesOut, tags=TAGS, errors=(404,))
def get_minutes(minutes_id: int) -> MinutesOut:
    return minutes_json(visible(minutes_id))


class MinutesPatch(sdk.ApiModel):
    body: str = Field(min_length=1, max_length=service.BODY_MAX)


@sdk.require_permission(MANAGE_MINUTES)
@sdk.api_operation(
    summary="Edit the text of draft minutes",
    description="Refused with 409 `minutes_frozen` once approved. Signatures already given "
    "are withdrawn: they stood for the former text.",
    body=MinutesPatch,
    response=MinutesOut,
    tags=TAGS,
    errors=(403, 404, 409),
)
def patch_minutes(minutes_id: int, body: MinutesPatch) -> MinutesOut:
    item = sdk.get_or_404(Minutes, minutes_id)
    service.update_body(item, body.body)
    sdk.db.session.commit()
    return minutes_json(item)


class TransitionIn(sdk.ApiModel):
    transition: str
    role: Literal["president", "secretary"] | None = Field(
        default=None, description="sign: the office signed for (default: one you hold)"
    )
    vote_id: int | None = Field(default=None, description="approve: the approving vote")


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="Sign, approve, publish or unpublish minutes",
    description="`sign` (president or secretary; both signatures approve), `approve` with "
    "`vote_id` (an adopted resolution of a later meeting), `publish`, `unpublish`.",
    body=TransitionIn,
    response=MinutesOut,
    tags=TAGS,
    errors=(403, 404, 409),
)
def minutes_transition(minutes_id: int, body: TransitionIn) -> MinutesOut:
    item = visible(minutes_id)
    allowed = service.allowed_transitions(item)
    if body.transition not in allowed:
        raise sdk.ApiError(
            "invalid_transition",
            sdk._("This change is not possible now."),
            409,
            {"allowed": allowed},
        )
    needed = SIGN_MINUTES if body.transition == "sign" else MANAGE_MINUTES
    if not (may_sign() if body.transition == "sign" else sdk.has_permission(needed)):
        raise sdk.ApiError(
            "forbidden",
            sdk._("You are not allowed to do this."),
            403,
            {"permission": needed},
        )
    if body.transition == "sign":
        service.sign(item, sdk.current_user, body.role)
    elif body.transition == "approve":
        if body.vote_id is None:
            raise sdk.ApiError(
                "validation_error",
                sdk._("Some fields are not valid."),
                422,
                {"fields": {"vote_id": [sdk._("Choose the approving vote.")]}},
            )
        service.approve_by_vote(item, body.vote_id)
    elif body.transition == "publish":
        service.publish(item)
    else:
        service.unpublish(item)
    sdk.db.session.commit()
    return minutes_json(item)


@sdk.require_permission(VIEW)
@sdk.api_operation(summary="The minutes as PDF", description="In the minutes' language.", tags=TAGS)
def minutes_pdf(minutes_id: int) -> Any:
    return pdf_response(visible(minutes_id))
