"""Web forms of the training plugin; invalid input re-renders the form with its errors (422)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ent_core import sdk

PERCENT = [NumberRange(min=0, max=100)]


class ActionForm(sdk.FlaskForm):
    """An empty form: buttons that change something are POSTs carrying the CSRF token."""


class ProgrammeForm(sdk.FlaskForm):
    title = StringField(sdk._l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        sdk._l("Description"), validators=[Length(max=20_000)], description=sdk._l("Markdown.")
    )
    submit = SubmitField(sdk._l("Save the programme"))


class CourseForm(sdk.FlaskForm):
    title = StringField(sdk._l("Title"), validators=[DataRequired(), Length(max=200)])
    programme_id = SelectField(sdk._l("Programme"), coerce=int, default=0)
    summary = TextAreaField(
        sdk._l("Summary"),
        validators=[Length(max=20_000)],
        description=sdk._l("Markdown. Shown on the certificate as the achievement's description."),
    )
    criteria = TextAreaField(
        sdk._l("Criteria for the certificate"),
        validators=[Length(max=5_000)],
        description=sdk._l("What a learner must do to earn it."),
    )
    pass_mark = DecimalField(
        sdk._l("Pass mark (%)"),
        default=Decimal("50"),
        places=2,
        validators=[DataRequired(), *PERCENT],
    )
    lessons_share = DecimalField(
        sdk._l("Lessons to complete (%)"),
        default=Decimal("100"),
        places=2,
        validators=[Optional(), *PERCENT],
    )
    attendance_share = DecimalField(
        sdk._l("Attendance required (%)"),
        default=Decimal("0"),
        places=2,
        validators=[Optional(), *PERCENT],
        description=sdk._l("Counted over the sessions where the trainer took attendance."),
    )
    validity_months = IntegerField(
        sdk._l("Certificate valid for (months)"),
        validators=[Optional(), NumberRange(min=1, max=600)],
        description=sdk._l("Leave empty: no expiry."),
    )
    submit = SubmitField(sdk._l("Save the course"))


class ModuleForm(sdk.FlaskForm):
    title = StringField(sdk._l("Title"), validators=[DataRequired(), Length(max=200)])
    position = IntegerField(sdk._l("Position"), default=0, validators=[Optional()])
    submit = SubmitField(sdk._l("Add the module"))


def _https_only(form: Any, field: Any) -> None:
    if field.data and not field.data.startswith("https://"):
        raise ValidationError(sdk._("Use an https:// link."))


class LessonForm(sdk.FlaskForm):
    title = StringField(sdk._l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(
        sdk._l("Content"),
        validators=[Length(max=100_000)],
        description=sdk._l("Markdown: **bold**, *italic*, [links](https://…), lists."),
    )
    video_url = StringField(
        sdk._l("Video link"), validators=[Optional(), URL(), _https_only, Length(max=500)]
    )
    attachment = FileField(sdk._l("Attachment (PDF or image)"))
    position = IntegerField(sdk._l("Position"), default=0, validators=[Optional()])
    submit = SubmitField(sdk._l("Save the lesson"))


def choices(pairs: list[tuple[Any, Any]]) -> list[SelectChoice]:
    """WTForms 3.3 wants ``SelectChoice`` objects rather than tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


MODES = choices([("online", sdk._l("Online")), ("in_person", sdk._l("In person"))])


class CohortForm(sdk.FlaskForm):
    name = StringField(sdk._l("Name"), validators=[DataRequired(), Length(max=200)])
    starts_on = DateField(sdk._l("Starts on"), validators=[DataRequired()])
    ends_on = DateField(sdk._l("Ends on"), validators=[DataRequired()])
    capacity = IntegerField(
        sdk._l("Seats"), default=20, validators=[DataRequired(), NumberRange(min=1, max=10_000)]
    )
    mode = SelectField(sdk._l("Format"), choices=MODES, default="online")
    location = StringField(sdk._l("Place (in person)"), validators=[Length(max=200)])
    submit = SubmitField(sdk._l("Create the cohort"))

    def validate_ends_on(self, field: Any) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(sdk._("The end comes before the start."))


