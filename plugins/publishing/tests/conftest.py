"""Fixtures of the publishing plugin's tests (the platform's come from ent_core.testing)."""

from __future__ import annotations

from publishing_newsroom_kit import audit_actions, newsroom, staff, web, write  # noqa: F401
from publishing_public_kit import make_article, make_author, site, slotfill  # noqa: F401
