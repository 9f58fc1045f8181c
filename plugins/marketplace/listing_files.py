"""The file a digital product delivers: checked by content and kept private (served only to
the seller here, and to buyers by the part that delivers orders)."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Listing

from ent_core import sdk

ACCEPTED = ("application/pdf", "application/zip", "image/png", "image/jpeg", "image/webp")
MAX_BYTES = 50 * 1024 * 1024


def store_digital_file(listing: Listing, data: Any, name: str | None = None) -> None:
    """``sdk.UploadRejected`` when refused; a digital product only."""
    if listing.kind != "product" or listing.delivery != "digital":
        raise sdk.UserError(
            "not_digital",
            sdk._("Only digital products carry a file to download."),
            409,
            field="file",
        )
    stored = sdk.store_upload(data, allowed=ACCEPTED, max_bytes=MAX_BYTES, original_name=name)
    listing.file_token = stored.key
    listing.file_name = (stored.original_name or name or "file")[-200:]
    sdk.db.session.flush()
