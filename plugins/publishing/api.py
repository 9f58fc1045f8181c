"""JSON endpoints of the newsroom under ``/api/v1/workspaces/<slug>/publishing/``.

Articles CRUD, the one transitions endpoint, revisions (with restore), review comments, the
edit lock and author profiles. Every article carries its absolute public ``url``.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, Literal

from ent_plugins.publishing import editing, locking, revisions, workflow
from ent_plugins.publishing.editing import ArticleInput
from ent_plugins.publishing.images import COVER_MAX_BYTES, store_cover
from ent_plugins.publishing.jobs import announce
from ent_plugins.publishing.models import (
    EDITORIAL_STATES,
    PUBLICATION_STATES,
    Article,
    ArticleAuthor,
    Author,
    ReviewComment,
    Revision,
)
from ent_plugins.publishing.urls import public_url
from flask import request
from pydantic import Field
from slugify import slugify
from sqlalchemy.orm import selectinload

from ent_core import sdk

TAGS = ("publishing",)
Language = Literal["fr", "en", "ar"]
BodyFormat = Literal["markdown", "html"]


class ArticleIn(sdk.ApiModel):
    title: str = Field(min_length=1, max_length=300)
    standfirst: str = Field(default="", max_length=2000)
    body: str = Field(default="", max_length=editing.BODY_MAX, description="Markdown or HTML.")
    body_format: BodyFormat = "markdown"
    language: Language | None = Field(default=None, description="Default: the workspace's setting.")
    slug: str = Field(default="", max_length=200, description="Empty: built from the title.")
    sectors: list[str] = Field(default_factory=list, description="Sector codes (`it`, `green`...).")
    tags: list[str] = Field(default_factory=list)
    author_ids: list[int] = Field(default_factory=list, description="Author profiles, in order.")
    seo_title: str = Field(default="", max_length=300)
    seo_description: str = Field(default="", max_length=500)
    canonical_url: str = Field(default="", max_length=500)
    cover_alt: str = Field(default="", max_length=300)
    syndicated: bool = Field(default=False, description="On the sector portal (editors only).")


class ArticlePatch(sdk.ApiModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    standfirst: str | None = Field(default=None, max_length=2000)
    body: str | None = Field(default=None, max_length=editing.BODY_MAX)
    body_format: BodyFormat | None = None
    language: Language | None = None
    slug: str | None = Field(default=None, max_length=200)
    sectors: list[str] | None = None
    tags: list[str] | None = None
    author_ids: list[int] | None = None
    seo_title: str | None = Field(default=None, max_length=300)
    seo_description: str | None = Field(default=None, max_length=500)
    canonical_url: str | None = Field(default=None, max_length=500)
    cover_alt: str | None = Field(default=None, max_length=300)
    syndicated: bool | None = None


class AuthorRef(sdk.ApiModel):
    id: int
    name: str
    slug: str


class ArticleOut(sdk.ApiModel):
    id: int
    slug: str
    url: str = Field(description="Absolute address of the public page (once published).")
    title: str
    standfirst: str
    body: str = Field(description="The source, as written.")
    body_format: BodyFormat
    body_html: str = Field(description="The body rendered and sanitised.")
    language: Language
    editorial_state: Literal[EDITORIAL_STATES]  # type: ignore[valid-type]
    publication_state: Literal[PUBLICATION_STATES]  # type: ignore[valid-type]
    allowed_transitions: list[str] = Field(description="What the caller may apply now.")
    publish_at: datetime | None
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    syndicated: bool
    sectors: list[str]
    tags: list[str]
    authors: list[AuthorRef]
    seo_title: str
    seo_description: str
    canonical_url: str
    cover_alt: str
    has_cover: bool
    locked_by: str | None
    lock_expires_at: datetime | None


class ArticleQuery(sdk.PageQuery):
    editorial_state: Literal[EDITORIAL_STATES] | None = None  # type: ignore[valid-type]
    publication_state: Literal[PUBLICATION_STATES] | None = None  # type: ignore[valid-type]


class TransitionIn(sdk.ApiModel):
    transition: str = Field(description="`submit`, `request_changes`, `approve`, `publish`, "
                            "`schedule`, `unschedule` or `withdraw`.")  # fmt: skip
    at: datetime | None = Field(default=None, description="For `schedule`: ISO 8601 time.")


class RevisionOut(sdk.ApiModel):
    id: int
    number: int
    reason: str
    created_at: datetime
    user: str | None
    changes: dict[str, str] = Field(description="Unified diff per field changed by this revision.")
    snapshot: dict[str, Any]


class CommentIn(sdk.ApiModel):
    body: str = Field(min_length=1, max_length=5000)


class CommentOut(sdk.ApiModel):
    id: int
    body: str
    user: str | None
    created_at: datetime


class LockIn(sdk.ApiModel):
    override: bool = Field(default=False, description="Take the lock from its holder (editors).")


class LockOut(sdk.ApiModel):
    locked_by: str | None
    expires_at: datetime | None


class AuthorIn(sdk.ApiModel):
    name: str = Field(min_length=1, max_length=200)
    slug: str = Field(default="", max_length=120)
    bio: str = Field(default="", max_length=5000)
    user_id: int | None = Field(default=None, description="A member of the workspace, if any.")
    links: list[dict[str, str]] = Field(default_factory=list, description="`[{label, url}]`")


class AuthorOut(sdk.ApiModel):
    id: int
    name: str
    slug: str
    bio: str
    user_id: int | None
    links: list[dict[str, str]]


# -- helpers --------------------------------------------------------------------------------
def _user() -> Any:
    return sdk.current_user._get_current_object()


def _article(article_id: int) -> Article:
    return sdk.get_or_404(Article, article_id)


def _known_article(view: Any) -> Any:
    """Answer 404 for another workspace's article before the body is even validated."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _article(kwargs["article_id"])
        return view(*args, **kwargs)

    return wrapper


