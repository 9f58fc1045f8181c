"""Atom (RFC 4287) and RSS 2.0 feeds of a workspace, of a sector and of an author; sitemap.xml.

feedgen writes the XML (escaping is lxml's); entry ids are ``urn:`` names built from the
workspace and article ids, so they survive a change of slug or of domain.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ent_plugins.publishing.models import Article, Author, Tag
from ent_plugins.publishing.public import addresses, blueprint, queries, rendering
from ent_plugins.publishing.seo import description_of
from flask import Response, current_app
from markupsafe import escape

from ent_core import sdk

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

FEED_SIZE = 30
SITEMAP_MAX = 50_000  # the sitemaps protocol's limit per file
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"
#: Characters XML 1.0 cannot carry at all; a pasted control character must not break the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: Any) -> str:
    return _NOT_XML.sub("", str(value or ""))


def entry_id(article: Article) -> str:
    return f"urn:ent:publishing:{article.workspace_id}:article:{article.id}"


def build_feed(
    articles: list[Article],
    *,
    title: str,
    feed_id: str,
    self_url: str,
    html_url: str,
    subtitle: str,
) -> FeedGenerator:
    """A feed of ``articles`` (newest first) that renders as Atom or as RSS."""
    # Here, not at the top: feedgen and lxml (~5 MB) load in the workers that serve a feed.
    from feedgen.feed import FeedGenerator

    workspace = sdk.current_workspace()
    feed = FeedGenerator()
    feed.load_extension("dc", atom=False, rss=True)
    feed.id(feed_id)
    feed.title(xml_text(title))
    feed.subtitle(xml_text(subtitle) or xml_text(title))
    feed.link(href=self_url, rel="self")
    feed.link(href=html_url, rel="alternate")
    feed.author({"name": xml_text(workspace.name)})
    feed.generator("Smart Médias ENT")
    feed.language(articles[0].language if articles else "fr")
    updated = max((queries.changed_at(a) for a in articles), default=workspace.created_at)
    feed.updated(queries.aware(updated))
    for article in reversed(articles):  # feedgen puts each new entry first
        url = addresses.article_url(article)
        entry = feed.add_entry()
        entry.id(entry_id(article))
        entry.guid(entry_id(article), permalink=False)
        entry.title(xml_text(article.title))
        entry.link(href=url, rel="alternate")
        entry.published(queries.aware(article.published_at))
        entry.updated(queries.changed_at(article))
        names = [xml_text(a.name) for a in article.authors] or [xml_text(workspace.name)]
        for author in article.authors:
            entry.author(
                {
                    "name": xml_text(author.name),
                    "uri": addresses.absolute("publishing_public.author", slug=author.slug),
                }
            )
        if not article.authors:
            entry.author({"name": xml_text(workspace.name)})
        entry.dc.dc_creator(", ".join(names))
        # type="html", escaped: RSS readers take a description as HTML, so text must be escaped.
        entry.summary(xml_text(escape(description_of(article))), type="html")
        entry.content(xml_text(article.safe_body_html), type="html")
        for code in article.sectors:
            entry.category(term=code, label=xml_text(sdk.sector_label(code)))
        for tag in article.tags:
            entry.category(term=xml_text(tag.slug), label=xml_text(tag.name))
    return feed


def _respond(feed: FeedGenerator, kind: str, last_modified: datetime | None) -> Response:
    body = feed.atom_str(pretty=True) if kind == "atom" else feed.rss_str(pretty=True)
    response = current_app.response_class(
        body, content_type=ATOM_TYPE if kind == "atom" else RSS_TYPE
    )
    return rendering.conditional(response, last_modified)


def _serve(
    kind: str,
    statement: Any,
    *,
    title: str,
    endpoint: str,
    html_endpoint: str,
    **values: Any,
) -> Response:
    articles = list(sdk.db.session.scalars(statement.limit(FEED_SIZE)).unique())
    workspace = sdk.current_workspace()
    atom_endpoint = endpoint[: -len("rss")] + "atom" if endpoint.endswith("rss") else endpoint
    atom_url = addresses.absolute(atom_endpoint, **values)
    feed = build_feed(
        articles,
        title=title,
        feed_id=atom_url,
        self_url=addresses.absolute(endpoint, **values),
        html_url=addresses.absolute(html_endpoint, **values),
        subtitle=sdk._("Latest articles of %(name)s", name=workspace.name),
    )
    last = max((queries.changed_at(a) for a in articles), default=None)
    return _respond(feed, kind, last)


def _workspace_feed(kind: str) -> Response:
    return _serve(
        kind,
        queries.published(),
        title=sdk.current_workspace().name,
        endpoint=f"publishing_public.{kind}",
        html_endpoint="publishing_public.home",
    )


def _sector_feed(kind: str, code: str) -> Response:
    code = queries.sector_or_404(code)
    return _serve(
        kind,
        queries.in_sector(queries.published(), code),
        title=f"{sdk.current_workspace().name} — {sdk.sector_label(code)}",
        endpoint=f"publishing_public.sector_{kind}",
        html_endpoint="publishing_public.sector",
        code=code,
    )


def _author_feed(kind: str, slug: str) -> Response:
    author: Author = queries.author_or_404(slug)
    return _serve(
        kind,
        queries.by_author(queries.published(), author),
        title=f"{sdk.current_workspace().name} — {author.name}",
        endpoint=f"publishing_public.author_{kind}",
        html_endpoint="publishing_public.author",
        slug=author.slug,
    )


def sitemap() -> Response:
    """Every public page of the site: home, articles, sectors, tags and authors."""
    articles = sdk.db.session.execute(
        queries.public_columns(Article.slug, Article.published_at, Article.updated_at).limit(
            SITEMAP_MAX - 500
        )
    ).all()
    from lxml import etree  # here: lxml (~4 MB) loads in the workers that serve a sitemap

    root = etree.Element("urlset", nsmap={None: SITEMAP_NS})

    def add(loc: str, lastmod: datetime | None = None) -> None:
        url = etree.SubElement(root, "url")
        etree.SubElement(url, "loc").text = loc
        if lastmod is not None:
            etree.SubElement(url, "lastmod").text = queries.aware(lastmod).isoformat()

    newest = None
    for slug, published_at, updated_at in articles:
        changed = max(queries.aware(published_at), queries.aware(updated_at))
        newest = max(newest, changed) if newest else changed
        add(addresses.absolute("publishing_public.article", slug=slug), changed)
    add(addresses.absolute("publishing_public.home"), newest)
    for code in [s.code for s in sdk.current_workspace().sectors]:
        add(addresses.absolute("publishing_public.sector", code=code))
    for slug in sdk.db.session.scalars(sdk.scoped(Tag).with_only_columns(Tag.slug).limit(200)):
        add(addresses.absolute("publishing_public.tag", slug=slug))
    for slug in sdk.db.session.scalars(
        sdk.scoped(Author).with_only_columns(Author.slug).limit(200)
    ):
        add(addresses.absolute("publishing_public.author", slug=slug))
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    response = current_app.response_class(body, content_type="application/xml; charset=utf-8")
    return rendering.conditional(response, newest)


def _bind(kind: str, maker: Callable[..., Response]) -> Callable[..., Response]:
    def view(**values: Any) -> Response:
        return maker(kind, **values)

    view.__name__ = f"{maker.__name__}_{kind}"
    return sdk.public_feed(view)


bp = blueprint.public_bp
bp.add_url_rule("/feed.atom", endpoint="atom", view_func=_bind("atom", _workspace_feed))
bp.add_url_rule("/feed.rss", endpoint="rss", view_func=_bind("rss", _workspace_feed))
bp.add_url_rule(
    "/sectors/<code>/feed.atom", endpoint="sector_atom", view_func=_bind("atom", _sector_feed)
)
bp.add_url_rule(
    "/sectors/<code>/feed.rss", endpoint="sector_rss", view_func=_bind("rss", _sector_feed)
)
bp.add_url_rule(
    "/authors/<slug>/feed.atom", endpoint="author_atom", view_func=_bind("atom", _author_feed)
)
bp.add_url_rule(
    "/authors/<slug>/feed.rss", endpoint="author_rss", view_func=_bind("rss", _author_feed)
)
bp.add_url_rule("/sitemap.xml", view_func=sitemap)
