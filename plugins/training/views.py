"""Members' pages of the training plugin (URL rules in blueprint.py).

Every id in a URL is loaded with ``sdk.get_or_404`` first (another workspace's row is a 404),
then the permission on that row is checked.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ent_plugins.training import certificates as certs
from ent_plugins.training import quiz, service
from ent_plugins.training.forms import (
    ActionForm,
    AssessmentForm,
    BadgeSettingsForm,
    CohortForm,
    CourseForm,
    EmailForm,
    GradeForm,
    LessonForm,
    MailForm,
    ModuleForm,
    PrerequisiteForm,
    ProgrammeForm,
    QuestionForm,
    RevokeForm,
    SessionForm,
    SubmissionForm,
    choices,
)
from ent_plugins.training.models import (
    Assessment,
    Attendance,
    Certificate,
    Choice,
    ClassSession,
    Cohort,
    Course,
    CourseTrainer,
    Enrolment,
    LearnerPreference,
    Lesson,
    Module,
    Prerequisite,
    Programme,
    Question,
    QuizAttempt,
    Submission,
)
from ent_plugins.training.service import TrainingError
from flask import Response, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ent_core import sdk

VIEW = "workspace.view"
UPLOAD_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/webp")


def _form_page(
    form: Any, title: str, back: str, *, multipart: bool = False, note: str | None = None
) -> Any:
    status = 422 if form.errors else 200
    return render_template(
        "training/form.html", form=form, title=title, back=back, multipart=multipart, note=note
    ), status


def _posted() -> None:
    if not ActionForm().validate_on_submit():
        sdk.abort(400)


def _member_by_email(email: str) -> Any:
    """A member of the current workspace with this email, or None."""
    target = (email or "").strip().lower()
    for member in sdk.workspace_members(sdk.current_workspace()):
        if member.email.lower() == target:
            return member
    return None


def _store(file: Any) -> Any:
    """Check an uploaded file by its content and store it; raises UploadRejected."""
    return sdk.store_upload(file, allowed=UPLOAD_TYPES, original_name=file.filename)


def _has_file(field: Any) -> bool:
    return bool(field.data and getattr(field.data, "filename", ""))


# -- index, programmes, courses --------------------------------------------------------------
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
        can_manage=service.can_manage(),
        can_create=sdk.has_permission("training.teach"),
    )


@sdk.require_permission("training.manage")
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
    return _form_page(form, sdk._("New programme"), url_for(".index"))


@sdk.require_permission(VIEW)
def programme(programme_id: int) -> Any:
    item = sdk.get_or_404(Programme, programme_id)
    return render_template(
        "training/programme.html", programme=item, can_manage=service.can_manage()
    )


@sdk.require_permission("training.manage")
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
    return _form_page(
        form, sdk._("Edit the programme"), url_for(".programme", programme_id=item.id)
    )


@sdk.require_permission("training.manage")
def programme_delete(programme_id: int) -> Any:
    item = sdk.get_or_404(Programme, programme_id)
    _posted()
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


@sdk.require_permission("training.teach")
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
    return _form_page(form, sdk._("New course"), url_for(".index"))


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
        can_teach=service.can_teach(item),
        can_manage=service.can_manage(),
        module_form=ModuleForm(),
        trainer_form=EmailForm(),
        prerequisite_form=prerequisite_form,
        action_form=ActionForm(),
        my_enrolments=my_enrolments,
        missing=service.missing_prerequisites(item, sdk.current_user),
        outcome=service.outcome(enrolment) if enrolment else None,
    )


@sdk.require_permission(VIEW)
def course_edit(course_id: int) -> Any:
    item = sdk.get_or_404(Course, course_id)
    service.require_teach(item)
    form = CourseForm(obj=item)
    _course_form(form)
    if request.method == "GET":
        form.programme_id.data = item.programme_id or 0
    if form.validate_on_submit():
        _apply_course(form, item)
        sdk.db.session.commit()
        flash(sdk._("The course is saved."), "success")
        return redirect(url_for(".course", course_id=item.id))
    return _form_page(form, sdk._("Edit the course"), url_for(".course", course_id=item.id))


@sdk.require_permission(VIEW)
def trainer_add(course_id: int) -> Any:
    item = sdk.get_or_404(Course, course_id)
    if not service.can_manage():
        sdk.abort(403)
    form = EmailForm()
    member = _member_by_email(form.email.data) if form.validate_on_submit() else None
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


@sdk.require_permission(VIEW)
def trainer_remove(course_id: int, user_id: int) -> Any:
    item = sdk.get_or_404(Course, course_id)
    service.require_teach(item)
    _posted()
    # Lock the course (PostgreSQL): two removals at once cannot leave it without a trainer.
    sdk.db.session.execute(select(Course.id).where(Course.id == item.id).with_for_update())
    trainers = sdk.db.session.scalars(
        sdk.scoped(CourseTrainer).where(CourseTrainer.course_id == item.id)
    ).all()
    leaving = next((t for t in trainers if t.user_id == user_id), None)
    if leaving is None:
        sdk.abort(404)
    if len(trainers) == 1:
        flash(
            sdk._("A course keeps at least one trainer: add another before removing this one."),
            "error",
        )
        return redirect(url_for(".course", course_id=item.id))
    name = leaving.user.display_name
    sdk.db.session.delete(leaving)
    sdk.audit("training.trainer_removed", subject=f"user:{user_id}", details={"course": item.id})
    sdk.db.session.commit()
    flash(sdk._("%(name)s no longer teaches this course.", name=name), "info")
    return redirect(url_for(".course", course_id=item.id))


@sdk.require_permission(VIEW)
def prerequisite_add(course_id: int) -> Any:
    item = sdk.get_or_404(Course, course_id)
    service.require_teach(item)
    form = PrerequisiteForm()
    others = sdk.db.session.scalars(sdk.scoped(Course).where(Course.id != item.id)).all()
    form.required_id.choices = choices([(c.id, c.title) for c in others])
    if form.validate_on_submit() and form.required_id.data not in {
        p.required_id for p in item.prerequisites
    }:
        sdk.db.session.add(Prerequisite(course_id=item.id, required_id=form.required_id.data))
        sdk.db.session.commit()
        flash(sdk._("Prerequisite added."), "success")
    elif form.errors:
        flash(sdk._("Choose one of the listed courses."), "error")
    return redirect(url_for(".course", course_id=item.id))


# -- modules and lessons ---------------------------------------------------------------------
@sdk.require_permission(VIEW)
def module_new(course_id: int) -> Any:
    item = sdk.get_or_404(Course, course_id)
    service.require_teach(item)
    form = ModuleForm()
    if form.validate_on_submit():
        sdk.db.session.add(
            Module(
                course_id=item.id, title=form.title.data.strip(), position=form.position.data or 0
            )
        )
        sdk.db.session.commit()
        flash(sdk._("Module added."), "success")
        return redirect(url_for(".course", course_id=item.id))
    return _form_page(form, sdk._("New module"), url_for(".course", course_id=item.id))


def _apply_lesson(form: LessonForm, lesson: Lesson) -> bool:
    """Copy the form into the lesson; False (with the field's error) if the file is refused."""
    if _has_file(form.attachment):
        try:
            stored = _store(form.attachment.data)
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


@sdk.require_permission(VIEW)
def lesson_new(module_id: int) -> Any:
    module = sdk.get_or_404(Module, module_id)
    service.require_teach(module.course)
    form = LessonForm()
    if form.validate_on_submit():
        lesson = Lesson(module_id=module.id)
        if _apply_lesson(form, lesson):
            sdk.db.session.add(lesson)
            sdk.db.session.commit()
            flash(sdk._("Lesson added."), "success")
            return redirect(url_for(".lesson", lesson_id=lesson.id))
    return _form_page(
        form, sdk._("New lesson"), url_for(".course", course_id=module.course_id), multipart=True
    )


@sdk.require_permission(VIEW)
def lesson_edit(lesson_id: int) -> Any:
    lesson = sdk.get_or_404(Lesson, lesson_id)
    service.require_teach(lesson.module.course)
    form = LessonForm(obj=lesson)
    if form.validate_on_submit() and _apply_lesson(form, lesson):
        sdk.db.session.commit()
        flash(sdk._("The lesson is saved."), "success")
        return redirect(url_for(".lesson", lesson_id=lesson.id))
    return _form_page(
        form, sdk._("Edit the lesson"), url_for(".lesson", lesson_id=lesson.id), multipart=True
    )


def _may_read(course_item: Course) -> Any:
    """Learners enrolled in a cohort, and the course's trainers, read its lessons."""
    enrolment = service.active_enrolment(course_item, sdk.current_user)
    if enrolment is None and not service.can_teach(course_item):
        sdk.abort(403)
    return enrolment


@sdk.require_permission(VIEW)
def lesson_delete(lesson_id: int) -> Any:
    item = sdk.get_or_404(Lesson, lesson_id)
    course_id = item.module.course_id
    service.require_teach(item.module.course)
    _posted()
    sdk.db.session.delete(item)
    sdk.db.session.commit()
    flash(sdk._("The lesson is deleted."), "info")
    return redirect(url_for(".course", course_id=course_id))


@sdk.require_permission(VIEW)
def module_delete(module_id: int) -> Any:
    item = sdk.get_or_404(Module, module_id)
    course_id = item.course_id
    service.require_teach(item.course)
    _posted()
    sdk.db.session.delete(item)
    sdk.db.session.commit()
    flash(sdk._("The module and its lessons are deleted."), "info")
    return redirect(url_for(".course", course_id=course_id))


@sdk.require_permission(VIEW)
def lesson(lesson_id: int) -> Any:
    item = sdk.get_or_404(Lesson, lesson_id)
    course_item = item.module.course
    enrolment = _may_read(course_item)
    return render_template(
        "training/lesson.html",
        lesson=item,
        course=course_item,
        enrolment=enrolment,
        done=item.id in service.completed_lessons(enrolment),
        action_form=ActionForm(),
        can_teach=service.can_teach(course_item),
    )


@sdk.require_permission(VIEW)
def lesson_complete(lesson_id: int) -> Any:
    item = sdk.get_or_404(Lesson, lesson_id)
    _posted()
    enrolment = service.active_enrolment(item.module.course, sdk.current_user)
    if enrolment is None:
        sdk.abort(403)
    service.complete_lesson(enrolment, item)
    flash(sdk._("Lesson marked as done."), "success")
    return redirect(url_for(".course", course_id=item.module.course_id))


@sdk.require_permission(VIEW)
def lesson_attachment(lesson_id: int) -> Any:
    item = sdk.get_or_404(Lesson, lesson_id)
    _may_read(item.module.course)
    if not item.attachment_key:
        sdk.abort(404)
    return sdk.send_upload(
        item.attachment_key, download_name=item.attachment_name, as_attachment=True
    )


# -- assessments -----------------------------------------------------------------------------
@sdk.require_permission(VIEW)
def assessment_new(course_id: int) -> Any:
    item = sdk.get_or_404(Course, course_id)
    service.require_teach(item)
    form = AssessmentForm()
    del form.questions_per_attempt  # set once the quiz has questions (Edit the assessment)
    if form.validate_on_submit():
        assessment = Assessment(
            course_id=item.id,
            kind=form.kind.data,
            title=form.title.data.strip(),
            instructions=form.instructions.data or "",
            weight=form.weight.data,
            max_attempts=form.max_attempts.data or 1,
            time_limit_minutes=form.time_limit_minutes.data or None,
            submission_kind=form.submission_kind.data,
        )
        sdk.db.session.add(assessment)
        sdk.db.session.commit()
        flash(sdk._("Assessment added."), "success")
        return redirect(url_for(".assessment", assessment_id=assessment.id))
    return _form_page(form, sdk._("New assessment"), url_for(".course", course_id=item.id))


@sdk.require_permission(VIEW)
def assessment_edit(assessment_id: int) -> Any:
    item = sdk.get_or_404(Assessment, assessment_id)
    service.require_teach(item.course)
    form = AssessmentForm(obj=item)
    del form.kind  # fixed once created: questions or submissions already hang on it
    if item.kind != "quiz":
        del form.questions_per_attempt
    if form.validate_on_submit() and (
        item.kind != "quiz" or form.check_questions_per_attempt(len(item.questions))
    ):
        if item.kind == "quiz":
            item.questions_per_attempt = form.questions_per_attempt.data or None
        item.title = form.title.data.strip()
        item.instructions = form.instructions.data or ""
        item.weight = form.weight.data
        item.max_attempts = form.max_attempts.data or 1
        item.time_limit_minutes = form.time_limit_minutes.data or None
        item.submission_kind = form.submission_kind.data
        sdk.db.session.commit()
        flash(sdk._("The assessment is saved."), "success")
        return redirect(url_for(".assessment", assessment_id=item.id))
    return _form_page(
        form, sdk._("Edit the assessment"), url_for(".assessment", assessment_id=item.id)
    )


@sdk.require_permission(VIEW)
def assessment(assessment_id: int) -> Any:
    item = sdk.get_or_404(Assessment, assessment_id)
    enrolment = _may_read(item.course)
    teach = service.can_teach(item.course)
    attempts, submission, submissions = [], None, []
    if enrolment is not None:
        attempts = sdk.db.session.scalars(
            sdk.scoped(QuizAttempt)
            .where(QuizAttempt.assessment_id == item.id, QuizAttempt.user_id == enrolment.user_id)
            .order_by(QuizAttempt.number)
        ).all()
        submission = sdk.db.session.scalar(
            sdk.scoped(Submission).where(
                Submission.assessment_id == item.id, Submission.enrolment_id == enrolment.id
            )
        )
    if teach and item.kind == "assignment":
        submissions = sdk.db.session.scalars(
            sdk.scoped(Submission)
            .where(Submission.assessment_id == item.id)
            .order_by(Submission.submitted_at)
        ).all()
    return render_template(
        "training/assessment.html",
        assessment=item,
        enrolment=enrolment,
        can_teach=teach,
        attempts=attempts,
        submission=submission,
        submissions=submissions,
        question_form=QuestionForm(),
        submission_form=SubmissionForm(),
        action_form=ActionForm(),
    )


@sdk.require_permission(VIEW)
def question_new(assessment_id: int) -> Any:
    item = sdk.get_or_404(Assessment, assessment_id)
    service.require_teach(item.course)
    form = QuestionForm()
    if form.validate_on_submit():
        question = Question(
            assessment_id=item.id,
            text=form.text.data.strip(),
            multiple=form.multiple.data,
            position=len(item.questions),
        )
        sdk.db.session.add(question)
        sdk.db.session.flush()
        for text, correct in form.parsed():
            sdk.db.session.add(Choice(question_id=question.id, text=text, correct=correct))
        sdk.db.session.commit()
        flash(sdk._("Question added."), "success")
        return redirect(url_for(".assessment", assessment_id=item.id))
    return _form_page(form, sdk._("New question"), url_for(".assessment", assessment_id=item.id))


def _quiz_taken(assessment_id: int) -> bool:
    return (
        sdk.db.session.scalar(
            select(QuizAttempt.id).where(QuizAttempt.assessment_id == assessment_id).limit(1)
        )
        is not None
    )


def _apply_choices(question: Question, parsed: list[tuple[str, bool]]) -> None:
    """Edit the choices in place, line by line: a kept line keeps its choice's id, so attempts
    in progress still show it; extra lines add choices, missing ones delete the last."""
    existing = list(question.choices)
    for choice, (text, correct) in zip(existing, parsed, strict=False):
        choice.text, choice.correct = text, correct
    for text, correct in parsed[len(existing) :]:
        question.choices.append(Choice(question_id=question.id, text=text, correct=correct))
    for choice in existing[len(parsed) :]:
        question.choices.remove(choice)


@sdk.require_permission(VIEW)
def question_edit(question_id: int) -> Any:
    item = sdk.get_or_404(Question, question_id)
    service.require_teach(item.assessment.course)
    form = QuestionForm()
    form.submit.label.text = sdk._("Save the question")
    if request.method == "GET":
        form.fill_from(item)
    taken = _quiz_taken(item.assessment_id)
    if form.validate_on_submit():
        item.text = form.text.data.strip()
        item.multiple = form.multiple.data
        _apply_choices(item, form.parsed())
        sdk.audit(
            "training.question_edited",
            subject=f"question:{item.id}",
            details={"assessment": item.assessment_id, "attempts_existed": taken},
        )
        sdk.db.session.commit()
        flash(sdk._("The question is saved."), "success")
        return redirect(url_for(".assessment", assessment_id=item.assessment_id))
    note = (
        sdk._(
            "Learners have taken this quiz. Submitted attempts keep their score; an attempt "
            "still in progress is graded on the question as you save it."
        )
        if taken
        else None
    )
    return _form_page(
        form,
        sdk._("Edit the question"),
        url_for(".assessment", assessment_id=item.assessment_id),
        note=note,
    )


@sdk.require_permission(VIEW)
def question_delete(question_id: int) -> Any:
    item = sdk.get_or_404(Question, question_id)
    assessment_id = item.assessment_id
    service.require_teach(item.assessment.course)
    _posted()
    drawn = item.assessment.questions_per_attempt or 0
    if _quiz_taken(assessment_id):
        # Attempts were drawn from these questions: deleting one would rewrite history.
        flash(sdk._("Learners have taken this quiz: its questions can no longer change."), "error")
    elif drawn > len(item.assessment.questions) - 1:
        flash(
            sdk.ngettext(
                "Each attempt draws %(num)d question: lower that number "
                "(Edit the assessment) before deleting one.",
                "Each attempt draws %(num)d questions: lower that number "
                "(Edit the assessment) before deleting one.",
                drawn,
            ),
            "error",
        )
    else:
        sdk.db.session.delete(item)
        sdk.db.session.commit()
        flash(sdk._("The question is deleted."), "info")
    return redirect(url_for(".assessment", assessment_id=assessment_id))


@sdk.require_permission(VIEW)
def attempt_start(assessment_id: int) -> Any:
    item = sdk.get_or_404(Assessment, assessment_id)
    _posted()
    try:
        enrolment = service.require_enrolment(item.course)
        attempt = quiz.start_attempt(item, enrolment)
    except TrainingError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".assessment", assessment_id=item.id))
    return redirect(url_for(".attempt", attempt_id=attempt.id))


