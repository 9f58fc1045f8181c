"""The public site of a workspace: home, article, sector, tag and author pages, search.

Every page lists published articles only, with the byline, sectors and tags loaded in a fixed
number of queries whatever the size of the archive (keyset pagination, no OFFSET, no N+1).
Responses carry an ETag (a hash of the body) and Last-Modified, and answer 304 when unchanged.

Pages for anonymous visitors are kept rendered for a short while (``_PageCache``): the queries
still run on every request, and the page is taken from memory only when what they loaded (the
*fingerprint*: ids, dates, slugs and bylines of the articles shown, the page cursor) is the
same as when it was rendered. See docs/publishing.md, "Rendered-page cache".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cachetools import TTLCache
from ent_plugins.publishing.models import (
    Article,
    ArticleAuthor,
    ArticleSector,
    ArticleTag,
    Author,
    SlugHistory,
    Tag,
)
from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, get_timezone
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
        """The latest ``changed_at`` of the page's articles (one ``max`` over their dates)."""
        moments = [
            m for a in self.articles for m in (a.published_at, a.updated_at) if m is not None
        ]
        try:
            return aware(max(moments)) if moments else None
        except TypeError:  # zoned and naive dates mixed: compare them one article at a time
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
    return _revalidated(response, last_modified)


def _revalidated(response: Response, last_modified: datetime | None) -> Response:
    """Last-Modified, caching headers and the 304 of a response that has its ETag."""
    if last_modified is not None:
        response.last_modified = last_modified
    audience = "private" if sdk.current_user.is_authenticated else "public"
    # Revalidate every time (the ETag makes it a cheap 304): a scheduled article must show at
    # its time, not when a cached copy of the home expires. Written as the strings werkzeug's
    # header objects would write (this runs for every page, from the cache too).
    response.headers["Cache-Control"] = f"{audience}, no-cache"
    if "Vary" in response.headers:
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
    else:
        response.headers["Vary"] = "Cookie, Accept-Language"
    return response.make_conditional(request)


# -- rendered-page cache --------------------------------------------------------------------

#: Seconds a rendered page may be reused while its fingerprint holds (0: no cache), and how
#: many pages a process keeps; operators change them in ``ENT_PLUGIN_SETTINGS["publishing"]``.
PAGE_CACHE_SECONDS = 60
PAGE_CACHE_ENTRIES = 256
#: Pages larger than this are rendered every time (bounds the cache's memory).
PAGE_CACHE_MAX_BYTES = 128 * 1024


def _clock() -> float:
    """The cache's timer (tests move it forward instead of sleeping)."""
    return time.monotonic()


class _PageCache:
    """Rendered public pages (body and ETag) by key, for at most ``ttl`` seconds each."""

    def __init__(self, ttl: float, entries: int) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._pages: TTLCache[Hashable, tuple[bytes, str]] | None = (
            TTLCache(maxsize=entries, ttl=ttl, timer=lambda: _clock()) if ttl > 0 else None
        )

    @property
    def enabled(self) -> bool:
        return self._pages is not None

    def get(self, key: Hashable) -> tuple[bytes, str] | None:
        if self._pages is None:
            return None
        with self._lock:
            return self._pages.get(key)

    def put(self, key: Hashable, body: bytes, etag: str) -> None:
        if self._pages is None or len(body) > PAGE_CACHE_MAX_BYTES:
            return
        with self._lock:
            self._pages[key] = (body, etag)


def _page_cache() -> _PageCache:
    """This application's page cache, made on first use from the operator's settings."""
    cache = current_app.extensions.get("publishing.page_cache")
    if cache is None:
        settings = current_app.config.get("ENT_PLUGIN_SETTINGS", {}).get("publishing", {})
        cache = current_app.extensions["publishing.page_cache"] = _PageCache(
            float(settings.get("page_cache_seconds", PAGE_CACHE_SECONDS)),
            int(settings.get("page_cache_entries", PAGE_CACHE_ENTRIES)),
        )
    return cache  # type: ignore[no-any-return]


def _cacheable() -> bool:
    """Whether this request may be answered from, and its page kept in, the cache: anonymous
    GET/HEAD, no flashed message waiting, no ``?lang=``, a session the request leaves alone."""
    return (
        request.method in ("GET", "HEAD")
        and not sdk.current_user.is_authenticated
        and "lang" not in request.args
        and not session.get("_flashes")
        and not session.modified
    )


