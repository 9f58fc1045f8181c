"""Article bodies to safe HTML: Markdown through the platform's renderer, rich HTML through nh3.

Sanitised twice on purpose: when saved (what is stored is already clean) and when shown (a
stricter policy applies to old articles at once, without a migration).
"""

from __future__ import annotations

from markupsafe import Markup

from ent_core import sdk

#: What the rich-text editor may keep: structure, emphasis, links, quotes, figures and tables.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "del", "em", "figcaption",
    "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "mark", "ol", "p",
    "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"lang", "dir"},
}


def sanitise_html(html: str) -> Markup:
    """``html`` cleaned with the article policy (no scripts, styles, handlers or odd schemes)."""
    import nh3  # here: loaded by the first request that cleans HTML, not at start (~1.5 MB)

    cleaned = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above


def render_body(body: str, body_format: str) -> str:
    """The stored ``body_html`` for a body source in ``markdown`` or ``html``."""
    if body_format == "html":
        return str(sanitise_html(body))
    return str(sanitise_html(str(sdk.render_markdown(body))))


def plain_text(html: str, limit: int = 300) -> str:
    """Text of ``html`` without tags, cut at a word near ``limit`` (for summaries)."""
    import nh3  # on first use, as in sanitise_html

    # A space before each tag keeps "fin.</p><p>Début" two words once the tags are gone.
    text = " ".join(nh3.clean((html or "").replace("<", " <"), tags=set()).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"
