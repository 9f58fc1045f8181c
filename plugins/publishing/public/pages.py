"""The public pages: home, article (and the 301 of an old slug), sector, tag, author, search."""

from __future__ import annotations

from typing import Any

from ent_plugins.publishing.models import Article, ArticleAuthor, Author, SlugHistory
from ent_plugins.publishing.public.addresses import article_url
from ent_plugins.publishing.public.queries import (
    author_or_404,
    by_author,
    changed_at,
    in_sector,
    is_public,
    listed,
    matching,
    paginate,
    sector_or_404,
    tag_or_404,
    with_tag,
)
from ent_plugins.publishing.public.rendering import article_print, listing_print, page
from flask import Response, abort, redirect, request, url_for
from sqlalchemy import bindparam
from sqlalchemy.orm import selectinload

from ent_core import sdk

SEARCH_MIN = 2
SEARCH_MAX = 200


def home() -> Response:
    listing = paginate(listed(), request.args.get("before"))
    return page(
        "publishing/public/home.html",
        listing.last_modified,
        lambda: listing_print(listing),
        listing=listing,
    )


def article(slug: str) -> Any:
    from ent_plugins.publishing import seo

    found = sdk.db.session.scalar(
        _article_by_slug(), {"workspace_id": sdk.current_workspace().id, "slug": slug}
    )
    if found is None:
        return _moved(slug)

    def shown_around() -> dict[str, Any]:
        """The byline's badges and the ``<head>``'s metadata: only when the page is rendered."""
        return {
            "badges": {
                author.id: sdk.profile_badges(author.user)
                for author in found.authors
                if author.user is not None
            },
            "meta": seo.article_meta(found, article_url(found)),
        }

    return page(
        "publishing/public/article.html",
        changed_at(found),
        lambda: article_print(found),
        shown_around,
        article=found,
    )


_statements: dict[str, Any] = {}


def _article_by_slug() -> Any:
    """The article page's statement (``published()`` for one slug, the authors' accounts for
    their badges), built once per process and run with the workspace and slug bound."""
    statement = _statements.get("article")
    if statement is None:
        statement = _statements["article"] = (
            sdk.db.select(Article)
            .where(*is_public(bindparam("workspace_id")), Article.slug == bindparam("slug"))
            .options(
                selectinload(Article.author_links)
                .joinedload(ArticleAuthor.author)
                .joinedload(Author.user),
                selectinload(Article.sector_rows),
                selectinload(Article.tags),
            )
            .order_by(Article.published_at.desc(), Article.id.desc())
        )
    return statement


def _moved(slug: str) -> Any:
    """An old slug: 301 to the article's current address (while it is published)."""
    old = sdk.db.session.scalar(sdk.scoped(SlugHistory).where(SlugHistory.slug == slug))
    if old is None:
        abort(404)
    target = sdk.db.session.get(Article, old.article_id)
    if target is None or not target.is_public or target.slug == slug:
        abort(404)
    return redirect(url_for("publishing_public.article", slug=target.slug), code=301)


def sector(code: str) -> Response:
    code = sector_or_404(code)
    listing = paginate(in_sector(listed(), code), request.args.get("before"))
    return page(
        "publishing/public/listing.html",
        listing.last_modified,
        lambda: listing_print(listing),
        listing=listing,
        heading=sdk.sector_label(code),
        kind="sector",
        feed_url=url_for("publishing_public.sector_atom", code=code),
        rss_url=url_for("publishing_public.sector_rss", code=code),
    )


def tag(slug: str) -> Response:
    found = tag_or_404(slug)
    listing = paginate(with_tag(listed(), found), request.args.get("before"))
    return page(
        "publishing/public/listing.html",
        listing.last_modified,
        lambda: (found.id, found.name, listing_print(listing)),
        listing=listing,
        heading=found.name,
        kind="tag",
        feed_url=None,
        rss_url=None,
    )


def author(slug: str) -> Response:
    found = author_or_404(slug)
    listing = paginate(by_author(listed(), found), request.args.get("before"))
    badges = sdk.profile_badges(found.user) if found.user is not None else []
    return page(
        "publishing/public/author.html",
        listing.last_modified,
        listing=listing,
        author=found,
        badges=badges,
        photo_url=(
            url_for("publishing_public.author_photo", slug=found.slug) if found.photo_key else None
        ),
    )


def search() -> Response:
    terms = " ".join(request.args.get("q", "").split())[:SEARCH_MAX]
    listing = None
    if len(terms) >= SEARCH_MIN:
        listing = paginate(matching(listed(), terms), request.args.get("before"))
    return page(
        "publishing/public/search.html",
        listing.last_modified if listing else None,
        lambda: ("search", listing_print(listing)),
        listing=listing,
        terms=terms,
        too_short=bool(terms) and len(terms) < SEARCH_MIN,
    )