def to_json(articles: list[Article]) -> list[ArticleOut]:
    user = _user()
    slug = sdk.current_workspace().slug
    return [
        ArticleOut(
            id=a.id,
            slug=a.slug,
            url=public_url(a, slug),
            title=a.title,
            standfirst=a.standfirst,
            body=a.body,
            body_format=a.body_format,
            body_html=str(a.safe_body_html),
            language=a.language,
            editorial_state=a.editorial_state,
            publication_state=a.publication_state,
            allowed_transitions=workflow.allowed_transitions(a, user),
            publish_at=a.publish_at,
            published_at=a.published_at,
            created_at=a.created_at,
            updated_at=a.updated_at,
            syndicated=a.syndicated,
            sectors=a.sectors,
            tags=[t.name for t in a.tags],
            authors=[AuthorRef(id=x.id, name=x.name, slug=x.slug) for x in a.authors],
            seo_title=a.seo_title,
            seo_description=a.seo_description,
            canonical_url=a.canonical_url,
            cover_alt=a.cover_alt,
            has_cover=a.cover_key is not None,
            locked_by=(h.display_name if (h := locking.holder(a)) is not None else None),
            lock_expires_at=a.lock_expires_at if locking.holder(a) is not None else None,
        )
        for a in articles
    ]


def _one(article: Article) -> ArticleOut:
    return to_json([article])[0]


# -- articles -------------------------------------------------------------------------------
@sdk.require_permission("publishing.read")
@sdk.api_operation(
    summary="List the workspace's articles",
    description="Every state; filter with `editorial_state` and `publication_state`.",
    query=ArticleQuery,
    response=sdk.Page[ArticleOut],
    tags=TAGS,
)
def list_articles(query: ArticleQuery) -> dict[str, Any]:
    statement = sdk.scoped(Article).options(
        selectinload(Article.author_links).selectinload(ArticleAuthor.author),
        selectinload(Article.sector_rows),
        selectinload(Article.tags),
        selectinload(Article.locked_by),
        selectinload(Article.workspace),
    )
    if query.editorial_state:
        statement = statement.where(Article.editorial_state == query.editorial_state)
    if query.publication_state:
        statement = statement.where(Article.publication_state == query.publication_state)
    return sdk.paginate(statement, key=Article.id, serialize=to_json, query=query)


@sdk.require_permission("publishing.write")
@sdk.api_operation(
    summary="Write a new article (a draft)",
    body=ArticleIn,
    response=ArticleOut,
    status=201,
    tags=TAGS,
    errors=(403,),
)
def create_article(body: ArticleIn) -> ArticleOut:
    fields = body.model_dump()
    if fields["language"] is None:
        fields["language"] = sdk.plugin_settings("publishing").get("default_language", "fr")
    article = editing.create_article(ArticleInput(**fields), _user())
    return _one(article)


@sdk.require_permission("publishing.read")
@sdk.api_operation(summary="One article", response=ArticleOut, tags=TAGS)
def get_article(article_id: int) -> ArticleOut:
    return _one(_article(article_id))


@sdk.require_permission("publishing.write")
@_known_article
@sdk.api_operation(
    summary="Change an article",
    description="Only the fields given change; answers 409 `locked` while someone else edits.",
    body=ArticlePatch,
    response=ArticleOut,
    tags=TAGS,
    errors=(403, 409),
)
def update_article(article_id: int, body: ArticlePatch) -> ArticleOut:
    article = _article(article_id)
    if not editing.may_edit(article, _user()):
        raise sdk.ApiError("forbidden", sdk._("You may not edit this article."), 403)
    data = editing.input_from(article)
    for name, value in body.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(data, name, value)
    editing.update_article(article, data, _user())
    return _one(article)


