"""Inventory: the places a workspace may offer to the network, and the placements it keeps.

A place is an ``sdk.AdSlot`` some plugin declares; it applies to a workspace when the plugin
that declares it is switched on there (asked through ``sdk.workspace_hooks()``, so a
publication without publishing never sees publishing's places). The sector portal's places
(``platform=True``) belong to the régie's workspace only (``settings().regie_workspace``).
A publisher *joins* a place by keeping an ``AdPlacement`` row for it, active; leaving keeps the
row (its public id and statistics) and sets it inactive. External placements are rows of their
own for member sites hosted elsewhere, shown through the JavaScript or iframe tag.

Every change commits and then bumps the delivery index (``index.invalidate()``), so no process
serves from a placement that changed.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ent_plugins.ads import index
from ent_plugins.ads.catalogues import CATEGORIES
from ent_plugins.ads.models import AdPlacement
from ent_plugins.ads.settings import settings
from flask import current_app
from markupsafe import escape

from ent_core import sdk

_ = sdk._

#: What an external placement's site address must look like (http or https, a host).
SITE_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


def is_regie(workspace: Any) -> bool:
    """Whether ``workspace`` runs the régie, and so manages the portal's places."""
    slug = settings().regie_workspace
    return bool(slug) and workspace.slug == slug


def available_slots(workspace: Any | None = None) -> list[sdk.AdSlot]:
    """The places ``workspace`` (the current one by default) may join, in declaration order:
    those of the plugins switched on there, and the portal's for the régie."""
    workspace = workspace or sdk.current_workspace()
    declared = sdk.ad_slots()
    codes: set[str] = set()
    for answer in _hooks_of(workspace).ent_ad_slots():
        codes.update(slot.code for slot in answer or ())
    regie = is_regie(workspace)
    return [
        slot
        for code, slot in declared.items()
        if (slot.platform and regie) or (not slot.platform and code in codes)
    ]


def offered_codes(workspace: Any | None = None) -> set[str]:
    """The codes of the places on in ``workspace`` now (:func:`available_slots`)."""
    return {slot.code for slot in available_slots(workspace)}


def in_service(row: AdPlacement, offered: set[str]) -> bool:
    """Whether the placement is in the network now: joined, and its place on in the
    workspace (``offered``: :func:`offered_codes`). A place whose module was switched off
    keeps its row and its choice; it serves again when the module is back."""
    return row.active and (row.kind == "external" or row.code in offered)


def module_switched(event: sdk.Event) -> None:
    """``workspace.plugin_switched``: the places of a module switched on or off there join or
    leave the delivery index."""
    plugin = event.payload["plugin"]
    if any(slot.plugin == plugin for slot in sdk.ad_slots().values()):
        index.invalidate()


def _hooks_of(workspace: Any) -> Any:
    """The hook callers of ``workspace``'s plugins (the current one's, or another's for the
    command line)."""
    if sdk.current_workspace() is workspace:
        return sdk.workspace_hooks()
    with sdk.working_in(workspace):
        return sdk.workspace_hooks()


@dataclass(frozen=True, slots=True)
class Place:
    """A place the workspace may join, with its placement when it has one."""

    slot: sdk.AdSlot
    placement: AdPlacement | None

    @property
    def joined(self) -> bool:
        return self.placement is not None and self.placement.active


def places(workspace: Any | None = None) -> list[Place]:
    """Every place that applies to the workspace, each with its placement row (or None)."""
    rows = {p.code: p for p in sdk.db.session.scalars(sdk.scoped(AdPlacement))}
    return [Place(slot, rows.get(slot.code)) for slot in available_slots(workspace)]


def externals() -> list[AdPlacement]:
    """The workspace's external placements, oldest first."""
    statement = sdk.scoped(AdPlacement).where(AdPlacement.kind == "external")
    return list(sdk.db.session.scalars(statement.order_by(AdPlacement.id)))


def slot_of(code: str) -> sdk.AdSlot:
    """The place ``code`` if the current workspace may join it, else 404."""
    for slot in available_slots():
        if slot.code == code:
            return slot
    sdk.abort(404)


