"""The public site of a workspace: home, article, sector, tag and author pages, search.

Every page lists published articles only, with the byline, sectors and tags loaded in a fixed
number of queries whatever the size of the archive (keyset pagination, no OFFSET, no N+1).
Responses carry an ETag (a hash of the body) and Last-Modified, and answer 304 when unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ent_plugins.publishing.models import (
    Article,
    ArticleAuthor,
    ArticleSector,
    ArticleTag,
    Author,
    SlugHistory,
    Tag,
)
from flask import Response, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import and_, bindparam, or_
from sqlalchemy.orm import joinedload, load_only, selectinload

from ent_core import sdk

PAGE_SIZE = 20
SEARCH_MIN = 2
SEARCH_MAX = 200
#: Browsers and proxies may reuse a public page this long before asking again (with its ETag).

public_bp = sdk.PublicBlueprint("publishing_public", __name__, template_folder="templates")


# -- queries ------------------------------------------------------------------------------


def is_public(workspace_id: Any = None) -> tuple[Any, ...]:
    """The criteria of an article readers may see, in the current workspace (or in
    ``workspace_id``, a bound parameter for statements built once)."""
    return (
        Article.workspace_id
        == (sdk.current_workspace().id if workspace_id is None else workspace_id),
        Article.publication_state == "published",
        Article.published_at.is_not(None),
    )


def public_columns(*columns: Any) -> Any:
    """``SELECT columns`` of the public articles, newest first (sitemap, existence checks)."""
    return (
        sdk.db.select(*columns)
        .where(*is_public())
        .order_by(Article.published_at.desc(), Article.id.desc())
    )


def published() -> Any:
    """Published articles of the current workspace, newest first, bylines, sectors, tags too."""
    return (
        sdk.db.select(Article)
        .where(*is_public())
        .options(
            selectinload(Article.author_links).joinedload(ArticleAuthor.author),
            selectinload(Article.sector_rows),
            selectinload(Article.tags),
        )
        .order_by(Article.published_at.desc(), Article.id.desc())
    )


#: What a card of a listing shows (the cursor and Last-Modified need the two dates): the
#: other columns, the body first, stay in the database. Built once per process.
_CARD = (
    load_only(
        Article.slug,
        Article.title,
        Article.standfirst,
        Article.language,
        Article.published_at,
        Article.updated_at,
    ),
    selectinload(Article.author_links).joinedload(ArticleAuthor.author).load_only(Author.name),
)


def listed() -> Any:
    """Published articles for the cards of a listing (home, sector, tag, author, search):
    newest first, with the byline; sectors, tags and the body stay for the article page."""
    return (
        sdk.db.select(Article)
        .where(*is_public())
        .options(*_CARD)
        .order_by(Article.published_at.desc(), Article.id.desc())
    )


@dataclass(frozen=True, slots=True)
class ArticlePage:
    """A page of a listing and the cursor of the next (older) one."""

    articles: list[Article]
    next_cursor: str | None

    @property
    def last_modified(self) -> datetime | None:
        return max((changed_at(a) for a in self.articles), default=None)


def aware(moment: datetime) -> datetime:
    """``moment`` with UTC attached if SQLite lost its zone (``UTCDateTime`` adds it back too)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def changed_at(article: Article) -> datetime:
    """When readers last saw a change: the later of publication and last edit."""
    moments = [aware(m) for m in (article.published_at, article.updated_at) if m is not None]
    return max(moments)


def encode_cursor(article: Article) -> str:
    micros = int(aware(article.published_at).timestamp() * 1_000_000)
    return f"{micros}.{article.id}"


def decode_cursor(raw: str | None) -> tuple[datetime, int] | None:
    """``?before=`` of a listing: the last article of the previous page; 400 when garbled."""
    if not raw:
        return None
    try:
        micros, ident = (int(part) for part in raw.split(".", 1))
        return datetime.fromtimestamp(micros / 1_000_000, UTC), ident
    except (ValueError, OverflowError, OSError):
        abort(400)


def paginate(statement: Any, cursor: str | None, size: int = PAGE_SIZE) -> ArticlePage:
    """One page of ``statement`` (ordered newest first) after ``cursor``; size + 1 rows read."""
    position = decode_cursor(cursor)
    if position is not None:
        moment, ident = position
        statement = statement.where(
            or_(
                Article.published_at < moment,
                and_(Article.published_at == moment, Article.id < ident),
            )
        )
    rows = list(sdk.db.session.scalars(statement.limit(size + 1)).unique())
    more = len(rows) > size
    rows = rows[:size]
    return ArticlePage(rows, encode_cursor(rows[-1]) if more and rows else None)