def _page_key(template: str, site_sectors: list[str], fingerprint: Hashable) -> Hashable:
    """What the page depends on: the site and its modules' state, the address, the reader's
    language and time zone, the template, and what the view loaded (``fingerprint``)."""
    workspace = sdk.current_workspace()
    return (
        workspace.id,
        workspace.created_at,  # a workspace deleted and made again starts a new series
        workspace.activation_serial,
        workspace.slug,
        workspace.name,
        tuple(site_sectors),
        request.script_root,
        request.path,
        tuple(request.args.items(multi=True)),
        str(get_locale()),
        str(get_timezone()),
        template,
        fingerprint,
    )


def listing_print(listing: ArticlePage | None) -> Hashable:
    """The fingerprint of a listing: what each card shows (id, dates, slug, title, standfirst,
    language, byline) and the cursor of the next page."""
    if listing is None:
        return None
    return (listing.next_cursor, tuple([_card_print(a) for a in listing.articles]))


#: What a card shows (its standfirst by hash: unbounded text).
_CARD_SHOWS = ("id", "slug", "published_at", "updated_at", "title", "standfirst", "language")
_CARD_STATE = frozenset((*_CARD_SHOWS, "author_links"))


def _card_print(article: Article) -> Hashable:
    """One card's part of the fingerprint, read from the row's loaded state: the attribute
    machinery costs a Python call per read and a listing fingerprints hundreds. A row with an
    attribute not loaded is read the ordinary way, so the fingerprint always holds what the
    card shows."""
    state = article.__dict__
    if not state.keys() >= _CARD_STATE:
        state = {name: getattr(article, name) for name in _CARD_STATE}
    return (
        state["id"],
        state["slug"],
        state["published_at"],
        state["updated_at"],
        state["title"],
        hash(state["standfirst"]),
        state["language"],
        tuple([(link.author_id, link.author.name) for link in state["author_links"]]),
    )


#: The columns of an article its page shows (the body by its hash: it may be long).
_SHOWN = (
    "id",
    "slug",
    "published_at",
    "updated_at",
    "title",
    "standfirst",
    "language",
    "cover_key",
    "cover_alt",
    "seo_title",
    "seo_description",
    "canonical_url",
)


def article_print(article: Article) -> Hashable:
    """The fingerprint of an article page: the columns it shows, the body's hash, the byline
    (with the authors' accounts, for their badges), sectors and tags."""
    return (
        tuple(getattr(article, name) for name in _SHOWN),
        tuple(sorted((article.cover_variants or {}).items())),
        hash(article.body_html),
        tuple(
            (link.author_id, link.author.slug, link.author.name, link.author.user_id)
            for link in article.author_links
        ),
        tuple(article.sectors),
        tuple((t.id, t.slug, t.name) for t in article.tags),
    )


def page(
    template: str,
    last_modified: datetime | None,
    fingerprint: Callable[[], Hashable] | None = None,
    rendered_with: Callable[[], dict[str, Any]] | None = None,
    **context: Any,
) -> Response:
    """Render ``template`` in the site's frame, or take it from the page cache when the
    request is anonymous and ``fingerprint()`` (what the view loaded) is unchanged.

    ``rendered_with`` gives more of the template's context, only when the page is rendered
    (what a kept page may show as it was, within the time to live, e.g. badges)."""
    workspace = sdk.current_workspace()
    site_sectors = [s.code for s in workspace.sectors]
    key = None
    if fingerprint is not None:
        cache = _page_cache()
        if cache.enabled:
            get_locale()  # chosen first: ``?lang=`` writes to the session
            if _cacheable():
                key = _page_key(template, site_sectors, fingerprint())
                kept = cache.get(key)
                if kept is not None:
                    body, etag = kept
                    response = current_app.response_class(body, mimetype="text/html")
                    response.set_etag(etag)
                    return _revalidated(response, last_modified)
    if rendered_with is not None:
        context.update(rendered_with())
    html = render_template(
        template,
        site=workspace,
        site_sectors=site_sectors,
        sector_label=sdk.sector_label,
        safe_link=safe_link,
        **context,
    )
    response = current_app.make_response(html)
    response.add_etag()
    # Kept only if rendering left the session alone (no CSRF token, no flashed message).
    if key is not None and not session.modified and "Set-Cookie" not in response.headers:
        etag, _weak = response.get_etag()
        if etag is not None:
            _page_cache().put(key, response.get_data(), etag)
    return _revalidated(response, last_modified)


# -- views --------------------------------------------------------------------------------


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
