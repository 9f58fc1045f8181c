"""What the public site may show, and how it pages through it: published articles only, loaded
in a fixed number of queries whatever the size of the archive (keyset pagination, no OFFSET).
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
    Tag,
)
from flask import abort
from sqlalchemy import and_, or_
from sqlalchemy.orm import joinedload, load_only, selectinload

from ent_core import sdk

PAGE_SIZE = 20


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
