"""Courses: creating and editing them, their trainers and prerequisites."""

from __future__ import annotations

from typing import Any

from ent_plugins.training import service
from ent_plugins.training.forms import (
    ActionForm,
    CourseForm,
    EmailForm,
    ModuleForm,
    PrerequisiteForm,
    choices,
)
from ent_plugins.training.models import Course, CourseTrainer, Enrolment, Prerequisite, Programme
from ent_plugins.training.permissions import MANAGE, MANAGE_COURSE, TEACH
from ent_plugins.training.views.base import VIEW, form_page, member_by_email, posted
from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ent_core import sdk


def _course_form(form: CourseForm) -> None:
    programmes = sdk.db.session.scalars(sdk.scoped(Programme).order_by(Programme.title)).all()
    form.programme_id.choices = choices(
        [(0, sdk._("None"))] + [(p.id, p.title) for p in programmes]
    )


def _apply_course(form: CourseForm, course: Course) -> None:
    course.title = form.title.data.strip()
    course.programme_id = form.programme_id.data or None
    course.summary = form.summary.data or ""
    course.criteria = form.criteria.data or ""
    course.pass_mark = form.pass_mark.data
    course.lessons_share = form.lessons_share.data if form.lessons_share.data is not None else 100
    course.attendance_share = (
        form.attendance_share.data if form.attendance_share.data is not None else 0
    )
    course.validity_months = form.validity_months.data or None


@sdk.require_permission(TEACH)
def course_new() -> Any:
    form = CourseForm()
    _course_form(form)
    if form.validate_on_submit():
        course = Course()
        _apply_course(form, course)
        sdk.db.session.add(course)
        sdk.db.session.flush()
        # Whoever creates a course teaches it.
        sdk.db.session.add(CourseTrainer(course_id=course.id, user_id=sdk.current_user.id))
        sdk.db.session.commit()
        flash(sdk._("The course is created."), "success")
        return redirect(url_for(".course", course_id=course.id))
    return form_page(form, sdk._("New course"), url_for(".index"))


@sdk.require_permission(VIEW)
def course(course_id: int) -> Any:
    item = sdk.get_or_404(Course, course_id)
    enrolment = service.active_enrolment(item, sdk.current_user)
    others = sdk.db.session.scalars(
        sdk.scoped(Course).where(Course.id != item.id).order_by(Course.title)
    ).all()
    prerequisite_form = PrerequisiteForm()
    prerequisite_form.required_id.choices = choices([(c.id, c.title) for c in others])
    my_enrolments = {
        e.cohort_id: e
        for e in sdk.db.session.scalars(
            sdk.scoped(Enrolment).where(Enrolment.user_id == sdk.current_user.id)
        )
    }
    return render_template(
        "training/course.html",
        course=item,
        enrolment=enrolment,
        done=service.completed_lessons(enrolment),
        module_form=ModuleForm(),
        trainer_form=EmailForm(),
        prerequisite_form=prerequisite_form,
        action_form=ActionForm(),
        my_enrolments=my_enrolments,
        missing=service.missing_prerequisites(item, sdk.current_user),
        outcome=service.outcome(enrolment) if enrolment else None,
    )


@sdk.require_object_permission(MANAGE_COURSE, Course, "course_id")
def course_edit(course: Course) -> Any:
    form = CourseForm(obj=course)
    _course_form(form)
    if request.method == "GET":
        form.programme_id.data = course.programme_id or 0
    if form.validate_on_submit():
        _apply_course(form, course)
        sdk.db.session.commit()
        flash(sdk._("The course is saved."), "success")
        return redirect(url_for(".course", course_id=course.id))
    return form_page(form, sdk._("Edit the course"), url_for(".course", course_id=course.id))


@sdk.require_permission(MANAGE)
def trainer_add(course_id: int) -> Any:
    item = sdk.get_or_404(Course, course_id)
    form = EmailForm()
    member = member_by_email(form.email.data) if form.validate_on_submit() else None
    if member is None:
        flash(sdk._("No member of this workspace has that email."), "error")
    elif member.id not in item.trainer_ids:
        sdk.db.session.add(CourseTrainer(course_id=item.id, user_id=member.id))
        sdk.audit(
            "training.trainer_added", subject=f"user:{member.id}", details={"course": item.id}
        )
        sdk.db.session.commit()
        flash(sdk._("%(name)s now teaches this course.", name=member.display_name), "success")
    return redirect(url_for(".course", course_id=item.id))


@sdk.require_object_permission(MANAGE_COURSE, Course, "course_id")
def trainer_remove(course: Course, user_id: int) -> Any:
    posted()
    # Lock the course (PostgreSQL): two removals at once cannot leave it without a trainer.
    sdk.db.session.execute(select(Course.id).where(Course.id == course.id).with_for_update())
    trainers = sdk.db.session.scalars(
        sdk.scoped(CourseTrainer).where(CourseTrainer.course_id == course.id)
    ).all()
    leaving = next((t for t in trainers if t.user_id == user_id), None)
    if leaving is None:
        sdk.abort(404)
    if len(trainers) == 1:
        flash(
            sdk._("A course keeps at least one trainer: add another before removing this one."),
            "error",
        )
        return redirect(url_for(".course", course_id=course.id))
    name = leaving.user.display_name
    sdk.db.session.delete(leaving)
    sdk.audit("training.trainer_removed", subject=f"user:{user_id}", details={"course": course.id})
    sdk.db.session.commit()
    flash(sdk._("%(name)s no longer teaches this course.", name=name), "info")
    return redirect(url_for(".course", course_id=course.id))


@sdk.require_object_permission(MANAGE_COURSE, Course, "course_id")
def prerequisite_add(course: Course) -> Any:
    form = PrerequisiteForm()
    others = sdk.db.session.scalars(sdk.scoped(Course).where(Course.id != course.id)).all()
    form.required_id.choices = choices([(c.id, c.title) for c in others])
    if form.validate_on_submit() and form.required_id.data not in {
        p.required_id for p in course.prerequisites
    }:
        sdk.db.session.add(Prerequisite(course_id=course.id, required_id=form.required_id.data))
        sdk.db.session.commit()
        flash(sdk._("Prerequisite added."), "success")
    elif form.errors:
        flash(sdk._("Choose one of the listed courses."), "error")
    return redirect(url_for(".course", course_id=course.id))
