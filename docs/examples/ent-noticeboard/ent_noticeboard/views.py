"""Members' pages of the notice board (the URL rules are in blueprint.py)."""

from __future__ import annotations

from typing import Any

from ent_core import sdk
from flask import flash, g, redirect, render_template, url_for
from sqlalchemy import bindparam
from sqlalchemy.orm import selectinload

from ent_noticeboard.forms import ActionForm, NoticeForm
from ent_noticeboard.models import Notice
from ent_noticeboard.service import NoticeError, delete_notice, post_notice, set_pinned

BOARD_SIZE = 100


def board(limit: int = BOARD_SIZE) -> list[Notice]:
    """The current workspace's notices: pinned first, newest first.

    The dashboard asks twice (the widget, then the banner slot): the first answer is kept for
    the request and sliced, so a page costs one query, not one per hook.
    """
    cached = g.get("noticeboard_board")
    if cached is not None and cached[0] >= limit:
        return cached[1][:limit]
    notices = list(sdk.db.session.scalars(_BOARD, {"limit": limit}))
    g.noticeboard_board = (limit, notices)
    return notices


#: Built once and run with the limit bound: building a statement on every call costs more
#: than running it. No workspace criterion to add: the platform filters every query of
#: tenant rows to the current workspace (``sdk.TenantMixin``; docs/plugin_guide.md).
_BOARD = (
    sdk.db.select(Notice)
    .options(selectinload(Notice.author))
    .order_by(Notice.pinned.desc(), Notice.id.desc())
    .limit(bindparam("limit"))
)


@sdk.require_permission("workspace.view")
def index() -> Any:
    return render_template(
        "noticeboard/index.html",
        notices=board(),
        action_form=ActionForm(),
        can_post=sdk.has_permission("noticeboard.post"),
    )


@sdk.require_permission("noticeboard.post")
def new() -> Any:
    form = NoticeForm()
    if form.validate_on_submit():
        try:
            notice = post_notice(
                title=form.title.data,
                body=form.body.data or "",
                pinned=form.pinned.data,
                author=sdk.current_user,
            )
        except NoticeError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            flash(sdk._("Your notice is on the board."), "success")
            return redirect(url_for(".show", notice_id=notice.id))
    status = 422 if form.errors else 200
    return render_template("noticeboard/new.html", form=form), status


@sdk.require_permission("workspace.view")
def show(notice_id: int) -> Any:
    notice = sdk.get_or_404(Notice, notice_id)
    return render_template(
        "noticeboard/notice.html",
        notice=notice,
        action_form=ActionForm(),
        can_post=sdk.has_permission("noticeboard.post"),
    )


def _action(notice_id: int) -> Notice:
    if not ActionForm().validate_on_submit():
        sdk.abort(400)
    return sdk.get_or_404(Notice, notice_id)


@sdk.require_permission("noticeboard.post")
def pin(notice_id: int) -> Any:
    notice = _action(notice_id)
    try:
        set_pinned(notice, True)
    except NoticeError as exc:
        flash(exc.message, "error")
    else:
        flash(sdk._("The notice is pinned."), "success")
    return redirect(url_for(".index"))


@sdk.require_permission("noticeboard.post")
def unpin(notice_id: int) -> Any:
    set_pinned(_action(notice_id), False)
    flash(sdk._("The notice is no longer pinned."), "info")
    return redirect(url_for(".index"))


@sdk.require_permission("noticeboard.post")
def delete(notice_id: int) -> Any:
    delete_notice(_action(notice_id))
    flash(sdk._("The notice was deleted."), "info")
    return redirect(url_for(".index"))