def _own_attempt(attempt_id: int) -> QuizAttempt:
    attempt = sdk.get_or_404(QuizAttempt, attempt_id)
    if attempt.enrolment.user_id != sdk.current_user.id:
        sdk.abort(404)
    return attempt


@sdk.require_permission(VIEW)
def attempt(attempt_id: int) -> Any:
    item = _own_attempt(attempt_id)
    if request.method == "POST":
        _posted()
        answers = {
            key.removeprefix("q-"): request.form.getlist(key)
            for key in request.form
            if key.startswith("q-")
        }
        try:
            quiz.submit_attempt(item, answers)
        except TrainingError as exc:
            flash(exc.message, "error")
        else:
            flash(sdk._("Your answers are in: %(score)s%%.", score=item.score), "success")
        return redirect(url_for(".assessment", assessment_id=item.assessment_id))
    quiz.close_if_expired(item, sdk.utcnow())
    return render_template(
        "training/attempt.html",
        attempt=item,
        layout=quiz.shown_questions(item),
        remaining=quiz.remaining_seconds(item),
        action_form=ActionForm(),
    )


@sdk.require_permission(VIEW)
def submission_new(assessment_id: int) -> Any:
    item = sdk.get_or_404(Assessment, assessment_id)
    if item.kind != "assignment":
        sdk.abort(404)
    try:
        enrolment = service.require_enrolment(item.course)
    except TrainingError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".assessment", assessment_id=item.id))
    form = SubmissionForm()
    if form.validate_on_submit():
        existing = sdk.db.session.scalar(
            sdk.scoped(Submission).where(
                Submission.assessment_id == item.id, Submission.enrolment_id == enrolment.id
            )
        )
        if existing is not None and existing.grade is not None:
            flash(sdk._("This work is already graded."), "error")
            return redirect(url_for(".assessment", assessment_id=item.id))
        submission = existing or Submission(assessment_id=item.id, enrolment_id=enrolment.id)
        if item.submission_kind == "file":
            if not _has_file(form.file):
                form.file.errors = [sdk._("Choose a file.")]
            else:
                try:
                    stored = _store(form.file.data)
                except sdk.UploadRejected as exc:
                    form.file.errors = [exc.message]
                else:
                    submission.file_key = stored.key
                    submission.file_name = stored.original_name[:200]
        elif not (form.text.data or "").strip():
            form.text.errors = [sdk._("Write your answer.")]
        if not form.file.errors and not form.text.errors:
            submission.text = form.text.data or ""
            submission.submitted_at = sdk.utcnow()
            sdk.db.session.add(submission)
            sdk.db.session.commit()
            flash(sdk._("Your work is handed in."), "success")
            return redirect(url_for(".assessment", assessment_id=item.id))
    return _form_page(
        form, item.title, url_for(".assessment", assessment_id=item.id), multipart=True
    )


