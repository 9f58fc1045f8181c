"""Advertising inventory: the places in plugins' pages that can carry an ad (``ent_ad_slots``).

A plugin declares *where* an ad may go (a template slot of its pages, the IAB sizes that fit
there, the formats it accepts); an advertising plugin decides *whether* and *what*: it keeps
which workspaces joined each place to its network, and fills the template slot. The core owns
the vocabulary (sizes, formats) so that declarations and ad servers agree without importing
each other.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

#: The IAB sizes the platform sells (width x height, in CSS pixels).
IAB_SIZES: tuple[str, ...] = ("300x250", "728x90", "970x250", "320x50", "160x600", "300x600")
#: image: a picture with a link; html5: a zipped bundle shown in a sandboxed iframe;
#: native: a text ad (headline, text, optional picture) styled by the page.
AD_FORMATS: tuple[str, ...] = ("image", "html5", "native")


@dataclass(frozen=True, slots=True)
class AdSlot:
    """A place of a plugin's pages that can carry an ad.

    ``code`` names the place (``<plugin>.<page>.<place>``); ``slot`` is the template slot the
    ad is rendered into (by default the code itself); ``platform`` places belong to no
    workspace (the sector portal) and are sold by the operator's régie.
    """

    code: str
    label: Any
    sizes: tuple[str, ...]
    formats: tuple[str, ...] = AD_FORMATS
    slot: str = ""
    platform: bool = False
    description: Any = field(default="", compare=False)
    #: The plugin that declared it (``None``: the core), filled in by ``ad_slots()``: a place
    #: is on in a workspace while that plugin is.
    plugin: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        unknown = [s for s in self.sizes if s not in IAB_SIZES]
        if unknown or not self.sizes:
            raise ValueError(
                f"ad slot {self.code!r}: sizes {unknown or '(none)'} are not among {IAB_SIZES}"
            )
        odd = [f for f in self.formats if f not in AD_FORMATS]
        if odd or not self.formats:
            raise ValueError(
                f"ad slot {self.code!r}: formats {odd or '(none)'} not in {AD_FORMATS}"
            )
        if not self.slot:
            object.__setattr__(self, "slot", self.code)


def ad_slots() -> dict[str, AdSlot]:
    """Every place the installed plugins (and the core) declare, by code, in hook order; a
    code declared twice is refused naming both declarers. Collected once per application."""
    kept = current_app.extensions.get("ent.ad_slots")
    if kept is None:
        kept = current_app.extensions["ent.ad_slots"] = _collect(current_app.extensions["ent"])
    return kept


def _collect(registry: Any) -> dict[str, AdSlot]:
    found: dict[str, AdSlot] = {}
    owners: dict[str, str] = {}
    for answer in registry.answers("ent_ad_slots"):
        for slot in answer.value or ():
            if not isinstance(slot, AdSlot):
                raise TypeError(f"{answer.source}: ent_ad_slots returned {slot!r}, not AdSlot")
            if slot.code in found:
                raise ValueError(
                    f"ad slot {slot.code!r} is declared by {owners[slot.code]} and "
                    f"{answer.source}: name yours after your plugin"
                )
            found[slot.code] = dataclasses.replace(slot, plugin=answer.plugin)
            owners[slot.code] = answer.source
    return found