@sdk.require_permission("publishing.write")
@sdk.api_operation(
    summary="Delete an article",
    description="Published articles are withdrawn first; editors delete any, writers their own "
    "drafts.",
    tags=TAGS,
    errors=(403, 409),
)
def delete_article(article_id: int) -> None:
    article = _article(article_id)
    if article.publication_state in ("published", "scheduled"):
        raise sdk.ApiError("invalid_state", sdk._("Withdraw or unschedule the article first."), 409)
    if not (
        sdk.has_permission("publishing.review")
        or (workflow.is_own(article, _user()) and article.editorial_state == "draft")
    ):
        raise sdk.ApiError("forbidden", sdk._("You may not delete this article."), 403)
    sdk.audit("publishing.article.deleted", subject=f"article:{article.id}",
              details={"title": article.title})  # fmt: skip
    sdk.db.session.delete(article)
    sdk.db.session.commit()


@sdk.require_permission("publishing.write")
@_known_article
@sdk.api_operation(
    summary="Apply a workflow transition",
    description="`submit`, `request_changes`, `approve` (editorial); `publish`, `schedule` "
    "(with `at`), `unschedule`, `withdraw` (publication). 409 `invalid_transition` from a state "
    "that does not allow it, 403 `forbidden` for a role that does not; both list "
    "`details.allowed`.",
    body=TransitionIn,
    response=ArticleOut,
    tags=TAGS,
    errors=(403, 409),
)
def transition(article_id: int, body: TransitionIn) -> ArticleOut:
    article = _article(article_id)
    workflow.run(article, body.transition, _user(), at=body.at)
    return _one(article)


# -- revisions ------------------------------------------------------------------------------
def _revision_json(revs: list[Revision]) -> list[RevisionOut]:
    out = []
    for i, rev in enumerate(revs):
        older = revs[i + 1].snapshot if i + 1 < len(revs) else {}
        out.append(
            RevisionOut(
                id=rev.id,
                number=rev.number,
                reason=rev.reason,
                created_at=rev.created_at,
                user=rev.user.display_name if rev.user else None,
                changes=revisions.unified(older, rev.snapshot),
                snapshot=rev.snapshot,
            )
        )
    return out


@sdk.require_permission("publishing.read")
@sdk.api_operation(
    summary="An article's revisions, newest first",
    response=sdk.Page[RevisionOut],
    tags=TAGS,
)
def list_revisions(article_id: int) -> dict[str, Any]:
    article = _article(article_id)
    return {"items": _revision_json(revisions.history(article)), "next_cursor": None}


@sdk.require_permission("publishing.write")
@sdk.api_operation(
    summary="Restore a revision",
    description="Writes a new revision with the old fields; history is kept.",
    body_required=False,
    response=ArticleOut,
    tags=TAGS,
    errors=(403, 409),
)
def restore_revision(article_id: int, revision_id: int) -> ArticleOut:
    article = _article(article_id)
    rev = sdk.get_or_404(Revision, revision_id)
    if rev.article_id != article.id:
        sdk.abort(404)
    if not editing.may_edit(article, _user()):
        raise sdk.ApiError("forbidden", sdk._("You may not edit this article."), 403)
    editing.restore(article, rev, _user())
    return _one(article)


# -- comments -------------------------------------------------------------------------------
def _comment_json(comments: list[ReviewComment]) -> list[CommentOut]:
    return [
        CommentOut(
            id=c.id,
            body=c.body,
            user=c.user.display_name if c.user else None,
            created_at=c.created_at,
        )
        for c in comments
    ]


@sdk.require_permission("publishing.read")
@sdk.api_operation(
    summary="Review comments on an article", query=sdk.PageQuery,
    response=sdk.Page[CommentOut], tags=TAGS,
)  # fmt: skip
def list_comments(article_id: int, query: sdk.PageQuery) -> dict[str, Any]:
    article = _article(article_id)
    statement = (
        sdk.scoped(ReviewComment)
        .where(ReviewComment.article_id == article.id)
        .options(selectinload(ReviewComment.user))
    )
    return sdk.paginate(statement, key=ReviewComment.id, serialize=_comment_json, query=query)


@sdk.require_permission("publishing.write")
@_known_article
@sdk.api_operation(
    summary="Comment on an article", body=CommentIn, response=CommentOut, status=201,
    tags=TAGS, errors=(403,),
)  # fmt: skip
def add_comment(article_id: int, body: CommentIn) -> CommentOut:
    article = _article(article_id)
    if not (sdk.has_permission("publishing.review") or workflow.is_own(article, _user())):
        raise sdk.ApiError("forbidden", sdk._("You may not comment on this article."), 403)
    comment = ReviewComment(article_id=article.id, user_id=_user().id, body=body.body)
    sdk.db.session.add(comment)
    announce(article, "comment", _user())  # goes out with the comment's commit
    sdk.db.session.commit()
    return _comment_json([comment])[0]


