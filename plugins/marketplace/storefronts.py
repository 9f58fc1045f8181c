"""Sellers' storefronts: who a public seller is, and the profile they write about themselves."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Listing, SellerProfile
from ent_plugins.marketplace.visibility import is_public_seller

from ent_core import sdk


def _workspace_model() -> Any:
    """The core's workspace class, reached through a relationship (plugins import no core)."""
    return Listing.workspace.property.mapper.class_


@sdk.all_workspaces()
def public_seller(slug: str) -> Any | None:
    """The workspace behind ``/marketplace/sellers/<slug>`` if the public may see it."""
    names = sdk.workspace_names((), slugs=(slug,))
    found = next((n for n in names.values() if n.slug == slug), None)
    if found is None or not is_public_seller(found.id):
        return None
    return sdk.db.session.get(_workspace_model(), found.id)


@sdk.all_workspaces()
def profile_of(workspace_id: int) -> SellerProfile | None:
    return sdk.db.session.scalar(
        sdk.db.select(SellerProfile).where(SellerProfile.workspace_id == workspace_id)
    )


def own_profile() -> SellerProfile:
    """The current workspace's profile, created (unsaved until the caller commits) when it
    has none yet: sellers write their storefront before or after their first listing."""
    profile = sdk.db.session.scalar(sdk.scoped(SellerProfile))
    if profile is None:
        profile = SellerProfile(workspace_id=sdk.current_workspace().id)
        sdk.db.session.add(profile)
    return profile


def update_profile(profile: SellerProfile, *, tagline: str, about: str, location: str) -> None:
    profile.tagline = tagline.strip()
    profile.about = about.strip()
    profile.location = location.strip()
    sdk.audit("marketplace.storefront_updated", subject=f"marketplace_seller:{profile.id}")
