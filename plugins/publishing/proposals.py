"""Articles proposed by other modules' announcements: drafts for an editor to review.

Where the newsroom is on beside the association's module, published minutes
(``governance.minutes_published``) and project news (``governance.project_update_published``)
become draft articles, never published by themselves: an editor reads them, adds a byline and
publishes or deletes them (docs/publishing.md, "Proposed articles"). The payload carries
everything needed, so nothing here imports the module that announced it.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.publishing import revisions
from ent_plugins.publishing.content import render_body
from ent_plugins.publishing.models import Article, SlugHistory
from flask_babel import force_locale
from slugify import slugify

from ent_core import sdk

LANGUAGES = ("fr", "en", "ar")
#: The module that announces these events; without it installed, publishing hears none of them.
GOVERNANCE = "governance"
TITLE_MAX = 300

_t = sdk.translations_for(__name__)


def _slug_for(title: str, suffix: str) -> str:
    """A slug that names its origin, so a retried job finds the article it already made."""
    return f"{slugify(title, max_length=150) or 'article'}-{suffix}"


def _exists(slug: str) -> bool:
    if sdk.db.session.scalar(sdk.db.select(Article.id).where(Article.slug == slug)) is not None:
        return True
    return (
        sdk.db.session.scalar(sdk.db.select(SlugHistory.id).where(SlugHistory.slug == slug))
        is not None
    )


def propose_article(
    *, title: str, body: str, slug: str, language: str, canonical_url: str = ""
) -> Article | None:
    """A draft article in the event's workspace; ``None`` when it was proposed already."""
    if _exists(slug):
        return None
    article = Article(
        title=title[:TITLE_MAX],
        slug=slug,
        body=body,
        body_format="markdown",
        body_html=render_body(body, "markdown"),
        language=language if language in LANGUAGES else "fr",
        canonical_url=canonical_url,
        editorial_state="draft",
        publication_state="unpublished",
        syndicated=False,
        cover_variants={},
        created_by_id=None,
    )
    sdk.db.session.add(article)
    sdk.db.session.flush()
    revisions.record(article, None, reason="proposed")
    sdk.audit("publishing.article.proposed", subject=f"article:{article.id}")
    sdk.db.session.commit()
    return article


def propose_minutes(event: sdk.Event) -> None:
    """``governance.minutes_published``: the minutes' text as a draft, linking to them."""
    payload = event.payload
    with force_locale(payload["language"]):
        label = _t.gettext("Read the minutes on the association's page")
    body = f"{payload['body']}\n\n[{label}]({payload['url']})\n"
    propose_article(
        title=payload["title"],
        body=body,
        slug=_slug_for(payload["title"], f"pv-{payload['minutes_id']}"),
        language=payload["language"],
        canonical_url=payload["url"],
    )


def propose_project_update(event: sdk.Event) -> None:
    """``governance.project_update_published``: the news as a draft, linking to the project."""
    payload = event.payload
    title = f"{payload['project_title']}: {payload['title']}"
    with force_locale("fr"):
        label = _t.gettext("The project's page")
    body = f"{payload['body']}\n\n[{label}]({payload['url']})\n"
    propose_article(
        title=title,
        body=body,
        slug=_slug_for(title, f"update-{payload['update_id']}"),
        language="fr",
    )


def subscriptions() -> list[Any]:
    return [
        sdk.Subscription(
            "governance.minutes_published", propose_minutes, sdk.AFTER_COMMIT, emitter=GOVERNANCE
        ),
        sdk.Subscription(
            "governance.project_update_published",
            propose_project_update,
            sdk.AFTER_COMMIT,
            emitter=GOVERNANCE,
        ),
    ]
