"""Public pages: the minutes an association published, and an associate's verification page."""

from __future__ import annotations

from typing import Any

from ent_plugins.governance import associates
from ent_plugins.governance.models import Meeting, Minutes
from ent_plugins.governance.views.minutes import pdf_response
from flask import render_template
from sqlalchemy.orm import contains_eager

from ent_core import sdk


def _published(minutes_id: int) -> Minutes:
    item = sdk.get_or_404(Minutes, minutes_id)
    if not item.published or item.status != "approved":
        sdk.abort(404)
    return item


def minutes_list() -> Any:
    rows = sdk.db.session.scalars(
        sdk.scoped(Minutes)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(Minutes.published.is_(True), Minutes.status == "approved")
        .options(contains_eager(Minutes.meeting))
        .order_by(Meeting.starts_at.desc(), Minutes.id.desc())
    ).all()
    return render_template("governance/public/minutes_list.html", rows=rows)


def minutes(minutes_id: int) -> Any:
    item = _published(minutes_id)
    return render_template(
        "governance/public/minutes.html", item=item, html=sdk.render_markdown(item.body)
    )


def minutes_pdf(minutes_id: int) -> Any:
    return pdf_response(_published(minutes_id))


def associate(token: str) -> Any:
    """Whether the person is an associate up to date today: name, association, status only."""
    workspace = sdk.current_workspace()
    designated = associates.associates_workspace()
    if designated is None or designated.id != workspace.id:
        sdk.abort(404)
    member = associates.member_for_token(token)
    if member is None:
        sdk.abort(404)
    state = associates.status_today(member, workspace)
    response = render_template("governance/public/associate.html", state=state)
    return response, 200, {"Cache-Control": "no-store"}
