"""Covers and author photos of the public site; keys are content hashes, so caches may keep them."""

from __future__ import annotations

from ent_plugins.publishing.models import Article
from ent_plugins.publishing.public.queries import author_or_404, published
from flask import Response, abort

from ent_core import sdk


def cover(article_id: int, width: int) -> Response:
    """A published article's cover, resized; keys are content hashes, so caches may keep it."""
    found = sdk.db.session.scalar(published().where(Article.id == article_id))
    if found is None or not found.cover_key:
        abort(404)
    response = sdk.send_upload(found.cover_key_for(width) or found.cover_key)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def author_photo(slug: str) -> Response:
    found = author_or_404(slug)
    if not found.photo_key:
        abort(404)
    response = sdk.send_upload(found.photo_key)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
