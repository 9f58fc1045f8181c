"""Modules and lessons: what trainers write, what enrolled learners read and tick off."""

from __future__ import annotations

from typing import Any

from ent_plugins.training import service
from ent_plugins.training.forms import ActionForm, LessonForm, ModuleForm
from ent_plugins.training.models import Course, Lesson, Module
from ent_plugins.training.permissions import MANAGE_COURSE, READ_COURSE, course_of
from ent_plugins.training.views.base import form_page, has_file, posted, store
from flask import flash, redirect, render_template, url_for

from ent_core import sdk


@sdk.require_object_permission(MANAGE_COURSE, Course, "course_id")
def module_new(course: Course) -> Any:
    form = ModuleForm()
    if form.validate_on_submit():
        sdk.db.session.add(
            Module(
                course_id=course.id,
                title=form.title.data.strip(),
                position=form.position.data or 0,
            )
        )
        sdk.db.session.commit()
        flash(sdk._("Module added."), "success")
        return redirect(url_for(".course", course_id=course.id))
    return form_page(form, sdk._("New module"), url_for(".course", course_id=course.id))


@sdk.require_object_permission(MANAGE_COURSE, Module, "module_id", via=course_of)
def module_delete(module: Module) -> Any:
    course_id = module.course_id
    posted()
    sdk.db.session.delete(module)
    sdk.db.session.commit()
    flash(sdk._("The module and its lessons are deleted."), "info")
    return redirect(url_for(".course", course_id=course_id))


def _apply_lesson(form: LessonForm, lesson: Lesson) -> bool:
    """Copy the form into the lesson; False (with the field's error) if the file is refused."""
    if has_file(form.attachment):
        try:
            stored = store(form.attachment.data)
        except sdk.UploadRejected as exc:
            form.attachment.errors = [exc.message]
            return False
        lesson.attachment_key = stored.key
        lesson.attachment_name = stored.original_name[:200]
    lesson.title = form.title.data.strip()
    lesson.body = form.body.data or ""
    lesson.video_url = form.video_url.data or ""
    lesson.position = form.position.data or 0
    return True


@sdk.require_object_permission(MANAGE_COURSE, Module, "module_id", via=course_of)
def lesson_new(module: Module) -> Any:
    form = LessonForm()
    if form.validate_on_submit():
        lesson = Lesson(module_id=module.id)
        if _apply_lesson(form, lesson):
            sdk.db.session.add(lesson)
            sdk.db.session.commit()
            flash(sdk._("Lesson added."), "success")
            return redirect(url_for(".lesson", lesson_id=lesson.id))
    return form_page(
        form, sdk._("New lesson"), url_for(".course", course_id=module.course_id), multipart=True
    )


@sdk.require_object_permission(MANAGE_COURSE, Lesson, "lesson_id", via=course_of)
def lesson_edit(lesson: Lesson) -> Any:
    form = LessonForm(obj=lesson)
    if form.validate_on_submit() and _apply_lesson(form, lesson):
        sdk.db.session.commit()
        flash(sdk._("The lesson is saved."), "success")
        return redirect(url_for(".lesson", lesson_id=lesson.id))
    return form_page(
        form, sdk._("Edit the lesson"), url_for(".lesson", lesson_id=lesson.id), multipart=True
    )


@sdk.require_object_permission(MANAGE_COURSE, Lesson, "lesson_id", via=course_of)
def lesson_delete(lesson: Lesson) -> Any:
    course_id = lesson.module.course_id
    posted()
    sdk.db.session.delete(lesson)
    sdk.db.session.commit()
    flash(sdk._("The lesson is deleted."), "info")
    return redirect(url_for(".course", course_id=course_id))


@sdk.require_object_permission(READ_COURSE, Lesson, "lesson_id", via=course_of)
def lesson(lesson: Lesson) -> Any:
    course = lesson.module.course
    enrolment = service.active_enrolment(course, sdk.current_user)
    return render_template(
        "training/lesson.html",
        lesson=lesson,
        course=course,
        enrolment=enrolment,
        done=lesson.id in service.completed_lessons(enrolment),
        action_form=ActionForm(),
    )


@sdk.require_permission("workspace.view")
def lesson_complete(lesson_id: int) -> Any:
    item = sdk.get_or_404(Lesson, lesson_id)
    posted()
    # Only a learner's own seat counts: trainers read lessons but have nothing to tick off.
    enrolment = service.active_enrolment(item.module.course, sdk.current_user)
    if enrolment is None:
        sdk.abort(403)
    service.complete_lesson(enrolment, item)
    flash(sdk._("Lesson marked as done."), "success")
    return redirect(url_for(".course", course_id=item.module.course_id))


@sdk.require_object_permission(READ_COURSE, Lesson, "lesson_id", via=course_of)
def lesson_attachment(lesson: Lesson) -> Any:
    if not lesson.attachment_key:
        sdk.abort(404)
    return sdk.send_upload(
        lesson.attachment_key, download_name=lesson.attachment_name, as_attachment=True
    )