class EmailForm(sdk.FlaskForm):
    email = EmailField(
        sdk._l("Email of a workspace member"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    submit = SubmitField(sdk._l("Add"))


class PrerequisiteForm(sdk.FlaskForm):
    required_id = SelectField(sdk._l("Required course"), coerce=int)
    submit = SubmitField(sdk._l("Add the prerequisite"))


KINDS = choices([("quiz", sdk._l("Quiz")), ("assignment", sdk._l("Assignment"))])
SUBMISSION_KINDS = choices([("text", sdk._l("Text")), ("file", sdk._l("File"))])


class AssessmentForm(sdk.FlaskForm):
    kind = SelectField(sdk._l("Kind"), choices=KINDS, default="quiz")
    title = StringField(sdk._l("Title"), validators=[DataRequired(), Length(max=200)])
    instructions = TextAreaField(sdk._l("Instructions"), validators=[Length(max=20_000)])
    weight = DecimalField(
        sdk._l("Weight in the final grade"),
        default=Decimal("1"),
        places=2,
        validators=[DataRequired(), NumberRange(min=0, max=1000)],
    )
    max_attempts = IntegerField(
        sdk._l("Attempts allowed (quiz)"),
        default=1,
        validators=[Optional(), NumberRange(min=1, max=100)],
    )
    time_limit_minutes = IntegerField(
        sdk._l("Time limit in minutes (quiz)"),
        validators=[Optional(), NumberRange(min=1, max=600)],
        description=sdk._l("Leave empty: no time limit."),
    )
    questions_per_attempt = IntegerField(
        sdk._l("Questions per attempt (quiz)"),
        validators=[Optional(), NumberRange(min=0, max=1000)],
        description=sdk._l(
            "Each attempt draws this many of the quiz's questions at random. "
            "Leave empty or 0: every question."
        ),
    )
    submission_kind = SelectField(
        sdk._l("Hand in (assignment)"), choices=SUBMISSION_KINDS, default="text"
    )
    submit = SubmitField(sdk._l("Save the assessment"))

    def check_questions_per_attempt(self, available: int) -> bool:
        """A quiz cannot draw more questions than it has; False with the field's error."""
        wanted = self.questions_per_attempt.data or 0
        if wanted > available:
            self.questions_per_attempt.errors = [
                sdk.ngettext(
                    "This quiz has %(num)d question: draw at most that many.",
                    "This quiz has %(num)d questions: draw at most that many.",
                    available,
                )
            ]
            return False
        return True


class QuestionForm(sdk.FlaskForm):
    text = TextAreaField(sdk._l("Question"), validators=[DataRequired(), Length(max=2_000)])
    multiple = BooleanField(sdk._l("Several answers may be right"))
    choices = TextAreaField(
        sdk._l("Choices"),
        validators=[DataRequired(), Length(max=5_000)],
        description=sdk._l("One per line; start the right ones with a star (*)."),
    )
    submit = SubmitField(sdk._l("Add the question"))

    def fill_from(self, question: Any) -> None:
        """Show a saved question: the right choices carry their star again."""
        self.text.data = question.text
        self.multiple.data = question.multiple
        self.choices.data = "\n".join(
            ("*" if choice.correct else "") + choice.text for choice in question.choices
        )

    def parsed(self) -> list[tuple[str, bool]]:
        lines = [line.strip() for line in (self.choices.data or "").splitlines() if line.strip()]
        return [(line.lstrip("*").strip(), line.startswith("*")) for line in lines]

    def validate_choices(self, field: Any) -> None:
        parsed = self.parsed()
        right = sum(1 for _, correct in parsed if correct)
        if len(parsed) < 2:
            raise ValidationError(sdk._("Give at least two choices."))
        if right == 0:
            raise ValidationError(sdk._("Mark at least one right choice with a star."))
        if right > 1 and not self.multiple.data:
            raise ValidationError(
                sdk._('Only one choice may be right; tick "several answers" otherwise.')
            )
        if any(len(text) > 500 or not text for text, _ in parsed):
            raise ValidationError(sdk._("Each choice needs 1 to 500 characters."))


class SubmissionForm(sdk.FlaskForm):
    text = TextAreaField(sdk._l("Your answer"), validators=[Length(max=100_000)])
    file = FileField(sdk._l("Your file (PDF or image)"))
    submit = SubmitField(sdk._l("Hand in"))


class GradeForm(sdk.FlaskForm):
    grade = DecimalField(sdk._l("Grade (%)"), places=2, validators=[DataRequired(), *PERCENT])
    feedback = TextAreaField(sdk._l("Feedback"), validators=[Length(max=20_000)])
    submit = SubmitField(sdk._l("Save the grade"))


class SessionForm(sdk.FlaskForm):
    title = StringField(sdk._l("Title"), validators=[DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(
        sdk._l("Date and time (UTC)"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    submit = SubmitField(sdk._l("Add the session"))


class MailForm(sdk.FlaskForm):
    subject = StringField(sdk._l("Subject"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(sdk._l("Message"), validators=[DataRequired(), Length(max=20_000)])
    submit = SubmitField(sdk._l("Send to the cohort"))


class RevokeForm(sdk.FlaskForm):
    reason = TextAreaField(
        sdk._l("Reason (shown on the public verification page)"),
        validators=[DataRequired(), Length(max=1_000)],
    )
    submit = SubmitField(sdk._l("Revoke"))


class BadgeSettingsForm(sdk.FlaskForm):
    show_badges = BooleanField(
        sdk._l("Show my valid certificates beside my name on public pages (bylines, profile)")
    )
    submit = SubmitField(sdk._l("Save"))
