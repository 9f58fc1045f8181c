"""What learners hand in: quiz attempts and assignment submissions, and their grading."""

from __future__ import annotations

from typing import Any

from ent_plugins.training import quiz, service
from ent_plugins.training.forms import ActionForm, GradeForm, SubmissionForm
from ent_plugins.training.models import Assessment, Submission
from ent_plugins.training.permissions import MANAGE_COURSE, READ_SUBMISSION, course_of
from ent_plugins.training.views.base import VIEW, form_page, has_file, posted, store
from flask import flash, redirect, render_template, request, url_for

from ent_core import sdk


@sdk.require_permission(VIEW)
def attempt_start(assessment_id: int) -> Any:
    item = sdk.get_or_404(Assessment, assessment_id)
    posted()
    with sdk.user_errors():
        attempt = quiz.start_attempt(item, service.require_enrolment(item.course))
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    return redirect(url_for(".assessment", assessment_id=item.id))


@sdk.require_permission(VIEW)
def attempt(attempt_id: int) -> Any:
    item = quiz.own_attempt(attempt_id)
    if request.method == "POST":
        posted()
        answers = {
            key.removeprefix("q-"): request.form.getlist(key)
            for key in request.form
            if key.startswith("q-")
        }
        with sdk.user_errors():
            quiz.submit_attempt(item, answers)
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
    with sdk.user_errors():
        return _hand_in(item, service.require_enrolment(item.course))
    return redirect(url_for(".assessment", assessment_id=item.id))


def _hand_in(item: Assessment, enrolment: Any) -> Any:
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
            if not has_file(form.file):
                form.file.errors = [sdk._("Choose a file.")]
            else:
                try:
                    stored = store(form.file.data)
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
    return form_page(
        form, item.title, url_for(".assessment", assessment_id=item.id), multipart=True
    )


@sdk.require_object_permission(READ_SUBMISSION, Submission, "submission_id")
def submission_file(submission: Submission) -> Any:
    if not submission.file_key:
        sdk.abort(404)
    return sdk.send_upload(
        submission.file_key, download_name=submission.file_name, as_attachment=True
    )


@sdk.require_object_permission(MANAGE_COURSE, Submission, "submission_id", via=course_of)
def grade(submission: Submission) -> Any:
    form = GradeForm(obj=submission)
    if form.validate_on_submit():
        submission.grade = form.grade.data
        submission.feedback = form.feedback.data or ""
        submission.graded_at = sdk.utcnow()
        submission.graded_by_id = sdk.current_user.id
        sdk.audit(
            "training.graded",
            subject=f"submission:{submission.id}",
            details={"grade": str(submission.grade)},
        )
        sdk.db.session.commit()
        service.schedule_evaluation(submission.enrolment)
        flash(sdk._("Grade saved."), "success")
        return redirect(url_for(".assessment", assessment_id=submission.assessment_id))
    status = 422 if form.errors else 200
    return render_template("training/grade.html", submission=submission, form=form), status
