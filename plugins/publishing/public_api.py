"""The read-only public content API: published articles as JSON, for apps and partner sites.

No token: it serves what the public site shows, at ``/s/<slug>/publishing/api/articles``.
Responses are cacheable (``Cache-Control: public``) and carry an ETag; errors use the API's
``{"error": {"code", "message"}}`` shape.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.publishing.models import Article
from ent_plugins.publishing.public import addresses, queries, rendering
from ent_plugins.publishing.seo import canonical_of, description_of
from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

from ent_core import sdk

LIMIT_MAX = 50

public_api_bp = sdk.PublicBlueprint("publishing_public_api", __name__, url_prefix="/api")

_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 429: "rate_limited"}


@public_api_bp.errorhandler(Exception)
def _json_error(exc: Exception) -> Any:
    """Errors of this API in JSON, including the 404 of a workspace where publishing is off.

    Its addresses are on the public site, not under ``/api/``: a refusal is answered here."""
    if isinstance(exc, sdk.UserError):
        sdk.db.session.rollback()
        return exc.response()
    if isinstance(exc, HTTPException):
        status = exc.code or 500
        return sdk.ApiError(_CODES.get(status, "error"), exc.description or "", status).response()
    if type(exc).__name__ == "NotEnabledHere":
        message = sdk._("This feature is not enabled for this workspace.")
        return sdk.ApiError("not_found", message, 404).response()
    raise exc


def article_json(article: Article, *, full: bool) -> dict[str, Any]:
    """The public fields of an article; ``full`` adds the sanitised body."""
    url = addresses.article_url(article)
    data: dict[str, Any] = {
        "id": article.id,
        "slug": article.slug,
        "url": url,
        "canonical_url": canonical_of(article, url),
        "title": article.title,
        "standfirst": article.standfirst,
        "summary": description_of(article),
        "language": article.language,
        "published_at": article.published_at.isoformat(),
        "updated_at": queries.changed_at(article).isoformat(),
        "sectors": article.sectors,
        "tags": [{"name": t.name, "slug": t.slug} for t in article.tags],
        "authors": [
            {
                "name": a.name,
                "slug": a.slug,
                "url": addresses.absolute("publishing_public.author", slug=a.slug),
            }
            for a in article.authors
        ],
        "cover": (
            {"url": addresses.cover_url(article), "alt": article.cover_alt}
            if article.cover_key
            else None
        ),
    }
    if full:
        data["body_html"] = str(article.safe_body_html)
    return data


def _limit() -> int:
    try:
        limit = int(request.args.get("limit", queries.PAGE_SIZE))
    except ValueError:
        raise sdk.ApiError("validation_error", sdk._("limit must be a number."), 422) from None
    return max(1, min(limit, LIMIT_MAX))


def _respond(payload: dict[str, Any], last_modified: Any) -> Response:
    return rendering.conditional(jsonify(payload), last_modified)


def list_articles() -> Response:
    statement = queries.published()
    sector = request.args.get("sector")
    if sector:
        statement = queries.in_sector(statement, sector)
    listing = queries.paginate(statement, request.args.get("cursor"), _limit())
    payload = {
        "items": [article_json(a, full=False) for a in listing.articles],
        "next_cursor": listing.next_cursor,
    }
    return _respond(payload, listing.last_modified)


def get_article(slug: str) -> Response:
    found = sdk.db.session.scalar(queries.published().where(Article.slug == slug))
    if found is None:
        raise sdk.ApiError("not_found", sdk._("No published article has this address."), 404)
    return _respond(article_json(found, full=True), queries.changed_at(found))


public_api_bp.add_url_rule("/articles", view_func=list_articles)
public_api_bp.add_url_rule("/articles/<slug>", view_func=get_article)
