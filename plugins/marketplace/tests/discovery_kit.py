"""Helpers of discovery's tests: listings in several states, with translations and pictures."""

from __future__ import annotations

from typing import Any

from ent_core import sdk


def translate(listing: Any, language: str, title: str, description: str = "") -> None:
    from ent_plugins.marketplace.models import ListingTranslation

    with sdk.all_workspaces():
        sdk.db.session.add(
            ListingTranslation(
                workspace_id=listing.workspace_id,
                listing_id=listing.id,
                language=language,
                title=title,
                description=description,
            )
        )
        sdk.db.session.commit()


def picture(listing: Any, alt: str = "Une capture") -> Any:
    """A stored PNG attached to ``listing`` (its thumbnail is the same file)."""
    import io

    from ent_plugins.marketplace.models import ListingImage
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    stored = sdk.store_upload(buffer.getvalue(), allowed=("image/png",))
    with sdk.all_workspaces():
        image = ListingImage(
            workspace_id=listing.workspace_id,
            listing_id=listing.id,
            file_token=stored.key,
            thumb_token=stored.key,
            alt_text=alt,
        )
        sdk.db.session.add(image)
        sdk.db.session.commit()
    return image


def set_status(listing: Any, status: str) -> None:
    with sdk.all_workspaces():
        row = sdk.db.session.merge(listing)
        row.status = status
        sdk.db.session.commit()


def ids(items: list[dict[str, Any]]) -> list[int]:
    return [item["id"] for item in items]
