"""Writing articles: the rules the editor page and the API share (validation, slugs, bylines).

Every save that changes something writes a revision; a changed slug leaves its old value in
the slug history so the old public address keeps working.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from ent_plugins.publishing import locking, revisions
from ent_plugins.publishing.content import render_body
from ent_plugins.publishing.models import (
    BODY_FORMATS,
    LANGUAGES,
    Article,
    ArticleAuthor,
    ArticleSector,
    Author,
    SlugHistory,
    Tag,
)
from ent_plugins.publishing.workflow import is_own
from slugify import slugify

from ent_core import sdk

TITLE_MAX = 300
SLUG_MAX = 200
BODY_MAX = 200_000
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
#: The core's sector table, read by name: plugins do not import core models.
_SECTOR = sa.table("sector", sa.column("code"), sa.column("position"))


class ArticleError(sdk.UserError):
    """Refused input; ``field`` names the form (and API) field to blame."""

    def __init__(
        self, message: str, *, field: str, code: str = "validation_error", status: int = 422
    ) -> None:
        super().__init__(code, message, status, field=field)


@dataclass
class ArticleInput:
    """The editable fields of an article, as the form or the API hand them over."""

    title: str
    standfirst: str = ""
    body: str = ""
    body_format: str = "markdown"
    language: str = "fr"
    slug: str = ""
    seo_title: str = ""
    seo_description: str = ""
    canonical_url: str = ""
    syndicated: bool = False
    sectors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    author_ids: list[int] = field(default_factory=list)
    cover_alt: str = ""


def sector_codes() -> list[str]:
    """The platform's sector codes, in their display order."""
    rows = sdk.db.session.execute(sa.select(_SECTOR.c.code).order_by(_SECTOR.c.position))
    return [code for (code,) in rows]


def may_edit(article: Article, user: Any) -> bool:
    """Reviewers edit everything; writers their own drafts; authors their own at any stage."""
    if sdk.has_permission("publishing.review"):
        return True
    if not is_own(article, user):
        return False
    if sdk.has_permission("publishing.publish_own"):
        return True
    return sdk.has_permission("publishing.write") and article.editorial_state in (
        "draft",
        "changes_requested",
    )


def _check(data: ArticleInput) -> None:
    title = data.title.strip()
    if not title:
        raise ArticleError(sdk._("Give the article a title."), field="title")
    if len(title) > TITLE_MAX:
        raise ArticleError(sdk._("The title is too long."), field="title")
    if data.language not in LANGUAGES:
        raise ArticleError(sdk._("Choose French, English or Arabic."), field="language")
    if data.body_format not in BODY_FORMATS:
        raise ArticleError(sdk._("Choose Markdown or HTML."), field="body_format")
    if len(data.body) > BODY_MAX:
        raise ArticleError(sdk._("The body is too long."), field="body")
    if data.slug and (len(data.slug) > SLUG_MAX or not SLUG_RE.match(data.slug)):
        raise ArticleError(sdk._("Use lower-case letters, digits and hyphens only."), field="slug")
    if data.canonical_url and not URL_RE.match(data.canonical_url.strip()):
        raise ArticleError(
            sdk._("Give a full address starting with https://."), field="canonical_url"
        )
    unknown = set(data.sectors) - set(sector_codes())
    if unknown:
        raise ArticleError(sdk._("Choose sectors from the list."), field="sectors")
    if data.cover_alt and len(data.cover_alt) > 300:
        raise ArticleError(sdk._("The description is too long."), field="cover_alt")
    for name, limit in (("seo_title", 300), ("seo_description", 500)):
        if len(getattr(data, name)) > limit:
            raise ArticleError(sdk._("This text is too long."), field=name)


def _unique_slug(base: str, article: Article | None) -> str:
    base = (base or "article")[: SLUG_MAX - 8].strip("-") or "article"
    candidate, n = base, 1
    while True:
        taken = sdk.db.session.scalar(sdk.db.select(Article.id).where(Article.slug == candidate))
        if taken is None or (article is not None and taken == article.id):
            return candidate
        n += 1
        candidate = f"{base}-{n}"


