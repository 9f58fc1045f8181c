"""Pydantic models of API v1: they validate requests and describe responses in the OpenAPI document.

Field descriptions are English API reference text (the OpenAPI document is not translated);
error messages shown to people come from ``ent_core.api.openapi`` and are translated.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator
from pydantic_core import PydanticCustomError

from ent_core.forms import BIDI_CONTROL_MESSAGE, has_bidi_controls
from ent_core.workspaces.models import CORE_ROLES, WORKSPACE_KINDS, WORKSPACE_STATUSES

Item = TypeVar("Item")

WorkspaceKind = Literal[WORKSPACE_KINDS]  # type: ignore[valid-type]
WorkspaceStatus = Literal[WORKSPACE_STATUSES]  # type: ignore[valid-type]


class ApiModel(BaseModel):
    """Base of request and response models: unknown request fields are refused, not ignored,
    and text with direction controls is refused as in forms (``ent_core.forms``)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_bidi_controls(cls, value: Any) -> Any:
        if has_bidi_controls(value):
            raise PydanticCustomError("bidi_control", str(BIDI_CONTROL_MESSAGE))
        return value


class ErrorBody(ApiModel):
    code: str = Field(description="Stable machine-readable code, e.g. `validation_error`.")
    message: str = Field(description="Human-readable explanation in the caller's language.")
    details: dict[str, Any] | None = Field(
        default=None,
        description="Extra data; `fields` maps each invalid field to its messages.",
    )


class Error(ApiModel):
    """Every error of the API has this shape."""

    error: ErrorBody


class PageQuery(ApiModel):
    """Query parameters of every paginated list."""

    model_config = ConfigDict(extra="ignore")

    cursor: str | None = Field(
        default=None, description="Opaque `next_cursor` of the previous page."
    )
    limit: int = Field(default=50, ge=1, le=100, description="Items per page (1 to 100).")


class Page(ApiModel, Generic[Item]):
    """One page of a list; ask again with ``cursor=next_cursor`` until it is null."""

    items: list[Item]
    next_cursor: str | None = Field(description="Cursor of the next page, null on the last one.")


class Me(ApiModel):
    """The account the token belongs to."""

    id: int
    email: str
    name: str
    email_verified: bool
    is_admin: bool = Field(description="Platform administrator.")
    locale: str | None
    created_at: datetime


class WorkspaceListQuery(PageQuery):
    all: bool = Field(
        default=False,
        description="Platform administrators only: list every workspace (each read is audited).",
    )


class WorkspaceCreate(ApiModel):
    slug: str = Field(
        min_length=1,
        max_length=63,
        description="Address of the workspace: 3 to 63 lower-case letters, digits and hyphens.",
        examples=["acme-media"],
    )
    name: str = Field(min_length=1, max_length=200, examples=["Acme Média"])
    kind: WorkspaceKind  # type: ignore[valid-type]
    sectors: list[str] = Field(
        default_factory=list, description="Sector codes from the platform list, e.g. `it`."
    )
    identifiers: dict[str, str] | None = Field(
        default=None,
        description="Legal identifiers for vetting (docs/vetting.md); the workspace starts "
        "`pending` either way. Checked before the workspace is created.",
    )


class Workspace(ApiModel):
    """A workspace (tenant) the caller can see."""

    slug: str
    name: str
    kind: WorkspaceKind  # type: ignore[valid-type]
    sectors: list[str] = Field(description="Sector codes.")
    status: WorkspaceStatus  # type: ignore[valid-type]
    plugins: list[str] = Field(description="Names of the plugins switched on.")
    timezone: str = Field(
        description="IANA time zone its people type and read times in (stored times are UTC).",
        examples=["Africa/Casablanca"],
    )
    created_at: datetime
    url: str = Field(description="Absolute address of the workspace's members' area.")


class WorkspaceUpdate(ApiModel):
    """The workspace's own settings; members left out keep their value."""

    timezone: str | None = Field(
        default=None,
        max_length=64,
        description="An IANA time zone name (`Africa/Casablanca`, `UTC`, `Europe/Paris`...); "
        "an unknown name answers 422 `validation_error` with `details.fields.timezone`.",
        examples=["Africa/Casablanca"],
    )


class PluginQuota(ApiModel):
    name: str
    label: str = Field(description="In the caller's language.")


class Plugin(ApiModel):
    """An installed plugin."""

    name: str
    version: str
    label: str
    description: str
    category: str
    requires: list[str] = Field(description="Plugins that must be switched on first.")
    restricted: bool = Field(description="Only platform administrators may switch it on.")
    compatibility: str = Field(description="Version specifier on ent_core, e.g. `>=0.1`.")
    plan_feature: str | None = Field(
        description="The feature a plan must sell to switch it on; null: free for every "
        "approved workspace."
    )
    quotas: list[PluginQuota] = Field(description="Plan quotas it counts, with their labels.")


class WorkspacePlugin(Plugin):
    """An installed plugin and its state in one workspace."""

    enabled: bool
    entitled: bool = Field(
        description="Whether the workspace may switch it on now (approved, and its live plan "
        "sells the feature); switching it on otherwise answers 403 `not_entitled`."
    )
    settings: dict[str, Any] | None = Field(
        description="Effective settings (defaults applied); null unless the caller may manage "
        "the workspace's plugins."
    )


class PluginSettings(RootModel[dict[str, Any]]):
    """Settings of a plugin, by name; fields left out keep their current value."""


class Activation(ApiModel):
    """A plugin's activation in one workspace."""

    plugin: str
    enabled: bool
    settings: dict[str, Any] = Field(description="Effective settings (defaults applied).")
    enabled_at: datetime | None


class InvitationCreate(ApiModel):
    email: str = Field(
        min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$", examples=["salma@example.ma"]
    )
    role: Literal[CORE_ROLES] = Field(  # type: ignore[valid-type]
        default="member", description="Role given on acceptance; only owners may invite an owner."
    )


class Invitation(ApiModel):
    """An invitation sent by mail; its link works once."""

    id: int
    email: str
    role: str
    expires_at: datetime
