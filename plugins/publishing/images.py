"""Cover images: checked by content (``sdk.store_upload``), then resized with Pillow.

The original is kept; each width smaller than it gets a WebP copy so pages can offer a
``srcset`` and phones do not download a 4000-pixel photo. Resizing holds one of the platform's
image-decoding slots (``sdk.decoding_image``), and nothing is written until every copy is made.
"""

from __future__ import annotations

import io
from typing import Any

from ent_core import sdk

IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")
COVER_MAX_BYTES = 8 * 1024 * 1024
COVER_WIDTHS = (480, 960, 1600)


def store_cover(data: Any) -> tuple[str, dict[str, str]]:
    """Store an uploaded cover; returns its key and ``{width: key}`` of the resized copies.

    Raises ``sdk.UploadRejected`` (with a translated ``message``) for anything not an image.
    """
    # Here, not at the top: Pillow (~2 MB) loads in the workers that receive a cover.
    from PIL import Image, ImageOps

    checked = sdk.check_upload(data, allowed=IMAGE_TYPES, max_bytes=COVER_MAX_BYTES)
    copies: dict[str, bytes] = {}
    with sdk.decoding_image(), Image.open(io.BytesIO(checked.raw)) as original:
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
            copies[str(width)] = buffer.getvalue()
        full_width = str(image.width)
    variants = {
        width: sdk.store_upload(raw, allowed=("image/webp",)).key for width, raw in copies.items()
    }
    variants[full_width] = checked.store().key
    return variants[full_width], variants
