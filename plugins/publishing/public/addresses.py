"""Public addresses of articles, covers and pages (absolute on ``ENT_BASE_URL``), and safe links."""

from __future__ import annotations

from typing import Any

from ent_plugins.publishing.models import Article
from flask import url_for

from ent_core import sdk


def article_url(article: Article, *, external: bool = True) -> str:
    """The public address of ``article`` (absolute, on ``ENT_BASE_URL``, unless ``external``)."""
    values = {"workspace": article.workspace.slug, "slug": article.slug}
    if external:
        return sdk.external_url("publishing_public.article", **values)
    return url_for("publishing_public.article", **values)


def absolute(endpoint: str, **values: Any) -> str:
    return sdk.external_url(endpoint, **values)


def cover_url(article: Article, width: int = 960) -> str | None:
    """The public address of the article's cover at about ``width`` pixels, if it has one."""
    if not article.cover_key:
        return None
    return absolute("publishing_public.cover", article_id=article.id, width=width)


def safe_link(url: str) -> str | None:
    """``url`` if it is a web or mail link (never ``javascript:``, ``data:``...), else ``None``."""
    cleaned = (url or "").strip()
    lowered = cleaned.lower()
    if lowered.startswith(("https://", "http://", "mailto:")) and not any(
        c in cleaned for c in "\n\r\t\0"
    ):
        return cleaned
    return None
