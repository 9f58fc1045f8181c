"""Members' pages of the newsroom: list, editor, review, history, authors."""

from __future__ import annotations

from typing import Any

from ent_plugins.publishing import editing, events, locking, revisions, workflow
from ent_plugins.publishing.editing import ArticleError, ArticleInput
from ent_plugins.publishing.forms import (
    ActionForm,
    ArticleForm,
    AuthorForm,
    CommentForm,
    TransitionForm,
)
from ent_plugins.publishing.images import store_cover
from ent_plugins.publishing.jobs import announce
from ent_plugins.publishing.labels import (
    BADGE_CLASSES,
    EDITORIAL_LABELS,
    FIELD_LABELS,
    LANGUAGE_LABELS,
    PUBLICATION_LABELS,
    REASON_LABELS,
    TRANSITION_LABELS,
)
from ent_plugins.publishing.models import (
    EDITORIAL_STATES,
    PUBLICATION_STATES,
    Article,
    ArticleAuthor,
    Author,
    ReviewComment,
    Revision,
)
from ent_plugins.publishing.timezones import from_local, local_text, zone_name
from ent_plugins.publishing.urls import public_url
from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import bindparam
from sqlalchemy.orm import load_only, selectinload
from wtforms.fields.choices import SelectChoice

from ent_core import sdk

LIST_SIZE = 200


def _labels() -> dict[str, Any]:
    return {
        "local_time": local_text,
        "zone_name": zone_name(),
        "editorial_labels": EDITORIAL_LABELS,
        "publication_labels": PUBLICATION_LABELS,
        "transition_labels": TRANSITION_LABELS,
        "language_labels": LANGUAGE_LABELS,
        "badge_classes": BADGE_CLASSES,
        "reason_labels": REASON_LABELS,
    }


def _user() -> Any:
    return sdk.current_user._get_current_object()


# -- list -------------------------------------------------------------------------------------
def recent_articles(limit: int) -> list[Article]:
    """Most recently changed articles of the workspace (the list and the dashboard widget)."""
    return list(
        sdk.db.session.scalars(
            sdk.scoped(Article)
            .options(
                selectinload(Article.author_links).selectinload(ArticleAuthor.author),
                selectinload(Article.locked_by),
            )
            .order_by(Article.updated_at.desc(), Article.id.desc())
            .limit(limit)
        )
    )


def latest_changes(limit: int) -> list[Article]:
    """The dashboard widget's articles: only the columns it shows (no byline, no body).

    The statement is built once per process and run with the workspace bound (the tenant
    filter adds the current workspace too, as to every statement)."""
    statement = _latest_changes.get(limit)
    if statement is None:
        statement = _latest_changes[limit] = (
            sdk.db.select(Article)
            .where(Article.workspace_id == bindparam("workspace_id"))
            .options(
                load_only(
                    Article.title,
                    Article.language,
                    Article.editorial_state,
                    Article.publication_state,
                )
            )
            .order_by(Article.updated_at.desc(), Article.id.desc())
            .limit(limit)
        )
    workspace_id = sdk.current_workspace().id
    return list(sdk.db.session.scalars(statement, {"workspace_id": workspace_id}))


_latest_changes: dict[int, Any] = {}


@sdk.require_permission("publishing.read")
def index() -> Any:
    """The newsroom: every article, filtered by state or title, newest change first."""
    editorial = request.args.get("editorial", "")
    publication = request.args.get("publication", "")
    statement = sdk.scoped(Article).options(
        selectinload(Article.author_links).selectinload(ArticleAuthor.author),
        selectinload(Article.locked_by),
    )
    if editorial in EDITORIAL_STATES:
        statement = statement.where(Article.editorial_state == editorial)
    if publication in PUBLICATION_STATES:
        statement = statement.where(Article.publication_state == publication)
    query = " ".join(request.args.get("q", "").split())[:100]
    if query:
        pattern = "%" + query.replace("\\", "").replace("%", "").replace("_", "") + "%"
        statement = statement.where(Article.title.ilike(pattern))
    mine = request.args.get("mine") == "1"
    if mine:
        own = (
            sdk.db.select(ArticleAuthor.article_id).join(Author).where(Author.user_id == _user().id)
        )
        statement = statement.where((Article.created_by_id == _user().id) | Article.id.in_(own))
    page = max(1, request.args.get("page", 1, type=int) or 1)
    rows = list(
        sdk.db.session.scalars(
            statement.order_by(Article.updated_at.desc(), Article.id.desc())
            .offset((page - 1) * LIST_SIZE)
            .limit(LIST_SIZE + 1)
        )
    )
    filters = {"editorial": editorial, "publication": publication, "q": query}
    filters = {k: v for k, v in filters.items() if v} | ({"mine": "1"} if mine else {})
    return render_template(
        "publishing/index.html",
        articles=rows[:LIST_SIZE],
        older_url=url_for(".index", page=page + 1, **filters) if len(rows) > LIST_SIZE else None,
        newer_url=url_for(".index", page=page - 1, **filters) if page > 1 else None,
        editorial=editorial,
        publication=publication,
        query=query,
        mine=mine,
        can_write=sdk.has_permission("publishing.write"),
        locking=locking,
        **_labels(),
    )


