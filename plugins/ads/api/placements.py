"""Placements through the API (``/api/v1/workspaces/<slug>/ads/placements``).

Reads and writes need ``ads.manage_placements``. A place of the workspace's pages is joined by
creating its placement (``{"kind": "slot", "code": ...}``) and left or rejoined with
``PATCH {"active": ...}``; an external placement is created with its name, site and size, and
carries its copy-paste tags.
"""

from __future__ import annotations

from typing import Any, Literal

from ent_plugins.ads import inventory
from ent_plugins.ads.models import AdPlacement
from ent_plugins.ads.permissions import MANAGE_PLACEMENTS
from pydantic import Field

from ent_core import sdk

TAGS = ("ads",)
WRITE_ERRORS = (403, 404, 409, 422)


class TagsOut(sdk.ApiModel):
    script: str = Field(description="The `<script>` tag to paste (measures viewability).")
    iframe: str = Field(description="The `<iframe>` tag, for sites that allow no scripts.")


class PlacementOut(sdk.ApiModel):
    id: int
    kind: Literal["slot", "external"]
    code: str = Field(
        description="The place's code (`publishing.article.aside`) or `external.<n>`."
    )
    name: str
    public_id: str = Field(description="What tags and decision requests name the placement by.")
    active: bool = Field(
        description="In the network now: campaigns are served here. False while the module "
        "showing its place is switched off in the workspace (`joined` keeps the choice)."
    )
    joined: bool = Field(description="Joined by the workspace (`PATCH active` changes it).")
    sizes: list[str]
    formats: list[str]
    excluded_categories: list[str] = Field(description="Advertiser categories refused here.")
    site_url: str = Field(description="External placements: the site hosting the tag.")
    tags: TagsOut | None = Field(description="External placements: the tags to paste.")


def placement_json(row: AdPlacement, offered: set[str] | None = None) -> PlacementOut:
    """``offered``: the codes of the places on in the workspace (computed when not given)."""
    if offered is None:
        offered = inventory.offered_codes()
    tags = None
    if row.kind == "external":
        snippet = inventory.snippet(row)
        tags = TagsOut(script=snippet.script, iframe=snippet.iframe)
    return PlacementOut(
        id=row.id,
        kind=row.kind,  # type: ignore[arg-type]
        code=row.code,
        name=row.name,
        public_id=row.public_id,
        active=inventory.in_service(row, offered),
        joined=row.active,
        sizes=list(row.sizes),
        formats=list(row.formats),
        excluded_categories=list(row.excluded_categories),
        site_url=row.site_url,
        tags=tags,
    )


class PlaceOut(sdk.ApiModel):
    code: str
    label: str
    sizes: list[str] = Field(description="The sizes the place declares (what it may accept).")
    formats: list[str]
    platform: bool = Field(description="A place of the sector portal (the régie's workspace).")
    placement_id: int | None = Field(description="Its placement, once joined (even if left).")
    active: bool


class PlacementIn(sdk.ApiModel):
    kind: Literal["slot", "external"]
    code: str | None = Field(default=None, max_length=120, description="`slot`: the place.")
    name: str | None = Field(default=None, max_length=200, description="`external`: its name.")
    site_url: str | None = Field(default=None, max_length=500, description="`external`.")
    size: str | None = Field(default=None, description="`external`: its one size.")
    sizes: list[str] | None = Field(
        default=None, max_length=6, description="`slot`: the sizes accepted (default: all)."
    )
    formats: list[str] | None = Field(default=None, max_length=3)
    excluded_categories: list[str] = Field(default_factory=list, max_length=40)
    active: bool = True


class PlacementPatch(sdk.ApiModel):
    active: bool | None = None
    sizes: list[str] | None = Field(default=None, max_length=6)
    formats: list[str] | None = Field(default=None, max_length=3)
    excluded_categories: list[str] | None = Field(default=None, max_length=40)
    name: str | None = Field(default=None, max_length=200, description="External only.")
    site_url: str | None = Field(default=None, max_length=500, description="External only.")


