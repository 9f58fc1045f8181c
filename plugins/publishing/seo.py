"""What search engines and social networks read: Open Graph, schema.org NewsArticle, canonical.

Everything here is data for the template, which escapes it; the JSON-LD is the one piece put in
the page as is, so ``json_ld`` escapes ``<``, ``>`` and ``&`` itself (a title containing
``</script>`` cannot close the script element).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

from ent_plugins.publishing.content import plain_text
from ent_plugins.publishing.models import Article
from ent_plugins.publishing.public.addresses import absolute, cover_url
from ent_plugins.publishing.public.queries import changed_at
from markupsafe import Markup

from ent_core import sdk

DESCRIPTION_MAX = 300
OG_LOCALES = {"fr": "fr_FR", "en": "en_US", "ar": "ar_MA"}
#: Characters that could end the script element or confuse an HTML parser inside JSON.
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@dataclass(frozen=True)
class PageMeta:
    """The head of an article page: title, description, canonical, Open Graph, JSON-LD."""

    title: str
    description: str
    canonical: str
    open_graph: list[tuple[str, str]] = field(default_factory=list)
    json_ld: Markup = field(default_factory=Markup)


def json_ld(data: dict[str, Any]) -> Markup:
    """``data`` as JSON safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return Markup(text)  # noqa: S704 - every character that could leave the script is escaped


def description_of(article: Article) -> str:
    """The SEO description, else the standfirst, else the start of the body, as plain text."""
    for text in (article.seo_description, article.standfirst):
        if text and text.strip():
            return _text(str(sdk.render_markdown(text)))
    return _text(article.body_html)


def _text(html_source: str) -> str:
    """Plain text (unescaped: the template or the XML writer escapes it once, where it goes)."""
    return html.unescape(plain_text(html_source, DESCRIPTION_MAX))


def canonical_of(article: Article, own_url: str) -> str:
    """The editor's canonical address when it is a web address, else the article's own."""
    chosen = (article.canonical_url or "").strip()
    if chosen.lower().startswith(("https://", "http://")) and not any(
        c in chosen for c in " \n\r\t\"'<>"
    ):
        return chosen
    return own_url


def _iso(moment: Any) -> str:
    return moment.isoformat() if moment is not None else ""


def article_meta(article: Article, own_url: str) -> PageMeta:
    """Everything the article page's ``<head>`` says about ``article``."""
    workspace = sdk.current_workspace()
    title = (article.seo_title or article.title).strip()
    description = description_of(article)
    canonical = canonical_of(article, own_url)
    image = cover_url(article, 1600)
    authors = article.authors
    graph: list[tuple[str, str]] = [
        ("og:type", "article"),
        ("og:site_name", workspace.name),
        ("og:title", title),
        ("og:description", description),
        ("og:url", canonical),
        ("og:locale", OG_LOCALES.get(article.language, article.language)),
        ("article:published_time", _iso(article.published_at)),
        ("article:modified_time", _iso(changed_at(article))),
    ]
    if image:
        graph += [("og:image", image), ("og:image:alt", article.cover_alt)]
    graph += [("article:author", a.name) for a in authors]
    graph += [("article:section", sdk.sector_label(code)) for code in article.sectors]
    graph += [("article:tag", t.name) for t in article.tags]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": description,
        "inLanguage": article.language,
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(changed_at(article)),
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": own_url,
        "author": [
            {
                "@type": "Person",
                "name": a.name,
                "url": absolute("publishing_public.author", slug=a.slug),
            }
            for a in authors
        ],
        "publisher": {
            "@type": "Organization",
            "name": workspace.name,
            "url": absolute("publishing_public.home"),
        },
        "articleSection": [str(sdk.sector_label(code)) for code in article.sectors],
        "keywords": [t.name for t in article.tags],
    }
    if image:
        data["image"] = [image]
    return PageMeta(title, description, canonical, graph, json_ld(data))
