"""The newsroom's data: articles, their authors, sectors, tags, slugs, comments and revisions.

Two state columns on purpose: ``editorial_state`` (where the text is in review) and
``publication_state`` (whether readers see it) move independently, so a published article can
go back to review without leaving the site.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ent_core import sdk

EDITORIAL_STATES = ("draft", "in_review", "changes_requested", "approved")
PUBLICATION_STATES = ("unpublished", "scheduled", "published", "withdrawn")
LANGUAGES = ("fr", "en", "ar")
BODY_FORMATS = ("markdown", "html")
#: Right-to-left languages: the article's container gets ``dir="rtl"``.
RTL_LANGUAGES = frozenset({"ar"})


class Author(sdk.TenantMixin, sdk.db.Model):
    """A byline of the workspace: a member (``user_id``) or a guest writer without an account."""

    __tablename__ = "publishing_author"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(120))
    bio: Mapped[str] = mapped_column(Text, default="")
    photo_key: Mapped[str | None] = mapped_column(String(200))
    #: ``[{"label": "Site", "url": "https://..."}]``, shown on the public author page.
    links: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    user = relationship("User")
    workspace = relationship("Workspace")

    @property
    def bio_html(self) -> Markup:
        """The Markdown bio as sanitised HTML."""
        return sdk.render_markdown(self.bio)


class ArticleAuthor(sdk.db.Model):
    """An author's place on an article's byline (``position`` 0 first)."""

    __tablename__ = "publishing_article_author"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("publishing_article.id", ondelete="CASCADE"), primary_key=True
    )
    author_id: Mapped[int] = mapped_column(
        ForeignKey("publishing_author.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    author: Mapped[Author] = relationship(lazy="joined")


class ArticleSector(sdk.db.Model):
    """One of the core's sector codes (``it``, ``green``, ``civil_society``...) on an article."""

    __tablename__ = "publishing_article_sector"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("publishing_article.id", ondelete="CASCADE"), primary_key=True
    )
    sector: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class Tag(sdk.TenantMixin, sdk.db.Model):
    """A free keyword of the workspace; ``slug`` makes its public page address."""

    __tablename__ = "publishing_tag"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    slug: Mapped[str] = mapped_column(String(100))


class ArticleTag(sdk.db.Model):
    __tablename__ = "publishing_article_tag"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("publishing_article.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("publishing_tag.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Article(sdk.TenantMixin, sdk.db.Model):
    """A piece of the publication, from first draft to the public site."""

    __tablename__ = "publishing_article"
    __table_args__ = (
        UniqueConstraint("workspace_id", "slug"),
        # The public home and feeds: latest published first.
        Index("ix_publishing_article_public", "workspace_id", "publication_state", "published_at"),
        # The scheduler: due articles across workspaces.
        Index("ix_publishing_article_due", "publication_state", "publish_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(200))
    standfirst: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    body_format: Mapped[str] = mapped_column(String(16), default="markdown")
    #: ``body`` rendered and sanitised (nh3) when saved; sanitised again when shown.
    body_html: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8), default="fr")

    cover_key: Mapped[str | None] = mapped_column(String(200))
    cover_alt: Mapped[str] = mapped_column(String(300), default="")
    #: ``{"480": key, "960": key, "1600": key}``: resized copies of the cover, by width.
    cover_variants: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    seo_title: Mapped[str] = mapped_column(String(300), default="")
    seo_description: Mapped[str] = mapped_column(String(500), default="")
    canonical_url: Mapped[str] = mapped_column(String(500), default="")

    editorial_state: Mapped[str] = mapped_column(String(24), default="draft")
    publication_state: Mapped[str] = mapped_column(String(16), default="unpublished")
    publish_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: The editor opted this article into the sector portal.
    syndicated: Mapped[bool] = mapped_column(default=False)

    locked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    lock_expires_at: Mapped[datetime | None]

    workspace = relationship("Workspace")
    created_by = relationship("User", foreign_keys=[created_by_id])
    locked_by = relationship("User", foreign_keys=[locked_by_id])
    author_links: Mapped[list[ArticleAuthor]] = relationship(
        order_by=ArticleAuthor.position, cascade="all, delete-orphan"
    )
    sector_rows: Mapped[list[ArticleSector]] = relationship(
        order_by=ArticleSector.sector, cascade="all, delete-orphan"
    )
    tags: Mapped[list[Tag]] = relationship(secondary="publishing_article_tag", order_by=Tag.name)

    @property
    def authors(self) -> list[Author]:
        """The byline, in order."""
        return [link.author for link in self.author_links]

    @property
    def author_names(self) -> str:
        """The byline as text, for the cards of a listing: names in order, comma-separated."""
        return ", ".join(link.author.name for link in self.author_links)

    @property
    def sectors(self) -> list[str]:
        """The sector codes of the article."""
        return [row.sector for row in self.sector_rows]

    @property
    def is_rtl(self) -> bool:
        return self.language in RTL_LANGUAGES

    @property
    def is_public(self) -> bool:
        """Readers may see it: published (and not withdrawn)."""
        return self.publication_state == "published"

    @property
    def safe_body_html(self) -> Markup:
        """The stored HTML sanitised once more at render time (policy changes apply at once)."""
        from ent_plugins.publishing.content import sanitise_html

        return sanitise_html(self.body_html)

    @property
    def word_count(self) -> int:
        """Words of the body (for the newsroom's length hint and reading time)."""
        from ent_plugins.publishing.content import plain_text

        return len(plain_text(self.body_html, limit=10**9).split())

    @property
    def reading_minutes(self) -> int:
        """Minutes to read at about 200 words a minute, at least one."""
        return max(1, round(self.word_count / 200))

    def cover_key_for(self, width: int) -> str | None:
        """The key of the smallest resized cover at least ``width`` wide (else the largest)."""
        if not self.cover_variants:
            return self.cover_key
        widths = sorted(int(w) for w in self.cover_variants)
        chosen = next((w for w in widths if w >= width), widths[-1])
        return self.cover_variants[str(chosen)]


class SlugHistory(sdk.TenantMixin, sdk.db.Model):
    """A slug the article had before: its old public address redirects to the new one."""

    __tablename__ = "publishing_slug_history"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200))
    article_id: Mapped[int] = mapped_column(
        ForeignKey("publishing_article.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    article: Mapped[Article] = relationship()


class ReviewComment(sdk.TenantMixin, sdk.db.Model):
    """A reviewer's note on an article (kept after the review is over)."""

    __tablename__ = "publishing_review_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("publishing_article.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)

    user = relationship("User")
    article: Mapped[Article] = relationship()

    @property
    def body_html(self) -> Markup:
        return sdk.render_markdown(self.body)


class Revision(sdk.TenantMixin, sdk.db.Model):
    """A snapshot of the article's editable fields, written on every save."""

    __tablename__ = "publishing_revision"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("publishing_article.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(default=1)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=sdk.utcnow)
    #: Why it was written: ``save``, ``create``, ``restore``.
    reason: Mapped[str] = mapped_column(String(24), default="save")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    user = relationship("User")
    article: Mapped[Article] = relationship()