def _check(
    sizes: Iterable[str],
    formats: Iterable[str],
    excluded: Iterable[str],
    *,
    allowed_sizes: Iterable[str],
    allowed_formats: Iterable[str],
) -> tuple[list[str], list[str], list[str]]:
    """Sizes and formats within what the place allows (at least one of each), categories
    from the catalogue; answers them in the catalogue's order, without repeats."""
    allowed_sizes, allowed_formats = list(allowed_sizes), list(allowed_formats)
    sizes, formats, excluded = set(sizes), set(formats), set(excluded)
    if not sizes or not sizes <= set(allowed_sizes):
        raise sdk.UserError(
            "invalid_sizes",
            _("Choose sizes among those of the place: %(sizes)s.", sizes=", ".join(allowed_sizes)),
            field="sizes",
            details={"allowed": allowed_sizes},
        )
    if not formats or not formats <= set(allowed_formats):
        raise sdk.UserError(
            "invalid_formats",
            _(
                "Choose formats among those of the place: %(formats)s.",
                formats=", ".join(allowed_formats),
            ),
            field="formats",
            details={"allowed": allowed_formats},
        )
    if not excluded <= set(CATEGORIES):
        raise sdk.UserError(
            "invalid_categories",
            _("Some of these advertiser categories do not exist."),
            field="excluded_categories",
            details={"allowed": list(CATEGORIES)},
        )
    return (
        [s for s in allowed_sizes if s in sizes],
        [f for f in allowed_formats if f in formats],
        [c for c in CATEGORIES if c in excluded],
    )


def save_place(
    code: str,
    *,
    active: bool,
    sizes: Iterable[str],
    formats: Iterable[str],
    excluded_categories: Iterable[str] = (),
) -> AdPlacement:
    """Join (``active``) or leave a place, with the sizes, formats and exclusions accepted
    there; the first save creates the placement and its random public id."""
    slot = slot_of(code)
    sizes, formats, excluded = _check(
        sizes, formats, excluded_categories, allowed_sizes=slot.sizes, allowed_formats=slot.formats
    )
    row = sdk.db.session.scalar(sdk.scoped(AdPlacement).where(AdPlacement.code == code))
    if row is None:
        row = AdPlacement(
            code=code,
            kind="slot",
            name=str(slot.label),
            public_id=new_public_id(),
            workspace_id=sdk.current_workspace().id,
        )
        sdk.db.session.add(row)
    was = row.active if row.id else None
    row.sizes, row.formats, row.excluded_categories, row.active = sizes, formats, excluded, active
    if was is not active:
        action = "ads.placement_joined" if active else "ads.placement_left"
        sdk.audit(action, subject=f"ads_placement:{code}")
    _commit()
    return row


def create_external(
    *,
    name: str,
    site_url: str,
    size: str,
    formats: Iterable[str] = sdk.AD_FORMATS,
    excluded_categories: Iterable[str] = (),
    active: bool = True,
) -> AdPlacement:
    """A placement on a member site hosted elsewhere: one size, shown by the tag."""
    sizes, formats, excluded = _check(
        [size],
        formats,
        excluded_categories,
        allowed_sizes=sdk.IAB_SIZES,
        allowed_formats=sdk.AD_FORMATS,
    )
    row = AdPlacement(
        code=_next_external_code(),
        kind="external",
        name=_name(name),
        site_url=_site_url(site_url),
        public_id=new_public_id(),
        sizes=sizes,
        formats=formats,
        excluded_categories=excluded,
        active=active,
        workspace_id=sdk.current_workspace().id,
    )
    sdk.db.session.add(row)
    sdk.db.session.flush()
    sdk.audit("ads.placement_created", subject=f"ads_placement:{row.id}")
    _commit()
    return row