def _submission_for_trainer(submission_id: int) -> Submission:
    item = sdk.get_or_404(Submission, submission_id)
    service.require_teach(item.assessment.course)
    return item


@sdk.require_permission(VIEW)
def submission_file(submission_id: int) -> Any:
    item = sdk.get_or_404(Submission, submission_id)
    if item.enrolment.user_id != sdk.current_user.id:
        service.require_teach(item.assessment.course)
    if not item.file_key:
        sdk.abort(404)
    return sdk.send_upload(item.file_key, download_name=item.file_name, as_attachment=True)


@sdk.require_permission(VIEW)
def grade(submission_id: int) -> Any:
    item = _submission_for_trainer(submission_id)
    form = GradeForm(obj=item)
    if form.validate_on_submit():
        item.grade = form.grade.data
        item.feedback = form.feedback.data or ""
        item.graded_at = sdk.utcnow()
        item.graded_by_id = sdk.current_user.id
        sdk.audit(
            "training.graded", subject=f"submission:{item.id}", details={"grade": str(item.grade)}
        )
        sdk.db.session.commit()
        service.schedule_evaluation(item.enrolment)
        flash(sdk._("Grade saved."), "success")
        return redirect(url_for(".assessment", assessment_id=item.assessment_id))
    status = 422 if form.errors else 200
    return render_template("training/grade.html", submission=item, form=form), status