# -- editor -----------------------------------------------------------------------------------
def _prepare(form: ArticleForm) -> None:
    form.sectors.choices = [SelectChoice(code, code) for code in editing.sector_codes()]
    form.authors.choices = [
        SelectChoice(a.id, a.name)
        for a in sdk.db.session.scalars(sdk.scoped(Author).order_by(Author.name))
    ]


def _input(form: ArticleForm) -> ArticleInput:
    return ArticleInput(
        title=form.title.data or "",
        standfirst=form.standfirst.data or "",
        body=form.body.data or "",
        body_format=form.body_format.data or "markdown",
        language=form.language.data or "fr",
        slug=(form.slug.data or "").strip(),
        seo_title=form.seo_title.data or "",
        seo_description=form.seo_description.data or "",
        canonical_url=form.canonical_url.data or "",
        syndicated=bool(form.syndicated.data),
        sectors=list(form.sectors.data or []),
        tags=[t for t in (form.tags.data or "").split(",") if t.strip()],
        author_ids=list(form.authors.data or []),
        cover_alt=form.cover_alt.data or "",
    )


def _upload(form: ArticleForm, article: Article | None) -> tuple[str, dict[str, str]] | None:
    """Store a new cover from the form; refuse a cover without its description."""
    file = form.cover.data
    has_file = file is not None and getattr(file, "filename", "")
    if (has_file or (article is not None and article.cover_key)) and not (
        form.cover_alt.data or ""
    ).strip():
        raise ArticleError(
            sdk._("Describe the cover image for readers who cannot see it."), field="cover_alt"
        )
    if not has_file:
        return None
    try:
        return store_cover(file)
    except sdk.UploadRejected as exc:
        raise ArticleError(exc.message, field="cover") from None


def _set_cover(article: Article, cover: tuple[str, dict[str, str]] | None) -> None:
    if cover is not None:
        article.cover_key, article.cover_variants = cover
        sdk.db.session.commit()


@sdk.require_permission("publishing.write")
def new() -> Any:
    """Write a draft; a bad form comes back (422) with everything typed."""
    form = ArticleForm()
    _prepare(form)
    if request.method == "GET":
        form.language.data = sdk.plugin_settings("publishing").get("default_language", "fr")
    if form.validate_on_submit():
        with sdk.user_errors(form, rename=FORM_FIELDS):
            cover = _upload(form, None)
            article = editing.create_article(_input(form), _user())
            _set_cover(article, cover)
            locking.acquire(article, _user())
            flash(sdk._("The draft is saved."), "success")
            return redirect(url_for(".edit", article_id=article.id))
    status = 422 if form.errors else 200
    return render_template("publishing/edit.html", form=form, article=None, **_labels()), status


#: The service's (and the API's) field names that the article form names otherwise.
FORM_FIELDS = {"author_ids": "authors"}


def _article(article_id: int) -> Article:
    return sdk.get_or_404(Article, article_id)


def _editable(article_id: int) -> Article:
    article = _article(article_id)
    if not editing.may_edit(article, _user()):
        sdk.abort(403)
    return article