def _set_slug(article: Article, wanted: str) -> None:
    if wanted:
        taken = sdk.db.session.scalar(sdk.db.select(Article.id).where(Article.slug == wanted))
        if taken is not None and taken != article.id:
            raise ArticleError(sdk._("Another article already has this address."), field="slug")
        slug = wanted
    elif article.slug:
        return
    else:
        slug = _unique_slug(slugify(article.title, max_length=SLUG_MAX - 8), article)
    if slug == article.slug:
        return
    if article.slug:
        sdk.db.session.add(SlugHistory(slug=article.slug, article=article))
    # The new address is current again: forget it as someone's old one.
    for old in sdk.db.session.scalars(sdk.db.select(SlugHistory).where(SlugHistory.slug == slug)):
        sdk.db.session.delete(old)
    article.slug = slug


def author_for_user(user: Any) -> Author:
    """The workspace's author profile of ``user``, created on first use."""
    author = sdk.db.session.scalar(sdk.db.select(Author).where(Author.user_id == user.id))
    if author is None:
        name = user.display_name or user.email.split("@")[0]
        author = Author(user_id=user.id, name=name, slug=unique_author_slug(slugify(name)))
        sdk.db.session.add(author)
        sdk.db.session.flush()
    return author


def unique_author_slug(base: str, current: Author | None = None) -> str:
    """``base`` (cut to fit the column) or ``base-2``, ``base-3``... free in the workspace."""
    base = base[:100].strip("-") or "author"
    candidate, n = base, 1
    while True:
        found = sdk.db.session.scalar(sdk.db.select(Author.id).where(Author.slug == candidate))
        if found is None or (current is not None and found == current.id):
            return candidate
        n += 1
        candidate = f"{base}-{n}"


def _set_authors(article: Article, author_ids: list[int], user: Any) -> None:
    if not author_ids:
        if article.author_links:
            return
        author_ids = [author_for_user(user).id]
    found = {
        a.id: a
        for a in sdk.db.session.scalars(sdk.db.select(Author).where(Author.id.in_(author_ids)))
    }
    if set(author_ids) - set(found):
        raise ArticleError(sdk._("Choose authors from the list."), field="author_ids")
    ordered = list(dict.fromkeys(author_ids))
    _check_byline(article, ordered, found, user)
    if [link.author_id for link in article.author_links] == ordered:
        return
    article.author_links.clear()
    sdk.db.session.flush()
    for position, author_id in enumerate(ordered):
        article.author_links.append(
            ArticleAuthor(author_id=author_id, author=found[author_id], position=position)
        )


def _check_byline(article: Article, wanted: list[int], found: dict[int, Author], user: Any) -> None:
    """Only editors put someone else's name on an article, or take one off: a byline shows its
    people's badges, so a writer may add their own profile only, and never remove it (the one
    place both the editor page and the API go through, on creation and on every save)."""
    if sdk.has_permission("publishing.review"):
        return
    before = {link.author_id for link in article.author_links}
    added = {i for i in wanted if i not in before and found[i].user_id != user.id}
    if added:
        raise ArticleError(
            sdk._("Only editors may put someone else on the byline: add your own profile only."),
            field="author_ids",
            code="byline_forbidden",
            status=403,
        )
    if before - set(wanted):
        raise ArticleError(
            sdk._("Only editors may take a name off the byline."),
            field="author_ids",
            code="byline_forbidden",
            status=403,
        )


def _set_tags(article: Article, names: list[str]) -> None:
    wanted: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())[:80]
        slug = slugify(name, max_length=100)
        if slug:
            wanted.setdefault(slug, name)
    existing = {
        t.slug: t
        for t in sdk.db.session.scalars(sdk.db.select(Tag).where(Tag.slug.in_(list(wanted))))
    } if wanted else {}  # fmt: skip
    tags = []
    for slug, name in wanted.items():
        tag = existing.get(slug)
        if tag is None:
            tag = Tag(name=name, slug=slug)
            sdk.db.session.add(tag)
        tags.append(tag)
    if sorted(t.slug for t in article.tags) != sorted(t.slug for t in tags):
        article.tags = tags


def _set_sectors(article: Article, codes: list[str]) -> None:
    wanted = sorted(set(codes))
    if article.sectors == wanted:
        return
    article.sector_rows.clear()
    sdk.db.session.flush()
    for code in wanted:
        article.sector_rows.append(ArticleSector(sector=code))