# -- cohorts ---------------------------------------------------------------------------------
@sdk.require_permission(VIEW)
def cohort_new(course_id: int) -> Any:
    item = sdk.get_or_404(Course, course_id)
    service.require_teach(item)
    form = CohortForm()
    if form.validate_on_submit():
        cohort_item = Cohort(
            course_id=item.id,
            name=form.name.data.strip(),
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            capacity=form.capacity.data,
            mode=form.mode.data,
            location=form.location.data or "",
        )
        sdk.db.session.add(cohort_item)
        sdk.db.session.commit()
        flash(sdk._("The cohort is created."), "success")
        return redirect(url_for(".cohort", cohort_id=cohort_item.id))
    return _form_page(form, sdk._("New cohort"), url_for(".course", course_id=item.id))


@sdk.require_permission(VIEW)
def cohort_edit(cohort_id: int) -> Any:
    item = sdk.get_or_404(Cohort, cohort_id)
    service.require_teach(item.course)
    form = CohortForm(obj=item)
    form.submit.label.text = sdk._("Save the cohort")
    if form.validate_on_submit():
        item.name = form.name.data.strip()
        item.starts_on = form.starts_on.data
        item.ends_on = form.ends_on.data
        item.capacity = form.capacity.data
        item.mode = form.mode.data
        item.location = form.location.data or ""
        sdk.db.session.commit()
        # More seats: the waiting list moves up.
        for enrolment in service.promote_waiting(item):
            flash(sdk._("%(name)s got the freed seat.", name=enrolment.user.display_name), "info")
        flash(sdk._("The cohort is saved."), "success")
        return redirect(url_for(".cohort", cohort_id=item.id))
    return _form_page(form, sdk._("Edit the cohort"), url_for(".cohort", cohort_id=item.id))


