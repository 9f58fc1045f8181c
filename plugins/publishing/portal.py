"""Publishing's share of the sector portal: syndicated, published articles, newest first.

Only articles an editor opted in (``syndicated``), published, from approved workspaces where
publishing is switched on. The portal links back to the article's page on the workspace's site.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ent_plugins.publishing.models import Article, ArticleSector
from ent_plugins.publishing.seo import description_of
from sqlalchemy.orm import joinedload, selectinload

from ent_core import sdk

SUMMARY_MAX = 300


def portal_articles(sector: str | None, limit: int, before: datetime | None) -> list[Article]:
    """The articles behind :func:`ent_portal_items`, across every publishing workspace."""
    statement = (
        sdk.db.select(Article)
        .where(
            Article.syndicated.is_(True),
            Article.publication_state == "published",
            Article.published_at.is_not(None),
            Article.workspace_id.in_(sdk.public_workspace_ids("publishing")),
        )
        .options(selectinload(Article.sector_rows), joinedload(Article.workspace))
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(max(0, min(limit, 500)))
        .execution_options(ent_all_workspaces=True)
    )
    if sector is not None:
        statement = statement.where(
            Article.id.in_(
                sdk.db.select(ArticleSector.article_id).where(ArticleSector.sector == sector)
            )
        )
    if before is not None:
        statement = statement.where(Article.published_at < before)
    return list(sdk.db.session.scalars(statement).unique())


def as_item(article: Article, sector: str) -> sdk.PortalItem:
    return sdk.PortalItem(
        key=f"publishing:article:{article.id}",
        title=article.title,
        url=sdk.external_url(
            "publishing_public.article", workspace=article.workspace.slug, slug=article.slug
        ),
        published_at=article.published_at,
        sector=sector,
        workspace_name=article.workspace.name,
        summary=description_of(article)[:SUMMARY_MAX],
        language=article.language,
        kind="article",
        image_url=(
            sdk.external_url(
                "publishing_public.cover",
                workspace=article.workspace.slug,
                article_id=article.id,
                width=480,
            )
            if article.cover_key
            else None
        ),
    )


@sdk.hookimpl
def ent_portal_items(sector: str | None, limit: int, before: datetime | None) -> list[Any]:
    items = []
    for article in portal_articles(sector, limit, before):
        codes = article.sectors
        items.append(as_item(article, sector if sector is not None else (codes or [""])[0]))
    return items