def _apply(article: Article, data: ArticleInput, user: Any) -> bool:
    """Set every field from ``data``; ``True`` when the portal opt-in changed."""
    # No flush until the slug is set: a new article cannot be inserted without one.
    with sdk.db.session.no_autoflush:
        return _apply_fields(article, data, user)


def _apply_fields(article: Article, data: ArticleInput, user: Any) -> bool:
    _check(data)
    article.title = data.title.strip()
    article.standfirst = data.standfirst.strip()
    article.body = data.body
    article.body_format = data.body_format
    article.body_html = render_body(data.body, data.body_format)
    article.language = data.language
    article.seo_title = data.seo_title.strip()
    article.seo_description = data.seo_description.strip()
    article.canonical_url = data.canonical_url.strip()
    article.cover_alt = data.cover_alt.strip()
    syndication_changed = article.syndicated != data.syndicated
    if syndication_changed:
        if not sdk.has_permission("publishing.review"):
            raise ArticleError(
                sdk._("Only editors put an article on the sector portal."), field="syndicated"
            )
        article.syndicated = data.syndicated
    _set_slug(article, data.slug.strip())
    _set_sectors(article, data.sectors)
    _set_tags(article, data.tags)
    _set_authors(article, data.author_ids, user)
    return syndication_changed


def _audit_syndication(article: Article) -> None:
    """The portal opt-in is an editor's decision: audited (after the flush, with the id)."""
    sdk.audit(
        "publishing.article." + ("syndicated" if article.syndicated else "unsyndicated"),
        subject=f"article:{article.id}",
    )


def create_article(data: ArticleInput, user: Any) -> Article:
    """A new draft in the current workspace, with its first revision."""
    article = Article(
        title=data.title.strip() or "-",
        created_by_id=user.id,
        syndicated=False,
        editorial_state="draft",
        publication_state="unpublished",
        cover_variants={},
    )
    sdk.db.session.add(article)
    try:
        syndicated = _apply(article, data, user)
        sdk.db.session.flush()
    except ArticleError:
        sdk.db.session.rollback()
        raise
    if syndicated:
        _audit_syndication(article)
    revisions.record(article, user, reason="create")
    sdk.db.session.commit()
    return article


def update_article(
    article: Article, data: ArticleInput, user: Any, *, reason: str = "save"
) -> bool:
    """Save the changes (lock permitting); ``True`` when something changed."""
    locking.check_can_write(article, user)
    before = revisions.snapshot(article)
    try:
        syndicated = _apply(article, data, user)
        sdk.db.session.flush()
    except ArticleError:
        sdk.db.session.rollback()
        raise
    if syndicated:
        _audit_syndication(article)
    changed = revisions.snapshot(article) != before
    if changed:
        article.updated_at = sdk.utcnow()
        revisions.record(article, user, reason=reason)
    locking.refresh(article, user)
    sdk.db.session.commit()
    return changed or syndicated


def input_from(article: Article) -> ArticleInput:
    """The article's current fields, to pre-fill a form or to restore from."""
    return ArticleInput(
        title=article.title,
        standfirst=article.standfirst,
        body=article.body,
        body_format=article.body_format,
        language=article.language,
        slug=article.slug,
        seo_title=article.seo_title,
        seo_description=article.seo_description,
        canonical_url=article.canonical_url,
        syndicated=article.syndicated,
        sectors=article.sectors,
        tags=[t.name for t in article.tags],
        author_ids=[a.id for a in article.authors],
        cover_alt=article.cover_alt,
    )


def restore(article: Article, revision: Any, user: Any) -> bool:
    """Bring back the fields of ``revision`` as a new revision (history is never rewritten)."""
    data = ArticleInput(
        **{
            name: revision.snapshot[name]
            for name in ArticleInput.__dataclass_fields__
            if name in revision.snapshot
        }
    )
    data.syndicated = article.syndicated
    existing = {
        a
        for a in sdk.db.session.scalars(
            sdk.db.select(Author.id).where(Author.id.in_(data.author_ids))
        )
    }
    data.author_ids = [i for i in data.author_ids if i in existing]
    if data.slug and data.slug != article.slug:
        taken = sdk.db.session.scalar(sdk.db.select(Article.id).where(Article.slug == data.slug))
        if taken is not None and taken != article.id:
            data.slug = article.slug  # the old address went to another article meanwhile
    return update_article(article, data, user, reason="restore")