@sdk.require_permission(VIEW)
def cohort(cohort_id: int) -> Any:
    item = sdk.get_or_404(Cohort, cohort_id)
    teach = service.can_teach(item.course)
    mine = next((e for e in item.enrolments if e.user_id == sdk.current_user.id), None)
    rows = []
    if teach:
        active = [e for e in item.enrolments if e.status == service.ACTIVE]
        results = service.outcomes_many(item, active)
        rows = [(e, results[e.id][1]) for e in active]
    issued = {
        c.user_id: c
        for c in sdk.db.session.scalars(
            sdk.scoped(Certificate).where(Certificate.cohort_id == item.id)
        )
    }
    return render_template(
        "training/cohort.html",
        cohort=item,
        can_teach=teach,
        mine=mine,
        rows=rows,
        waiting=[e for e in item.enrolments if e.status == service.WAITING],
        seats=service.seats_taken(item),
        issued=issued,
        learner_form=EmailForm(),
        session_form=SessionForm(),
        action_form=ActionForm(),
        revoke_form=RevokeForm(),
    )


@sdk.require_permission(VIEW)
def cohort_enrol(cohort_id: int) -> Any:
    item = sdk.get_or_404(Cohort, cohort_id)
    _posted()
    try:
        enrolment = service.enrol(item, sdk.current_user)
    except TrainingError as exc:
        flash(exc.message, "error")
    else:
        if enrolment.status == service.WAITING:
            flash(sdk._("The cohort is full: you are on the waiting list."), "info")
        else:
            flash(sdk._("You are enrolled."), "success")
    return redirect(url_for(".cohort", cohort_id=item.id))


