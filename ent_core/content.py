"""Turning user-written Markdown into safe HTML: markdown-it renders, nh3 sanitises."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML in the source is not rendered ("html": False); nh3 still cleans the output, so a
# future change of parser options cannot open an XSS hole.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
}


def render_markdown(text: str) -> Markup:
    """Safe HTML for ``text``; links get ``rel="noopener noreferrer nofollow"``."""
    html = _markdown.render(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above