# -- lock -----------------------------------------------------------------------------------
@sdk.require_permission("publishing.write")
@_known_article
@sdk.api_operation(
    summary="Take the edit lock",
    description="Held for `lock_minutes` (20 by default), extended by each save. 409 `locked` "
    "while someone else holds it, unless an editor sends `override: true` (audited).",
    body=LockIn,
    body_required=False,
    response=LockOut,
    tags=TAGS,
    errors=(403, 409),
)
def take_lock(article_id: int, body: LockIn | None = None) -> LockOut:
    article = _article(article_id)
    if not editing.may_edit(article, _user()):
        raise sdk.ApiError("forbidden", sdk._("You may not edit this article."), 403)
    try:
        locking.acquire(article, _user(), override=bool(body and body.override))
    except PermissionError:
        raise sdk.ApiError(
            "forbidden", sdk._("Only editors may take over the lock."), 403,
            {"permission": "publishing.override_lock"},
        ) from None  # fmt: skip
    return LockOut(locked_by=_user().display_name, expires_at=article.lock_expires_at)


@sdk.require_permission("publishing.write")
@sdk.api_operation(summary="Release the edit lock", tags=TAGS)
def release_lock(article_id: int) -> None:
    locking.release(_article(article_id), _user())


# -- authors --------------------------------------------------------------------------------
def _author_json(authors: list[Author]) -> list[AuthorOut]:
    return [
        AuthorOut(id=a.id, name=a.name, slug=a.slug, bio=a.bio, user_id=a.user_id,
                  links=list(a.links or []))
        for a in authors
    ]  # fmt: skip


@sdk.require_permission("publishing.read")
@sdk.api_operation(
    summary="The workspace's author profiles", query=sdk.PageQuery,
    response=sdk.Page[AuthorOut], tags=TAGS,
)  # fmt: skip
def list_authors(query: sdk.PageQuery) -> dict[str, Any]:
    return sdk.paginate(sdk.scoped(Author), key=Author.id, serialize=_author_json, query=query)


@sdk.require_permission("publishing.authors")
@sdk.api_operation(
    summary="Add an author profile", body=AuthorIn, response=AuthorOut, status=201,
    tags=TAGS, errors=(403,),
)  # fmt: skip
def create_author(body: AuthorIn) -> AuthorOut:
    for link in body.links:
        if not editing.URL_RE.match(link.get("url", "")):
            raise sdk.ApiError(
                "validation_error", sdk._("Some fields are not valid."), 422,
                {"fields": {"links": [sdk._("Each link needs an address starting with https://.")]}},
            )  # fmt: skip
    if body.user_id is not None and body.user_id not in {
        u.id for u in sdk.workspace_members(sdk.current_workspace())
    }:
        raise sdk.ApiError(
            "validation_error", sdk._("Some fields are not valid."), 422,
            {"fields": {"user_id": [sdk._("Not a member of this workspace.")]}},
        )  # fmt: skip
    slug = body.slug if body.slug and editing.SLUG_RE.match(body.slug) else slugify(body.name)
    author = Author(
        name=body.name.strip(), slug=editing.unique_author_slug(slug or "author"), bio=body.bio,
        user_id=body.user_id,
        links=[
            {"label": x.get("label", x["url"])[:100], "url": x["url"][:500]} for x in body.links
        ],
    )  # fmt: skip
    sdk.db.session.add(author)
    sdk.db.session.commit()
    return _author_json([author])[0]


# -- cover ----------------------------------------------------------------------------------
class CoverQuery(sdk.ApiModel):
    alt: str = Field(min_length=1, max_length=300, description="What the picture shows.")


@sdk.require_permission("publishing.write")
@_known_article
@sdk.api_operation(
    summary="Set the cover image",
    description="Send the image itself as the request body (`Content-Type: image/png`, "
    "`image/jpeg` or `image/webp`, at most 8 MB) and its description in `?alt=` (required). "
    "It is checked by content and resized to 480, 960 and 1600 pixels wide.",
    query=CoverQuery,
    response=ArticleOut,
    tags=TAGS,
    errors=(403, 409),
)
def set_cover(article_id: int, query: CoverQuery) -> ArticleOut:
    article = _article(article_id)
    user = _user()
    if not editing.may_edit(article, user):
        raise sdk.ApiError("forbidden", sdk._("You may not edit this article."), 403)
    locking.check_can_write(article, user)
    key, variants = store_cover(request.get_data()[: COVER_MAX_BYTES + 1])
    article.cover_key, article.cover_variants = key, variants
    article.cover_alt = query.alt.strip()
    article.updated_at = sdk.utcnow()
    sdk.db.session.commit()
    return _one(article)