@sdk.require_permission(VIEW)
def cohort_add_learner(cohort_id: int) -> Any:
    item = sdk.get_or_404(Cohort, cohort_id)
    service.require_teach(item.course)
    form = EmailForm()
    member = _member_by_email(form.email.data) if form.validate_on_submit() else None
    if member is None:
        flash(sdk._("No member of this workspace has that email."), "error")
    else:
        try:
            enrolment = service.enrol(item, member, by_trainer=True)
        except TrainingError as exc:
            flash(exc.message, "error")
        else:
            flash(
                sdk._(
                    "%(name)s is enrolled (%(status)s).",
                    name=member.display_name,
                    status=status_label(enrolment.status),
                ),
                "success",
            )
    return redirect(url_for(".cohort", cohort_id=item.id))


@sdk.require_permission(VIEW)
def enrolment_withdraw(enrolment_id: int) -> Any:
    item = sdk.get_or_404(Enrolment, enrolment_id)
    if item.user_id != sdk.current_user.id:
        service.require_teach(item.cohort.course)
    _posted()
    promoted = service.withdraw(item)
    flash(sdk._("Withdrawn from the cohort."), "info")
    for enrolment in promoted:
        flash(sdk._("%(name)s got the freed seat.", name=enrolment.user.display_name), "info")
    return redirect(url_for(".cohort", cohort_id=item.cohort_id))


