"""The training home page and programmes (groups of courses, managed by owners and admins)."""

from __future__ import annotations

from typing import Any

from ent_plugins.training import service
from ent_plugins.training.forms import ProgrammeForm
from ent_plugins.training.models import Certificate, Course, Enrolment, Programme
from ent_plugins.training.permissions import MANAGE
from ent_plugins.training.views.base import VIEW, form_page, posted
from flask import flash, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ent_core import sdk


@sdk.require_permission(VIEW)
def index() -> Any:
    courses = sdk.db.session.scalars(
        sdk.scoped(Course).options(selectinload(Course.cohorts)).order_by(Course.title)
    ).all()
    programmes = sdk.db.session.scalars(sdk.scoped(Programme).order_by(Programme.title)).all()
    mine = sdk.db.session.scalars(
        sdk.scoped(Enrolment)
        .where(Enrolment.user_id == sdk.current_user.id, Enrolment.status != service.WITHDRAWN)
        .order_by(Enrolment.id.desc())
    ).all()
    my_certificates = sdk.db.session.scalars(
        sdk.scoped(Certificate)
        .where(Certificate.user_id == sdk.current_user.id)
        .order_by(Certificate.issued_at.desc())
    ).all()
    return render_template(
        "training/index.html",
        courses=courses,
        programmes=programmes,
        enrolments=mine,
        my_certificates=my_certificates,
    )


@sdk.require_permission(MANAGE)
def programme_new() -> Any:
    form = ProgrammeForm()
    if form.validate_on_submit():
        programme = Programme(
            title=form.title.data.strip(), description=form.description.data or ""
        )
        sdk.db.session.add(programme)
        sdk.db.session.flush()
        sdk.audit("training.programme_created", subject=f"programme:{programme.id}")
        sdk.db.session.commit()
        flash(sdk._("The programme is created."), "success")
        return redirect(url_for(".programme", programme_id=programme.id))
    return form_page(form, sdk._("New programme"), url_for(".index"))


@sdk.require_permission(VIEW)
def programme(programme_id: int) -> Any:
    item = sdk.get_or_404(Programme, programme_id)
    return render_template("training/programme.html", programme=item)


@sdk.require_permission(MANAGE)
def programme_edit(programme_id: int) -> Any:
    item = sdk.get_or_404(Programme, programme_id)
    form = ProgrammeForm(obj=item)
    if form.validate_on_submit():
        item.title = form.title.data.strip()
        item.description = form.description.data or ""
        sdk.audit("training.programme_updated", subject=f"programme:{item.id}")
        sdk.db.session.commit()
        flash(sdk._("The programme is saved."), "success")
        return redirect(url_for(".programme", programme_id=item.id))
    return form_page(form, sdk._("Edit the programme"), url_for(".programme", programme_id=item.id))


@sdk.require_permission(MANAGE)
def programme_delete(programme_id: int) -> Any:
    item = sdk.get_or_404(Programme, programme_id)
    posted()
    # Lock the row (PostgreSQL) so a course cannot join the programme while it goes.
    sdk.db.session.execute(select(Programme.id).where(Programme.id == item.id).with_for_update())
    if sdk.db.session.scalar(select(Course.id).where(Course.programme_id == item.id).limit(1)):
        flash(
            sdk._(
                "This programme still has courses: move them to another programme "
                "(Edit the course) before deleting it."
            ),
            "error",
        )
        return redirect(url_for(".programme", programme_id=item.id))
    sdk.audit(
        "training.programme_deleted", subject=f"programme:{item.id}", details={"title": item.title}
    )
    sdk.db.session.delete(item)
    sdk.db.session.commit()
    flash(sdk._("The programme is deleted."), "info")
    return redirect(url_for(".index"))
