"""Pictures of listings: checked by content, then re-encoded as plain JPEGs we wrote (no
metadata, no trailing bytes), one of at most 1600 pixels a side and a 400-pixel thumbnail."""

from __future__ import annotations

import io
from typing import Any

from ent_plugins.marketplace.models import Listing, ListingImage

from ent_core import sdk

ACCEPTED = ("image/png", "image/jpeg", "image/webp")
MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
THUMB_SIDE = 400
ALT_MAX = 200
#: Pictures a listing may carry.
MAX_IMAGES = 10


def _jpeg(image: Any, side: int) -> tuple[bytes, int, int]:
    from PIL import Image

    copy = image.copy()
    copy.thumbnail((side, side))
    if copy.mode in ("RGBA", "LA", "P"):
        rgba = copy.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        copy = flat
    elif copy.mode != "RGB":
        copy = copy.convert("RGB")
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), copy.width, copy.height


def add_image(listing: Listing, data: Any, alt: str) -> ListingImage:
    """Check ``data`` (a ``FileStorage`` or bytes), store its two copies; ``UploadRejected``
    or a ``UserError`` (alternative text, too many pictures) when refused."""
    from PIL import Image, ImageOps

    alt = (alt or "").strip()
    if not alt or len(alt) > ALT_MAX:
        raise sdk.UserError(
            "validation_error",
            sdk._("Describe the picture in a few words for people who cannot see it."),
            422,
            field="alt_text",
        )
    if len(listing.images) >= MAX_IMAGES:
        raise sdk.UserError(
            "too_many_images",
            sdk._("A listing carries at most %(num)d pictures.", num=MAX_IMAGES),
            409,
            field="image",
        )
    checked = sdk.check_upload(data, allowed=ACCEPTED, max_bytes=MAX_BYTES)
    with sdk.decoding_image(), Image.open(io.BytesIO(checked.raw)) as opened:
        upright = ImageOps.exif_transpose(opened)
        large, width, height = _jpeg(upright, MAX_SIDE)
        thumb, _, _ = _jpeg(upright, THUMB_SIDE)
    stored = sdk.check_upload(large, allowed=("image/jpeg",)).store()
    stored_thumb = sdk.check_upload(thumb, allowed=("image/jpeg",)).store()
    image = ListingImage(
        file_token=stored.key,
        thumb_token=stored_thumb.key,
        alt_text=alt,
        width=width,
        height=height,
        position=max((i.position for i in listing.images), default=-1) + 1,
    )
    listing.images.append(image)
    sdk.db.session.flush()
    return image


def remove_image(listing: Listing, image_id: int) -> None:
    image = image_of(listing, image_id)
    listing.images.remove(image)
    _renumber(listing)


def move_image(listing: Listing, image_id: int, step: int) -> None:
    """Move a picture one place earlier (``-1``) or later (``1``); the first is the cover."""
    images = list(listing.images)
    image = image_of(listing, image_id)
    index = images.index(image)
    other = index + step
    if 0 <= other < len(images):
        images[index], images[other] = images[other], images[index]
    for position, row in enumerate(images):
        row.position = position
    sdk.db.session.flush()


def image_of(listing: Listing, image_id: int) -> ListingImage:
    for image in listing.images:
        if image.id == image_id:
            return image
    sdk.abort(404)
    raise AssertionError  # unreachable: abort raises


def _renumber(listing: Listing) -> None:
    for position, row in enumerate(listing.images):
        row.position = position
    sdk.db.session.flush()
