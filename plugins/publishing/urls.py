"""The absolute public address of an article, shared by the API, the pages and the portal.

The public site (``publishing_public`` blueprint) builds it when it is registered; otherwise
the agreed path ``/s/<workspace>/publishing/articles/<slug>`` on ``ENT_BASE_URL``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import current_app
from werkzeug.routing import BuildError

from ent_core import sdk

PUBLIC_ENDPOINT = "publishing_public.article"


def public_url(article: Any, workspace_slug: str | None = None) -> str:
    """Where readers find ``article`` once published (``ENT_BASE_URL`` + path)."""
    slug = workspace_slug or article.workspace.slug
    if PUBLIC_ENDPOINT in current_app.view_functions:
        for name in ("article_slug", "slug"):
            try:
                return sdk.external_url(PUBLIC_ENDPOINT, workspace=slug, **{name: article.slug})
            except BuildError:
                continue
    base = sdk.external_url("platform.home").rstrip("/")
    return f"{base}/s/{quote(slug)}/publishing/articles/{quote(article.slug)}"