@sdk.require_permission(MANAGE_PLACEMENTS)
@sdk.api_operation(
    summary="List the workspace's placements",
    description="Places joined (or left) and external placements, oldest first.",
    query=sdk.PageQuery,
    response=sdk.Page[PlacementOut],
    tags=TAGS,
    errors=(403,),
)
def list_placements(query: sdk.PageQuery) -> dict[str, Any]:
    offered = inventory.offered_codes()
    return sdk.paginate(
        sdk.scoped(AdPlacement),
        key=AdPlacement.id,
        serialize=lambda rows: [placement_json(r, offered) for r in rows],
        query=query,
    )


@sdk.require_permission(MANAGE_PLACEMENTS)
@sdk.api_operation(
    summary="List the places the workspace may join",
    description="Declared by the modules switched on here (`ent_ad_slots`); for the régie's "
    "workspace, the sector portal's too.",
    response=sdk.Page[PlaceOut],
    tags=TAGS,
    errors=(403,),
)
def list_places() -> dict[str, Any]:
    """Never more than the few places declared: one page, ``next_cursor`` null."""
    return dict(
        next_cursor=None,
        items=[
            PlaceOut(
                code=p.slot.code,
                label=str(p.slot.label),
                sizes=list(p.slot.sizes),
                formats=list(p.slot.formats),
                platform=p.slot.platform,
                placement_id=p.placement.id if p.placement else None,
                active=p.joined,
            )
            for p in inventory.places()
        ],
    )


def _required(value: Any, name: str) -> Any:
    if value in (None, ""):
        raise sdk.ApiError(
            "validation_error",
            sdk._("Some fields are not valid."),
            422,
            {"fields": {name: [sdk._("This field is required.")]}},
        )
    return value


@sdk.require_permission(MANAGE_PLACEMENTS)
@sdk.api_operation(
    summary="Join a place or create an external placement",
    description='`{"kind": "slot", "code": "publishing.article.aside"}` joins a place of the '
    "workspace's pages (409 `placement_exists` when it has a placement: PATCH it); "
    '`{"kind": "external", "name", "site_url", "size"}` creates a placement for a site hosted '
    "elsewhere, with its tags.",
    body=PlacementIn,
    response=PlacementOut,
    status=201,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def create_placement(body: PlacementIn) -> PlacementOut:
    if body.kind == "external":
        row = inventory.create_external(
            name=_required(body.name, "name"),
            site_url=_required(body.site_url, "site_url"),
            size=_required(body.size, "size"),
            formats=body.formats if body.formats is not None else sdk.AD_FORMATS,
            excluded_categories=body.excluded_categories,
            active=body.active,
        )
        return placement_json(row)
    code = _required(body.code, "code")
    slot = inventory.slot_of(code)
    existing = sdk.db.session.scalar(sdk.scoped(AdPlacement).where(AdPlacement.code == code))
    if existing is not None:
        raise sdk.ApiError(
            "placement_exists",
            sdk._("This place has a placement already: change it instead."),
            409,
            {"id": existing.id},
        )
    row = inventory.save_place(
        code,
        active=body.active,
        sizes=body.sizes if body.sizes is not None else slot.sizes,
        formats=body.formats if body.formats is not None else slot.formats,
        excluded_categories=body.excluded_categories,
    )
    return placement_json(row)


@sdk.require_permission(MANAGE_PLACEMENTS)
@sdk.api_operation(summary="One placement", response=PlacementOut, tags=TAGS, errors=(403,))
def get_placement(placement_id: int) -> PlacementOut:
    return placement_json(sdk.get_or_404(AdPlacement, placement_id))


@sdk.require_permission(MANAGE_PLACEMENTS)
@sdk.api_operation(
    summary="Change a placement: join or leave, sizes, formats, refused categories",
    description="Sizes and formats stay within what the place declares (an external "
    "placement: one size); `name` and `site_url` belong to external placements.",
    body=PlacementPatch,
    response=PlacementOut,
    tags=TAGS,
    errors=WRITE_ERRORS,
)
def update_placement(placement_id: int, body: PlacementPatch) -> PlacementOut:
    row = sdk.get_or_404(AdPlacement, placement_id)
    inventory.update_placement(row, **{name: getattr(body, name) for name in body.model_fields_set})
    return placement_json(row)
