"""Revision history: a snapshot per save, a readable diff between two, and restore.

The diff is built by ``difflib.HtmlDiff``, which escapes the text it compares, so an article's
HTML source shows as text in the history and never runs.
"""

from __future__ import annotations

import difflib
from typing import Any

from ent_plugins.publishing.models import Article, Revision
from markupsafe import Markup

from ent_core import sdk

#: The fields a revision keeps, in the order the diff shows them.
FIELDS = (
    "title",
    "standfirst",
    "body",
    "body_format",
    "language",
    "slug",
    "sectors",
    "tags",
    "author_ids",
    "seo_title",
    "seo_description",
    "canonical_url",
    "cover_alt",
)


def snapshot(article: Article) -> dict[str, Any]:
    """The article's editable fields as plain JSON values."""
    return {
        "title": article.title,
        "standfirst": article.standfirst,
        "body": article.body,
        "body_format": article.body_format,
        "language": article.language,
        "slug": article.slug,
        "sectors": list(article.sectors),
        "tags": sorted(t.name for t in article.tags),
        "author_ids": [a.id for a in article.authors],
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
        "canonical_url": article.canonical_url,
        "cover_alt": article.cover_alt,
    }


def record(article: Article, user: Any, *, reason: str = "save") -> Revision:
    """Add the next revision of ``article`` (not committed)."""
    last = sdk.db.session.scalar(
        sdk.db.select(sdk.db.func.max(Revision.number)).where(Revision.article_id == article.id)
    )
    revision = Revision(
        article_id=article.id,
        workspace_id=article.workspace_id,
        number=(last or 0) + 1,
        user_id=getattr(user, "id", None),
        reason=reason,
        snapshot=snapshot(article),
    )
    sdk.db.session.add(revision)
    return revision


def history(article: Article) -> list[Revision]:
    """Newest first."""
    return list(
        sdk.db.session.scalars(
            sdk.db.select(Revision)
            .where(Revision.article_id == article.id)
            .order_by(Revision.number.desc())
        )
    )


def previous(revision: Revision) -> Revision | None:
    return sdk.db.session.scalar(
        sdk.db.select(Revision)
        .where(Revision.article_id == revision.article_id, Revision.number < revision.number)
        .order_by(Revision.number.desc())
        .limit(1)
    )


def _lines(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value or "").splitlines() or [""]


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [name for name in FIELDS if old.get(name) != new.get(name)]


def diff_tables(
    old: dict[str, Any], new: dict[str, Any], labels: dict[str, Any]
) -> list[tuple[Any, Markup]]:
    """One side-by-side table per changed field: ``[(label, table_html)]``, escaped by difflib."""
    # No fixed wrap column: the page's CSS wraps at spaces (difflib's &nbsp; become spaces).
    differ = difflib.HtmlDiff()
    tables = []
    for name in changed_fields(old, new):
        table = differ.make_table(
            _lines(old.get(name)),
            _lines(new.get(name)),
            fromdesc=str(sdk._("Before")),
            todesc=str(sdk._("After")),
            context=True,
            numlines=2,
        )
        table = table.replace("&nbsp;", " ").replace(' nowrap="nowrap"', "")
        tables.append((labels.get(name, name), Markup(table)))  # noqa: S704 - difflib escapes
    return tables


def unified(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Per changed field, a unified diff as text (the API's form of the diff)."""
    return {
        name: "\n".join(
            difflib.unified_diff(
                _lines(old.get(name)), _lines(new.get(name)), "before", "after", lineterm=""
            )
        )
        for name in changed_fields(old, new)
    }
