"""The associate's badge choice through the API (in the associates' workspace only)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ent_plugins.governance import associates
from ent_plugins.governance.permissions import VIEW
from pydantic import Field

from ent_core import sdk

TAGS = ("governance",)


class BadgeOut(sdk.ApiModel):
    shown: bool = Field(description="Whether the badge shows beside the associate's name")
    status: str = Field(description="up_to_date, late, lapsed or left, today")
    day: date
    verify_url: str = Field(description="The public page verifying the status")


class BadgeIn(sdk.ApiModel):
    shown: bool


def _member() -> Any:
    if not associates.is_associates_workspace():
        raise sdk.ApiError("not_found", sdk._("Not found."), 404)
    member = associates.my_membership(sdk.current_user)
    if member is None:
        raise sdk.ApiError(
            "not_an_associate",
            sdk._("Your account is not linked to a member of the association's registry."),
            404,
        )
    return member


def _badge(member: Any) -> BadgeOut:
    workspace = sdk.current_workspace()
    state = associates.status_today(member, workspace)
    return BadgeOut(
        shown=associates.badge_shown(member),
        status=state.status,
        day=state.day,
        verify_url=associates.verify_url(workspace, member),
    )


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="The caller's associate status and badge choice",
    description="Only in the workspace the operator named `associates_workspace`.",
    response=BadgeOut,
    tags=TAGS,
    errors=(404,),
)
def get_badge() -> BadgeOut:
    return _badge(_member())


@sdk.require_permission(VIEW)
@sdk.api_operation(
    summary="Show or hide the caller's associate badge",
    body=BadgeIn,
    response=BadgeOut,
    tags=TAGS,
    errors=(404,),
)
def put_badge(body: BadgeIn) -> BadgeOut:
    member = _member()
    associates.choose_badge(member, body.shown)
    sdk.db.session.commit()
    return _badge(member)