@sdk.require_permission("publishing.write")
def edit(article_id: int) -> Any:
    """The editor: takes the edit lock, or shows who holds it and keeps the form read-only."""
    article = _editable(article_id)
    user = _user()
    if request.method == "GET":
        form = ArticleForm(obj=article)
        form.tags.data = ", ".join(t.name for t in article.tags)
        form.authors.data = [a.id for a in article.authors]
        form.sectors.data = article.sectors
        _prepare(form)
        if not locking.held_by_other(article, user):
            locking.acquire(article, user)
        return _editor(form, article)
    form = ArticleForm()
    _prepare(form)
    status = 200
    if form.validate_on_submit():
        with sdk.user_errors(form, rename=FORM_FIELDS) as refused:
            cover = _upload(form, article)
            changed = editing.update_article(article, _input(form), user)
            _set_cover(article, cover)
            flash(
                sdk._("Saved.") if changed or cover else sdk._("Nothing changed."),
                "success" if changed or cover else "info",
            )
            return redirect(url_for(".edit", article_id=article.id))
        if isinstance(refused.error, locking.LockHeld):
            form.form_errors.append(
                sdk._("Your text is still in the form below: copy it before you leave.")
            )
            status = 409
    if form.errors and status == 200:
        status = 422
    return _editor(form, article, status)


def _editor(form: ArticleForm, article: Article, status: int = 200) -> Any:
    user = _user()
    lock_holder = locking.holder(article)
    return (
        render_template(
            "publishing/edit.html",
            form=form,
            article=article,
            lock_holder=lock_holder,
            locked_out=lock_holder is not None and lock_holder.id != user.id,
            can_override=sdk.has_permission("publishing.override_lock"),
            action_form=ActionForm(),
            **_labels(),
        ),
        status,
    )


@sdk.require_permission("publishing.write")
def lock(article_id: int) -> Any:
    """ "Done editing" releases the lock; "Take over" (editors) overrides it, audited."""
    article = _editable(article_id)
    if not ActionForm().validate_on_submit():
        sdk.abort(400)
    user = _user()
    if request.form.get("action") == "release":
        locking.release(article, user)
        flash(sdk._("You are done editing; others may edit the article now."), "info")
        return redirect(url_for(".show", article_id=article.id))
    if not sdk.has_permission("publishing.override_lock"):
        sdk.abort(403)
    locking.acquire(article, user, override=True)
    flash(sdk._("You took over the editing of this article."), "warning")
    return redirect(url_for(".edit", article_id=article.id))


@sdk.require_permission("publishing.read")
def cover(article_id: int, width: int) -> Any:
    """A resized cover for the members' pages (the public site serves its own)."""
    article = _article(article_id)
    key = article.cover_key_for(width)
    if key is None:
        sdk.abort(404)
    return sdk.send_upload(key)


# -- review -----------------------------------------------------------------------------------
def _comments(article: Article) -> list[ReviewComment]:
    return list(
        sdk.db.session.scalars(
            sdk.scoped(ReviewComment)
            .where(ReviewComment.article_id == article.id)
            .options(selectinload(ReviewComment.user))
            .order_by(ReviewComment.id)
        )
    )


def _show(
    article: Article,
    *,
    status: int = 200,
    comment_form: CommentForm | None = None,
    transition_form: TransitionForm | None = None,
) -> Any:
    user = _user()
    return (
        render_template(
            "publishing/show.html",
            article=article,
            allowed=workflow.allowed_transitions(article, user),
            comments=_comments(article),
            comment_form=comment_form or CommentForm(formdata=None),
            transition_form=transition_form or TransitionForm(formdata=None),
            action_form=ActionForm(),
            may_edit=editing.may_edit(article, user),
            may_comment=_may_comment(article),
            may_delete=may_delete(article, user)
            and article.publication_state not in ("published", "scheduled"),
            lock_holder=locking.holder(article),
            may_promote=sdk.has_permission("publishing.publish") and events.may_promote(article),
            public_url=public_url(article),
            **_labels(),
        ),
        status,
    )


def _may_comment(article: Article) -> bool:
    return sdk.has_permission("publishing.review") or (
        sdk.has_permission("publishing.write") and workflow.is_own(article, _user())
    )


@sdk.require_permission("publishing.read")
def show(article_id: int) -> Any:
    """The article as readers will see it, its workflow buttons and review comments."""
    return _show(_article(article_id))


