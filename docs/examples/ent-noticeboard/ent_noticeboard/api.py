"""JSON endpoints of the notice board: list and post notices (routes in blueprint.py)."""

from __future__ import annotations

from datetime import datetime

from ent_core import sdk
from pydantic import Field
from sqlalchemy.orm import selectinload

from ent_noticeboard.models import Notice
from ent_noticeboard.service import BODY_MAX, TITLE_MAX, NoticeError, post_notice


class NoticeIn(sdk.ApiModel):
    title: str = Field(min_length=1, max_length=TITLE_MAX, description="Short headline.")
    body: str = Field(default="", max_length=BODY_MAX, description="Markdown text.")
    pinned: bool = Field(default=False, description="Keep it on top (members are emailed).")


class NoticeOut(sdk.ApiModel):
    id: int
    title: str
    body: str = Field(description="The Markdown source.")
    body_html: str = Field(description="The body rendered to sanitised HTML.")
    pinned: bool
    author: str | None = Field(description="Display name of the author, if still a user.")
    created_at: datetime


def to_json(notices: list[Notice]) -> list[NoticeOut]:
    return [
        NoticeOut(
            id=n.id,
            title=n.title,
            body=n.body,
            body_html=str(n.body_html),
            pinned=n.pinned,
            author=n.author_name,
            created_at=n.created_at,
        )
        for n in notices
    ]


@sdk.require_permission("workspace.view")
@sdk.api_operation(
    summary="List the notices of the workspace",
    description="Oldest first, paginated with `cursor`.",
    query=sdk.PageQuery,
    response=sdk.Page[NoticeOut],
    tags=("noticeboard",),
)
def list_notices(query: sdk.PageQuery) -> dict[str, object]:
    statement = sdk.scoped(Notice).options(selectinload(Notice.author))
    return sdk.paginate(statement, key=Notice.id, serialize=to_json, query=query)


@sdk.require_permission("noticeboard.post")
@sdk.api_operation(
    summary="Post a notice",
    description="Needs the `noticeboard.post` permission (owners, admins and editors).",
    body=NoticeIn,
    response=NoticeOut,
    status=201,
    tags=("noticeboard",),
    errors=(403,),
)
def create_notice(body: NoticeIn) -> NoticeOut:
    try:
        notice = post_notice(
            title=body.title, body=body.body, pinned=body.pinned, author=sdk.current_user
        )
    except NoticeError as exc:
        raise sdk.ApiError(
            "validation_error",
            sdk._("Some fields are not valid."),
            422,
            {"fields": {exc.field: [exc.message]}},
        ) from None
    return to_json([notice])[0]