def in_sector(statement: Any, code: str) -> Any:
    return statement.where(
        Article.id.in_(sdk.db.select(ArticleSector.article_id).where(ArticleSector.sector == code))
    )


def with_tag(statement: Any, tag: Tag) -> Any:
    return statement.where(
        Article.id.in_(sdk.db.select(ArticleTag.article_id).where(ArticleTag.tag_id == tag.id))
    )


def by_author(statement: Any, author: Author) -> Any:
    return statement.where(
        Article.id.in_(
            sdk.db.select(ArticleAuthor.article_id).where(ArticleAuthor.author_id == author.id)
        )
    )


def matching(statement: Any, terms: str) -> Any:
    """Articles whose title, standfirst or body contain every word of ``terms``."""
    for word in terms.split()[:8]:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(
                Article.title.ilike(pattern, escape="\\"),
                Article.standfirst.ilike(pattern, escape="\\"),
                Article.body.ilike(pattern, escape="\\"),
            )
        )
    return statement


def sector_or_404(code: str) -> str:
    """A sector code the workspace works in, or one of its published articles is filed under."""
    workspace = sdk.current_workspace()
    if code in {s.code for s in workspace.sectors}:
        return code
    found = sdk.db.session.scalar(in_sector(public_columns(Article.id), code).limit(1))
    if found is None:
        abort(404)
    return code


def tag_or_404(slug: str) -> Tag:
    tag = sdk.db.session.scalar(sdk.scoped(Tag).where(Tag.slug == slug))
    if tag is None:
        abort(404)
    return tag


def author_or_404(slug: str) -> Author:
    author = sdk.db.session.scalar(
        sdk.scoped(Author).where(Author.slug == slug).options(joinedload(Author.user))
    )
    if author is None:
        abort(404)
    return author


# -- addresses ----------------------------------------------------------------------------


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


# -- responses ----------------------------------------------------------------------------


def conditional(response: Response, last_modified: datetime | None) -> Response:
    """ETag from the body, Last-Modified from the data, and a 304 when the client is current."""
    response.add_etag()
    if last_modified is not None:
        response.last_modified = last_modified
    if sdk.current_user.is_authenticated:
        response.cache_control.private = True
    else:
        response.cache_control.public = True
    # Revalidate every time (the ETag makes it a cheap 304): a scheduled article must show at
    # its time, not when a cached copy of the home expires.
    response.cache_control.no_cache = True
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    return response.make_conditional(request)


def page(template: str, last_modified: datetime | None, **context: Any) -> Response:
    workspace = sdk.current_workspace()
    html = render_template(
        template,
        site=workspace,
        site_sectors=[s.code for s in workspace.sectors],
        sector_label=sdk.sector_label,
        safe_link=safe_link,
        **context,
    )
    return conditional(current_app.make_response(html), last_modified)


# -- views --------------------------------------------------------------------------------


def home() -> Response:
    listing = paginate(listed(), request.args.get("before"))
    return page("publishing/public/home.html", listing.last_modified, listing=listing)


def article(slug: str) -> Any:
    from ent_plugins.publishing import seo

    found = sdk.db.session.scalar(
        _article_by_slug(), {"workspace_id": sdk.current_workspace().id, "slug": slug}
    )
    if found is None:
        return _moved(slug)
    url = article_url(found)
    badges = {
        author.id: sdk.profile_badges(author.user)
        for author in found.authors
        if author.user is not None
    }
    return page(
        "publishing/public/article.html",
        changed_at(found),
        article=found,
        badges=badges,
        meta=seo.article_meta(found, url),
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
        listing=listing,
        terms=terms,
        too_short=bool(terms) and len(terms) < SEARCH_MIN,
    )


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


public_bp.add_url_rule("/", view_func=home)
public_bp.add_url_rule("/articles/<slug>", view_func=article)
public_bp.add_url_rule("/sectors/<code>/", view_func=sector)
public_bp.add_url_rule("/tags/<slug>/", view_func=tag)
public_bp.add_url_rule("/authors/<slug>/", view_func=author)
public_bp.add_url_rule("/search", view_func=search)
public_bp.add_url_rule("/media/covers/<int:article_id>/<int:width>", view_func=cover)
public_bp.add_url_rule("/media/authors/<slug>/photo", view_func=author_photo)