@sdk.require_permission(VIEW)
def session_new(cohort_id: int) -> Any:
    item = sdk.get_or_404(Cohort, cohort_id)
    service.require_teach(item.course)
    form = SessionForm()
    if form.validate_on_submit():
        from datetime import UTC

        session_item = ClassSession(
            cohort_id=item.id,
            title=form.title.data.strip(),
            starts_at=form.starts_at.data.replace(tzinfo=UTC),
        )
        sdk.db.session.add(session_item)
        sdk.db.session.commit()
        return redirect(url_for(".attendance", session_id=session_item.id))
    return _form_page(form, sdk._("New session"), url_for(".cohort", cohort_id=item.id))


@sdk.require_permission(VIEW)
def attendance(session_id: int) -> Any:
    item = sdk.get_or_404(ClassSession, session_id)
    service.require_teach(item.cohort.course)
    learners = [e for e in item.cohort.enrolments if e.status == service.ACTIVE]
    present = {a.enrolment_id for a in item.attendance if a.present}
    if request.method == "POST":
        _posted()
        ticked = {int(v) for v in request.form.getlist("present") if v.isdigit()}
        records = {a.enrolment_id: a for a in item.attendance}
        for enrolment in learners:
            record = records.get(enrolment.id)
            if record is None:
                record = Attendance(session_id=item.id, enrolment_id=enrolment.id)
                sdk.db.session.add(record)
            record.present = enrolment.id in ticked
        sdk.db.session.commit()
        service.request_evaluations(item.cohort_id, [e.id for e in learners])
        flash(sdk._("Attendance saved."), "success")
        return redirect(url_for(".cohort", cohort_id=item.cohort_id))
    return render_template(
        "training/attendance.html",
        session=item,
        learners=learners,
        present=present,
        action_form=ActionForm(),
    )


def _gradebook(cohort_item: Cohort) -> tuple[list[Assessment], list[dict[str, Any]]]:
    assessments = list(cohort_item.course.assessments)
    active = [e for e in cohort_item.enrolments if e.status == service.ACTIVE]
    results = service.outcomes_many(cohort_item, active)
    rows = [
        {
            "enrolment": enrolment,
            "scores": [s for _, s in results[enrolment.id][0].scores],
            "outcome": results[enrolment.id][1],
        }
        for enrolment in active
    ]
    return assessments, rows


@sdk.require_permission(VIEW)
def gradebook(cohort_id: int) -> Any:
    item = sdk.get_or_404(Cohort, cohort_id)
    service.require_teach(item.course)
    assessments, rows = _gradebook(item)
    return render_template(
        "training/gradebook.html", cohort=item, assessments=assessments, rows=rows
    )


@sdk.require_permission(VIEW)
def gradebook_csv(cohort_id: int) -> Any:
    item = sdk.get_or_404(Cohort, cohort_id)
    service.require_teach(item.course)
    assessments, rows = _gradebook(item)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            sdk._("Learner"),
            sdk._("Email"),
            *[a.title for a in assessments],
            sdk._("Lessons (%)"),
            sdk._("Attendance (%)"),
            sdk._("Final grade"),
            sdk._("Complete"),
        ]
    )
    for row in rows:
        result = row["outcome"]
        user = row["enrolment"].user
        writer.writerow(
            [
                _csv_safe(user.display_name),
                user.email,
                *["" if s is None else str(s) for s in row["scores"]],
                "" if result.lessons is None else str(result.lessons),
                "" if result.attendance is None else str(result.attendance),
                "" if result.grade is None else str(result.grade),
                sdk._("yes") if result.met else sdk._("no"),
            ]
        )
    filename = f"gradebook-{item.id}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas in user-written cells."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@sdk.require_permission(VIEW)
def cohort_mail(cohort_id: int) -> Any:
    item = sdk.get_or_404(Cohort, cohort_id)
    service.require_teach(item.course)
    form = MailForm()
    if form.validate_on_submit():
        from ent_plugins.training.jobs import mail_cohort

        sdk.enqueue(
            mail_cohort, item.id, form.subject.data.strip(), form.body.data, sdk.current_user.id
        )
        sdk.audit("training.cohort_mailed", subject=f"cohort:{item.id}")
        sdk.db.session.commit()
        flash(sdk._("The message is on its way to the cohort."), "success")
        return redirect(url_for(".cohort", cohort_id=item.id))
    return _form_page(form, sdk._("Mail the cohort"), url_for(".cohort", cohort_id=item.id))


