"""Pictures of classified ads: checked by content, then re-encoded and resized, so that what
is stored and served is a plain JPEG we wrote (no metadata, no trailing bytes, no surprises)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ent_core import sdk

ACCEPTED = ("image/png", "image/jpeg", "image/webp")
MAX_BYTES = 5 * 1024 * 1024
#: The longest side kept: enough for a board's page, small for mobile readers.
MAX_SIDE = 1200
ALT_MAX = 200


@dataclass(frozen=True)
class PreparedImage:
    """A picture ready to store (``checked.store()``) with its text alternative."""

    checked: Any
    alt: str


def prepare(data: Any, alt: str) -> PreparedImage:
    """Check ``data`` (a ``FileStorage`` or bytes), re-encode it; ``sdk.UploadRejected`` (or a
    ``UserError`` for the alternative text) when refused. Nothing is written yet."""
    alt = (alt or "").strip()
    if not alt or len(alt) > ALT_MAX:
        raise sdk.UserError(
            "validation_error",
            sdk._("Describe each picture in a few words for people who cannot see it."),
            422,
            field="images",
        )
    checked = sdk.check_upload(data, allowed=ACCEPTED, max_bytes=MAX_BYTES)
    return PreparedImage(sdk.check_upload(reencode(checked.raw), allowed=("image/jpeg",)), alt)


def reencode(raw: bytes) -> bytes:
    """A JPEG of at most ``MAX_SIDE`` pixels a side, upright, without metadata."""
    from PIL import Image, ImageOps

    with sdk.decoding_image(), Image.open(io.BytesIO(raw)) as image:
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail((MAX_SIDE, MAX_SIDE))
        if upright.mode in ("RGBA", "LA", "P"):
            rgba = upright.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            upright = flat
        elif upright.mode != "RGB":
            upright = upright.convert("RGB")
        out = io.BytesIO()
        upright.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()
