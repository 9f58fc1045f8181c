"""Cover images: checked by content (``sdk.store_upload``), then resized with Pillow.

The original is kept; each width smaller than it gets a WebP copy so pages can offer a
``srcset`` and phones do not download a 4000-pixel photo.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageOps

from ent_core import sdk

IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")
COVER_MAX_BYTES = 8 * 1024 * 1024
COVER_WIDTHS = (480, 960, 1600)


def store_cover(data: Any) -> tuple[str, dict[str, str]]:
    """Store an uploaded cover; returns its key and ``{width: key}`` of the resized copies.

    Raises ``sdk.UploadRejected`` (with a translated ``message``) for anything not an image.
    """
    stored = sdk.store_upload(data, allowed=IMAGE_TYPES, max_bytes=COVER_MAX_BYTES)
    variants: dict[str, str] = {}
    with sdk.open_upload(stored.key) as handle, Image.open(handle) as original:
        image = ImageOps.exif_transpose(original)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        for width in COVER_WIDTHS:
            if width >= image.width:
                continue
            height = max(1, round(image.height * width / image.width))
            resized = image.resize((width, height), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            resized.save(buffer, format="WEBP", quality=82)
            copy = sdk.store_upload(buffer.getvalue(), allowed=("image/webp",))
            variants[str(width)] = copy.key
        variants[str(image.width)] = stored.key
    return stored.key, variants