@sdk.require_permission(VIEW)
def cohort_issue(cohort_id: int) -> Any:
    item = sdk.get_or_404(Cohort, cohort_id)
    service.require_teach(item.course)
    _posted()
    service.request_evaluations(
        item.id, [e.id for e in item.enrolments if e.status == service.ACTIVE]
    )
    flash(sdk._("Certificates are being issued to every learner who met the rule."), "success")
    return redirect(url_for(".cohort", cohort_id=item.id))


@sdk.require_permission(VIEW)
def cohort_revoke(cohort_id: int) -> Any:
    item = sdk.get_or_404(Cohort, cohort_id)
    service.require_teach(item.course)
    form = RevokeForm()
    ids = {int(v) for v in request.form.getlist("certificate") if v.isdigit()}
    if not form.validate_on_submit() or not ids:
        flash(sdk._("Choose certificates and give a reason."), "error")
        return redirect(url_for(".cohort", cohort_id=item.id))
    chosen = sdk.db.session.scalars(
        sdk.scoped(Certificate).where(Certificate.cohort_id == item.id, Certificate.id.in_(ids))
    ).all()
    count = sum(1 for c in chosen if certs.revoke(c, form.reason.data))
    flash(
        sdk.ngettext("%(num)d certificate revoked.", "%(num)d certificates revoked.", count),
        "success",
    )
    return redirect(url_for(".cohort", cohort_id=item.id))


# -- certificates ----------------------------------------------------------------------------
@sdk.require_permission(VIEW)
def certificate_list() -> Any:
    statement = sdk.scoped(Certificate).order_by(Certificate.issued_at.desc())
    if not service.can_manage():
        taught = select(CourseTrainer.course_id).where(CourseTrainer.user_id == sdk.current_user.id)
        statement = statement.where(
            (Certificate.user_id == sdk.current_user.id) | Certificate.course_id.in_(taught)
        )
    return render_template(
        "training/certificates.html",
        certificates=sdk.db.session.scalars(statement.limit(500)).all(),
    )


def _certificate(certificate_id: int) -> tuple[Certificate, bool]:
    item = sdk.get_or_404(Certificate, certificate_id)
    teach = service.can_teach(item.course)
    if item.user_id != sdk.current_user.id and not teach:
        sdk.abort(403)
    return item, teach


@sdk.require_permission(VIEW)
def certificate(certificate_id: int) -> Any:
    item, teach = _certificate(certificate_id)
    return render_template(
        "training/certificate.html",
        certificate=item,
        can_teach=teach,
        revoke_form=RevokeForm(),
        verify_url=certs.verify_url(item),
        credential_url=certs.credential_url(item),
    )


@sdk.require_permission(VIEW)
def certificate_revoke(certificate_id: int) -> Any:
    item, teach = _certificate(certificate_id)
    if not teach:
        sdk.abort(403)
    form = RevokeForm()
    if form.validate_on_submit():
        certs.revoke(item, form.reason.data)
        flash(sdk._("The certificate is revoked."), "success")
        return redirect(url_for(".certificate", certificate_id=item.id))
    return render_template(
        "training/certificate.html",
        certificate=item,
        can_teach=teach,
        revoke_form=form,
        verify_url=certs.verify_url(item),
        credential_url=certs.credential_url(item),
    ), 422


@sdk.require_permission(VIEW)
def certificate_pdf(certificate_id: int) -> Any:
    item, _ = _certificate(certificate_id)
    return Response(
        certs.certificate_pdf(item),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="certificate-{item.number}.pdf"'},
    )


# -- the learner's own setting ---------------------------------------------------------------
@sdk.require_permission(VIEW)
def badges() -> Any:
    pref = sdk.db.session.scalar(
        select(LearnerPreference).where(LearnerPreference.user_id == sdk.current_user.id)
    )
    # An unticked box sends nothing: never fall back on the saved value when posting.
    form = BadgeSettingsForm(obj=pref) if request.method == "GET" else BadgeSettingsForm()
    if form.validate_on_submit():
        if pref is None:
            pref = LearnerPreference(user_id=sdk.current_user.id)
            sdk.db.session.add(pref)
        pref.show_badges = form.show_badges.data
        sdk.db.session.commit()
        flash(sdk._("Your choice is saved."), "success")
        return redirect(url_for(".badges"))
    return _form_page(form, sdk._("Certificates beside my name"), url_for(".index"))


def status_label(status: str) -> str:
    labels = {
        "enrolled": sdk._("enrolled"),
        "waiting": sdk._("waiting list"),
        "withdrawn": sdk._("withdrawn"),
        "valid": sdk._("valid"),
        "expired": sdk._("expired"),
        "revoked": sdk._("revoked"),
    }
    return labels.get(status, status)