@sdk.require_permission("publishing.write")
def transition(article_id: int) -> Any:
    """Apply one workflow transition; a refused one answers 403/409/422 with a message."""
    article = _article(article_id)
    form = TransitionForm()
    if not form.validate_on_submit():
        flash(sdk._("Choose a date and time in the future."), "error")
        return _show(article, status=422, transition_form=form)
    name = form.transition.data
    # A refusal shows in the workflow panel (a bad time under the time field), with its status.
    with sdk.user_errors(form) as refused:
        workflow.run(article, name, _user(), at=from_local(form.at.data))
        flash(_done_message(name), "success")
        return redirect(url_for(".show", article_id=article.id))
    return _show(article, status=refused.status(), transition_form=form)


def _done_message(name: str) -> str:
    return {
        "submit": sdk._("The article is submitted for review."),
        "request_changes": sdk._("Changes are requested from the writer."),
        "approve": sdk._("The article is approved."),
        "publish": sdk._("The article is published."),
        "schedule": sdk._("The article is scheduled."),
        "unschedule": sdk._("The schedule is cancelled."),
        "withdraw": sdk._("The article is withdrawn from the site."),
    }.get(name, sdk._("Done."))


@sdk.require_permission("publishing.publish")
def promote(article_id: int) -> Any:
    """ "Promote": announce the request; the module that hears it drafts a campaign. Shown and
    accepted only where a module listens (``sdk.event_heard``), so it never leads nowhere."""
    article = _article(article_id)
    if not ActionForm().validate_on_submit():
        sdk.abort(400)
    if not events.may_promote(article):
        sdk.abort(404)
    events.promotion_requested(article, _user())
    sdk.db.session.commit()
    flash(
        sdk._("A draft campaign is ready: find it under Advertising, check it and submit it."),
        "success",
    )
    return redirect(url_for(".show", article_id=article.id), 303)


@sdk.require_permission("publishing.write")
def comment(article_id: int) -> Any:
    """Add a review comment (editors on any article, writers on their own)."""
    article = _article(article_id)
    if not _may_comment(article):
        sdk.abort(403)
    form = CommentForm()
    if not form.validate_on_submit():
        return _show(article, status=422, comment_form=form)
    sdk.db.session.add(
        ReviewComment(article_id=article.id, user_id=_user().id, body=form.body.data)
    )
    announce(article, "comment", _user())  # goes out with the comment's commit
    sdk.db.session.commit()
    flash(sdk._("Your comment is added."), "success")
    return redirect(url_for(".show", article_id=article.id, _anchor="comments"))


@sdk.require_permission("publishing.write")
def delete(article_id: int) -> Any:
    """Delete an unpublished article (editors any, writers their own drafts); audited."""
    article = _article(article_id)
    if not ActionForm().validate_on_submit():
        sdk.abort(400)
    if not may_delete(article, _user()):
        sdk.abort(403)
    if article.publication_state in ("published", "scheduled"):
        flash(sdk._("Withdraw or unschedule the article first."), "error")
        return redirect(url_for(".show", article_id=article.id))
    sdk.audit(
        "publishing.article.deleted",
        subject=f"article:{article.id}",
        details={"title": article.title},
    )
    sdk.db.session.delete(article)
    sdk.db.session.commit()
    flash(sdk._("The article is deleted."), "info")
    return redirect(url_for(".index"))


def may_delete(article: Article, user: Any) -> bool:
    """Editors delete any article; writers their own drafts."""
    return sdk.has_permission("publishing.review") or (
        workflow.is_own(article, user) and article.editorial_state == "draft"
    )


# -- history ----------------------------------------------------------------------------------
@sdk.require_permission("publishing.read")
def history(article_id: int) -> Any:
    """The revisions of an article, newest first."""
    article = _article(article_id)
    return render_template(
        "publishing/history.html",
        article=article,
        revisions=revisions.history(article),
        may_edit=editing.may_edit(article, _user()),
        action_form=ActionForm(),
        **_labels(),
    )


def _revision(article: Article, revision_id: int) -> Revision:
    revision = sdk.get_or_404(Revision, revision_id)
    if revision.article_id != article.id:
        sdk.abort(404)
    return revision


