"""Assessments (quizzes and assignments) and the questions of a quiz, as trainers set them."""

from __future__ import annotations

from typing import Any

from ent_plugins.training import service
from ent_plugins.training.forms import ActionForm, AssessmentForm, QuestionForm, SubmissionForm
from ent_plugins.training.models import (
    Assessment,
    Choice,
    Course,
    Question,
    QuizAttempt,
    Submission,
)
from ent_plugins.training.permissions import MANAGE_COURSE, READ_COURSE, course_of
from ent_plugins.training.views.base import form_page, posted
from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ent_core import sdk


@sdk.require_object_permission(MANAGE_COURSE, Course, "course_id")
def assessment_new(course: Course) -> Any:
    form = AssessmentForm()
    del form.questions_per_attempt  # set once the quiz has questions (Edit the assessment)
    if form.validate_on_submit():
        item = Assessment(
            course_id=course.id,
            kind=form.kind.data,
            title=form.title.data.strip(),
            instructions=form.instructions.data or "",
            weight=form.weight.data,
            max_attempts=form.max_attempts.data or 1,
            time_limit_minutes=form.time_limit_minutes.data or None,
            submission_kind=form.submission_kind.data,
        )
        sdk.db.session.add(item)
        sdk.db.session.commit()
        flash(sdk._("Assessment added."), "success")
        return redirect(url_for(".assessment", assessment_id=item.id))
    return form_page(form, sdk._("New assessment"), url_for(".course", course_id=course.id))


@sdk.require_object_permission(MANAGE_COURSE, Assessment, "assessment_id", via=course_of)
def assessment_edit(assessment: Assessment) -> Any:
    form = AssessmentForm(obj=assessment)
    del form.kind  # fixed once created: questions or submissions already hang on it
    if assessment.kind != "quiz":
        del form.questions_per_attempt
    if form.validate_on_submit() and (
        assessment.kind != "quiz" or form.check_questions_per_attempt(len(assessment.questions))
    ):
        if assessment.kind == "quiz":
            assessment.questions_per_attempt = form.questions_per_attempt.data or None
        assessment.title = form.title.data.strip()
        assessment.instructions = form.instructions.data or ""
        assessment.weight = form.weight.data
        assessment.max_attempts = form.max_attempts.data or 1
        assessment.time_limit_minutes = form.time_limit_minutes.data or None
        assessment.submission_kind = form.submission_kind.data
        sdk.db.session.commit()
        flash(sdk._("The assessment is saved."), "success")
        return redirect(url_for(".assessment", assessment_id=assessment.id))
    return form_page(
        form, sdk._("Edit the assessment"), url_for(".assessment", assessment_id=assessment.id)
    )


@sdk.require_object_permission(READ_COURSE, Assessment, "assessment_id", via=course_of)
def assessment(assessment: Assessment) -> Any:
    enrolment = service.active_enrolment(assessment.course, sdk.current_user)
    attempts, submission, submissions = [], None, []
    if enrolment is not None:
        attempts = sdk.db.session.scalars(
            sdk.scoped(QuizAttempt)
            .where(
                QuizAttempt.assessment_id == assessment.id, QuizAttempt.user_id == enrolment.user_id
            )
            .order_by(QuizAttempt.number)
        ).all()
        submission = sdk.db.session.scalar(
            sdk.scoped(Submission).where(
                Submission.assessment_id == assessment.id, Submission.enrolment_id == enrolment.id
            )
        )
    if assessment.kind == "assignment" and sdk.can(MANAGE_COURSE, assessment.course):
        submissions = sdk.db.session.scalars(
            sdk.scoped(Submission)
            .where(Submission.assessment_id == assessment.id)
            .order_by(Submission.submitted_at)
        ).all()
    return render_template(
        "training/assessment.html",
        assessment=assessment,
        enrolment=enrolment,
        attempts=attempts,
        submission=submission,
        submissions=submissions,
        question_form=QuestionForm(),
        submission_form=SubmissionForm(),
        action_form=ActionForm(),
    )


@sdk.require_object_permission(MANAGE_COURSE, Assessment, "assessment_id", via=course_of)
def question_new(assessment: Assessment) -> Any:
    form = QuestionForm()
    if form.validate_on_submit():
        question = Question(
            assessment_id=assessment.id,
            text=form.text.data.strip(),
            multiple=form.multiple.data,
            position=len(assessment.questions),
        )
        sdk.db.session.add(question)
        sdk.db.session.flush()
        for text, correct in form.parsed():
            sdk.db.session.add(Choice(question_id=question.id, text=text, correct=correct))
        sdk.db.session.commit()
        flash(sdk._("Question added."), "success")
        return redirect(url_for(".assessment", assessment_id=assessment.id))
    return form_page(
        form, sdk._("New question"), url_for(".assessment", assessment_id=assessment.id)
    )


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


@sdk.require_object_permission(MANAGE_COURSE, Question, "question_id", via=course_of)
def question_edit(question: Question) -> Any:
    form = QuestionForm()
    form.submit.label.text = sdk._("Save the question")
    if request.method == "GET":
        form.fill_from(question)
    taken = _quiz_taken(question.assessment_id)
    if form.validate_on_submit():
        question.text = form.text.data.strip()
        question.multiple = form.multiple.data
        _apply_choices(question, form.parsed())
        sdk.audit(
            "training.question_edited",
            subject=f"question:{question.id}",
            details={"assessment": question.assessment_id, "attempts_existed": taken},
        )
        sdk.db.session.commit()
        flash(sdk._("The question is saved."), "success")
        return redirect(url_for(".assessment", assessment_id=question.assessment_id))
    note = (
        sdk._(
            "Learners have taken this quiz. Submitted attempts keep their score; an attempt "
            "still in progress is graded on the question as you save it."
        )
        if taken
        else None
    )
    return form_page(
        form,
        sdk._("Edit the question"),
        url_for(".assessment", assessment_id=question.assessment_id),
        note=note,
    )


@sdk.require_object_permission(MANAGE_COURSE, Question, "question_id", via=course_of)
def question_delete(question: Question) -> Any:
    assessment_id = question.assessment_id
    posted()
    drawn = question.assessment.questions_per_attempt or 0
    if _quiz_taken(assessment_id):
        # Attempts were drawn from these questions: deleting one would rewrite history.
        flash(sdk._("Learners have taken this quiz: its questions can no longer change."), "error")
    elif drawn > len(question.assessment.questions) - 1:
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
        sdk.db.session.delete(question)
        sdk.db.session.commit()
        flash(sdk._("The question is deleted."), "info")
    return redirect(url_for(".assessment", assessment_id=assessment_id))
