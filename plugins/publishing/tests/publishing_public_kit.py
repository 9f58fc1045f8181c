"""Arranging published articles for the public-site tests (rows as the newsroom leaves them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from ent_plugins.publishing.content import render_body
from ent_plugins.publishing.models import Article, ArticleAuthor, ArticleSector, Author, Tag

from ent_core import sdk


@pytest.fixture
def site(make_workspace: Callable[..., Any]) -> Any:
    """Workspace ``acme`` (IT and green economy) with publishing switched on."""
    return make_workspace(
        "acme", name="Acme News", sectors=("it", "green"), plugins=("publishing",)
    )


@pytest.fixture
def slotfill(app_ctx: Any) -> Iterator[Any]:
    """The ``slotfill`` test plugin, installed for this test only (switch it on with ``enable``).

    Registered at run time rather than through ``ent_plugin_modules``: ``make test`` runs the
    core's tests and the plugins' in one session, where the session's app is built once, from
    whichever conftest asks first.
    """
    import publishing_slotfill_plugin as module

    registry = app_ctx.extensions["ent"]
    if "slotfill" in registry.plugins:
        yield module
        return
    loaded_plugin = type(registry.plugins["publishing"])
    registry.plugins["slotfill"] = loaded_plugin(module.meta, module)
    registry.pm.register(module, name="slotfill")
    try:
        yield module
    finally:
        registry.pm.unregister(name="slotfill")
        del registry.plugins["slotfill"]


@pytest.fixture
def make_author() -> Callable[..., Author]:
    def factory(
        workspace: Any,
        name: str = "Salma Bennani",
        *,
        slug: str | None = None,
        bio: str = "",
        links: list[dict[str, str]] | None = None,
        user: Any = None,
    ) -> Author:
        author = Author(
            workspace_id=workspace.id,
            name=name,
            slug=slug or name.lower().replace(" ", "-"),
            bio=bio,
            links=links or [],
            user_id=user.id if user is not None else None,
        )
        sdk.db.session.add(author)
        sdk.db.session.commit()
        return author

    return factory


_CLOCK = {"n": 0}


@pytest.fixture
def make_article() -> Callable[..., Article]:
    """``make_article(ws, title, ...)``: published now (or ``published_at``) unless told not."""

    def factory(
        workspace: Any,
        title: str = "Le cloud marocain accélère",
        *,
        slug: str | None = None,
        standfirst: str = "",
        body: str = "Un **corps** d'article.",
        body_format: str = "markdown",
        language: str = "fr",
        sectors: Iterable[str] = ("it",),
        tags: Iterable[str] = (),
        authors: Iterable[Author] = (),
        state: str = "published",
        syndicated: bool = False,
        published_at: datetime | None = None,
        **fields: Any,
    ) -> Article:
        _CLOCK["n"] += 1
        moment = published_at or sdk.utcnow() - timedelta(hours=1, seconds=_CLOCK["n"] * -1)
        article = Article(
            workspace_id=workspace.id,
            title=title,
            slug=slug or f"article-{_CLOCK['n']}",
            standfirst=standfirst,
            body=body,
            body_format=body_format,
            body_html=render_body(body, body_format),
            language=language,
            publication_state=state,
            editorial_state="approved",
            published_at=moment if state in ("published", "withdrawn") else None,
            updated_at=moment,
            syndicated=syndicated,
            **fields,
        )
        for position, author in enumerate(authors):
            article.author_links.append(ArticleAuthor(author_id=author.id, position=position))
        for code in sectors:
            article.sector_rows.append(ArticleSector(sector=code))
        for name in tags:
            tag = sdk.db.session.scalar(
                sdk.db.select(Tag)
                .where(Tag.workspace_id == workspace.id, Tag.name == name)
                .execution_options(ent_all_workspaces=True)
            )
            if tag is None:
                tag = Tag(workspace_id=workspace.id, name=name, slug=_slug(name))
                sdk.db.session.add(tag)
            article.tags.append(tag)
        sdk.db.session.add(article)
        sdk.db.session.commit()
        return article

    return factory


def _slug(name: str) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in name.lower())
    return "-".join(part for part in kept.split("-") if part)[:100] or "tag"
