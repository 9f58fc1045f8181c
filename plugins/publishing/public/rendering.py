"""A public page in the site's frame: ETag and Last-Modified with 304s, and the rendered-page
cache (docs/publishing.md, "Rendered-page cache").
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

from cachetools import TTLCache
from ent_plugins.publishing.models import Article
from ent_plugins.publishing.public.addresses import safe_link
from ent_plugins.publishing.public.queries import ArticlePage
from flask import Response, current_app, render_template, request, session
from flask_babel import get_locale, get_timezone

from ent_core import sdk

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
