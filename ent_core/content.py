"""Turning user-written Markdown into safe HTML: markdown-it renders, nh3 sanitises."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

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


@cache
def _markdown() -> MarkdownIt:
    # Imported on first use: most requests render no Markdown, and markdown-it with nh3 cost a
    # worker about 2.5 MB (docs/performance.md, "Worker memory").
    from markdown_it import MarkdownIt

    # Raw HTML in the source is not rendered ("html": False); nh3 still cleans the output, so a
    # future change of parser options cannot open an XSS hole.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})


def render_markdown(text: str) -> Markup:
    """Safe HTML for ``text``; links get ``rel="noopener noreferrer nofollow"``."""
    import nh3  # on first use, like markdown-it above

    html = _markdown().render(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above
