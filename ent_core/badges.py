"""Profile badges: what a person earned (certificates...) shown beside their name on public pages.

A *platform* hook: a user's badges do not depend on the workspace of the page showing them, so
every installed plugin answers, wherever the page is (a byline in a media's site shows a
certificate from the training centre).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app


@dataclass(frozen=True, slots=True)
class ProfileBadge:
    """One badge: a short label, a public link proving it, who issued it, when it ends."""

    label: str
    url: str
    issuer: str
    kind: str = "certificate"
    expires_at: datetime | None = None


def profile_badges(user: Any) -> list[ProfileBadge]:
    """Every installed plugin's badges for ``user``, in hook order; none for anonymous users."""
    if user is None or getattr(user, "id", None) is None:
        return []
    batches = current_app.extensions["ent"].hook.ent_profile_badges(user=user)
    return [badge for batch in batches for badge in batch or ()]