@sdk.require_permission("publishing.read")
def revision(article_id: int, revision_id: int) -> Any:
    """What a revision changed, or how it differs from the article now."""
    article = _article(article_id)
    rev = _revision(article, revision_id)
    against = request.args.get("against", "previous")
    if against == "current":
        old, new = rev.snapshot, revisions.snapshot(article)
    else:
        before = revisions.previous(rev)
        old, new = (before.snapshot if before else {}), rev.snapshot
    return render_template(
        "publishing/revision.html",
        article=article,
        revision=rev,
        against=against,
        tables=revisions.diff_tables(old, new, FIELD_LABELS),
        may_edit=editing.may_edit(article, _user()),
        action_form=ActionForm(),
        **_labels(),
    )


@sdk.require_permission("publishing.write")
def restore(article_id: int, revision_id: int) -> Any:
    """Bring back an old revision's fields as a new revision."""
    article = _editable(article_id)
    rev = _revision(article, revision_id)
    if not ActionForm().validate_on_submit():
        sdk.abort(400)
    with sdk.user_errors():
        editing.restore(article, rev, _user())
        flash(sdk._("Revision %(number)s is restored.", number=rev.number), "success")
        return redirect(url_for(".history", article_id=article.id))
    return redirect(url_for(".revision", article_id=article.id, revision_id=rev.id))


# -- authors ----------------------------------------------------------------------------------
@sdk.require_permission("publishing.read")
def authors() -> Any:
    """The workspace's author profiles."""
    return render_template(
        "publishing/authors.html",
        authors=list(sdk.db.session.scalars(sdk.scoped(Author).order_by(Author.name))),
        can_manage=sdk.has_permission("publishing.authors"),
    )


def _links(text: str) -> list[dict[str, str]]:
    links = []
    for line in (text or "").splitlines():
        parts = line.strip().rsplit(" ", 1)
        if not parts or not parts[0]:
            continue
        url = parts[-1]
        label = parts[0] if len(parts) == 2 else url
        if not editing.URL_RE.match(url):
            raise ArticleError(
                sdk._("Each line needs an address starting with https://."), field="links"
            )
        links.append({"label": label[:100], "url": url[:500]})
    return links


def _save_author(form: AuthorForm, author: Author) -> None:
    from slugify import slugify

    if form.slug.data and not editing.SLUG_RE.match(form.slug.data):
        raise ArticleError(sdk._("Use lower-case letters, digits and hyphens only."), field="slug")
    author.name = form.name.data.strip()
    author.bio = form.bio.data or ""
    author.links = _links(form.links.data)
    wanted = form.slug.data or author.slug or slugify(author.name, max_length=100)
    author.slug = editing.unique_author_slug(wanted or "author", author)
    file = form.photo.data
    if file is not None and getattr(file, "filename", ""):
        try:
            key, variants = store_cover(file)
        except sdk.UploadRejected as exc:
            raise ArticleError(exc.message, field="photo") from None
        author.photo_key = variants.get("480", key)
    sdk.db.session.add(author)
    sdk.db.session.commit()


@sdk.require_permission("publishing.authors")
def author_new() -> Any:
    """Add a guest or member author profile (editors)."""
    form = AuthorForm()
    if form.validate_on_submit():
        with sdk.user_errors(form):
            _save_author(form, Author(links=[]))
            flash(sdk._("The author is saved."), "success")
            return redirect(url_for(".authors"))
    status = 422 if form.errors else 200
    return render_template("publishing/author_edit.html", form=form, author=None), status


@sdk.require_permission("publishing.authors")
def author_edit(author_id: int) -> Any:
    """Change an author profile (editors)."""
    author = sdk.get_or_404(Author, author_id)
    form = AuthorForm(obj=author if request.method == "GET" else None)
    if request.method == "GET":
        form.links.data = "\n".join(f"{link['label']} {link['url']}" for link in author.links)
    if form.validate_on_submit():
        with sdk.user_errors(form):
            _save_author(form, author)
            flash(sdk._("The author is saved."), "success")
            return redirect(url_for(".authors"))
    status = 422 if form.errors else 200
    return render_template("publishing/author_edit.html", form=form, author=author), status


@sdk.require_permission("publishing.read")
def author_photo(author_id: int) -> Any:
    """An author's photo for the members' pages."""
    author = sdk.get_or_404(Author, author_id)
    if not author.photo_key:
        sdk.abort(404)
    return sdk.send_upload(author.photo_key)