def update_placement(row: AdPlacement, **changes: Any) -> AdPlacement:
    """Change any of ``active``, ``sizes``, ``formats``, ``excluded_categories`` and, for an
    external placement, ``name`` and ``site_url`` (a place's name is the slot's label)."""
    if row.kind == "slot":
        for name in ("name", "site_url"):
            if changes.get(name) is not None:
                raise sdk.UserError(
                    "not_external",
                    _("Only an external placement has a name and a site address of its own."),
                    field=name,
                )
        # Not slot_of(): a place whose module was switched off since can still be left.
        slot = sdk.ad_slots().get(row.code)
        allowed_sizes = slot.sizes if slot else tuple(row.sizes)
        allowed_formats = slot.formats if slot else tuple(row.formats)
    else:
        allowed_sizes, allowed_formats = sdk.IAB_SIZES, sdk.AD_FORMATS
        if changes.get("name") is not None:
            row.name = _name(changes["name"])
        if changes.get("site_url") is not None:
            row.site_url = _site_url(changes["site_url"])
    sizes, formats, excluded = _check(
        _given(changes, "sizes", row.sizes),
        _given(changes, "formats", row.formats),
        _given(changes, "excluded_categories", row.excluded_categories),
        allowed_sizes=allowed_sizes,
        allowed_formats=allowed_formats,
    )
    if row.kind == "external" and len(sizes) != 1:
        raise sdk.UserError(
            "invalid_sizes", _("An external placement has one size."), field="sizes"
        )
    active = _given(changes, "active", row.active)
    if active and row.kind == "slot" and row.code not in offered_codes():
        raise sdk.UserError(
            "place_unavailable",
            _("The module showing this place is switched off here: switch it on first."),
            status=409,
            field="active",
        )
    if active is not row.active:
        action = "ads.placement_joined" if active else "ads.placement_left"
        sdk.audit(action, subject=f"ads_placement:{row.id}")
    row.sizes, row.formats, row.excluded_categories, row.active = sizes, formats, excluded, active
    _commit()
    return row


def _given(changes: dict[str, Any], name: str, current: Any) -> Any:
    value = changes.get(name)
    return current if value is None else value


def _name(value: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > 200:
        raise sdk.UserError(
            "invalid_name", _("Give the placement a name (200 characters at most)."), field="name"
        )
    return value


def _site_url(value: str) -> str:
    value = (value or "").strip()
    if len(value) > 500 or not SITE_URL.match(value):
        raise sdk.UserError(
            "invalid_site_url",
            _("Give the site's address, starting with https:// or http://."),
            field="site_url",
        )
    return value


def _next_external_code() -> str:
    codes = sdk.db.session.scalars(
        sdk.scoped(AdPlacement).where(AdPlacement.kind == "external")
    ).all()
    numbers = [int(p.code.rsplit(".", 1)[-1]) for p in codes if p.code.rsplit(".", 1)[-1].isdigit()]
    return f"external.{max(numbers, default=0) + 1}"


def new_public_id() -> str:
    """What tags and decision requests name a placement by: random, never the row's id."""
    return secrets.token_urlsafe(12)


def _commit() -> None:
    sdk.db.session.commit()
    index.invalidate()


# -- the tag for sites hosted elsewhere ------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Snippet:
    """Both forms of an external placement's tag, ready to copy."""

    script: str
    iframe: str
    script_src: str
    frame_src: str


def _serve_url(endpoint: str, path: str, **values: Any) -> str:
    """The delivery endpoint's absolute address; while delivery does not route it (a platform
    without the serving part), the documented path on the platform's base address."""
    if endpoint in current_app.view_functions:
        return sdk.external_url(endpoint, **values)
    query = "&".join(f"{k}={v}" for k, v in values.items() if k == "size")
    base = sdk.external_url("platform.home").rstrip("/")
    return base + path + (f"?{query}" if query else "")


def snippet(row: AdPlacement) -> Snippet:
    """The copy-paste tag of an external placement: a script (which measures viewability) and
    an iframe for sites that allow no scripts."""
    size = row.sizes[0] if row.sizes else "300x250"
    width, height = size.split("x")
    script_src = _serve_url("ads_serve.tag", "/ads/tag.js")
    frame_src = _serve_url(
        "ads_serve.frame", f"/ads/frame/{row.public_id}", public_id=row.public_id, size=size
    )
    script = (
        f'<script async src="{script_src}" data-ent-placement="{row.public_id}" '
        f'data-size="{size}"></script>'
    )
    title = escape(_("Advertisement"))  # what a screen reader announces for the frame
    iframe = (
        f'<iframe src="{frame_src}" width="{width}" height="{height}" '
        f'title="{title}" loading="lazy" scrolling="no" frameborder="0" '
        f'style="border:0;overflow:hidden"></iframe>'
    )
    return Snippet(script=script, iframe=iframe, script_src=script_src, frame_src=frame_src)
