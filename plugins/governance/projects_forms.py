"""Web forms of development plans and projects; the services (``plans.py``, ``projects.py``)
check what the forms cannot and refuse with a ``UserError`` shown under the field."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ent_core import sdk

_l = sdk._l
MONEY_HINT = _l("In dirhams, e.g. 12500.00.")


class ActionForm(sdk.FlaskForm):
    """An empty form: buttons that change something are POSTs carrying the CSRF token."""


def _money(label: Any) -> DecimalField:
    return DecimalField(
        label,
        places=2,
        default=None,
        validators=[Optional(), NumberRange(min=0)],
        description=MONEY_HINT,
    )


class PlanForm(sdk.FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(
        _l("Summary"), validators=[Length(max=20_000)], description=_l("Markdown.")
    )
    starts_year = IntegerField(_l("First year"), validators=[DataRequired()])
    ends_year = IntegerField(_l("Last year"), validators=[DataRequired()])
    published = BooleanField(_l("Published: members and the public see it"))
    submit = SubmitField(_l("Save the plan"))


class GoalForm(sdk.FlaskForm):
    title = StringField(_l("Goal"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5_000)])
    submit = SubmitField(_l("Save the goal"))


class ProjectForm(sdk.FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(
        _l("Summary"), validators=[Length(max=20_000)], description=_l("Markdown.")
    )
    location = StringField(
        _l("Location"),
        validators=[Length(max=200)],
        description=_l("A commune, a douar, a region."),
    )
    status = SelectField(_l("Status"))
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    goal_id = SelectField(_l("Plan and goal"), default="")
    published = BooleanField(_l("Published: members and the public see it"))
    submit = SubmitField(_l("Save the project"))


class BudgetLineForm(sdk.FlaskForm):
    label = StringField(_l("Budget line"), validators=[DataRequired(), Length(max=200)])
    planned = _money(_l("Planned"))
    committed = _money(_l("Committed"))
    spent = _money(_l("Spent"))
    submit = SubmitField(_l("Save the budget line"))


class FunderForm(sdk.FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"))
    submit = SubmitField(_l("Save the funder"))


class ContributionForm(sdk.FlaskForm):
    funder_id = SelectField(_l("Funder"), coerce=int)
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(min=1990, max=2100)])
    pledged = _money(_l("Pledged"))
    received = _money(_l("Received"))
    received_on = DateField(_l("Received on"), validators=[Optional()])
    submit = SubmitField(_l("Save the contribution"))


class MilestoneForm(sdk.FlaskForm):
    title = StringField(_l("Milestone"), validators=[DataRequired(), Length(max=200)])
    due_on = DateField(_l("Due on"), validators=[Optional()])
    done_on = DateField(_l("Reached on"), validators=[Optional()])
    submit = SubmitField(_l("Save the milestone"))


class IndicatorForm(sdk.FlaskForm):
    name = StringField(_l("Indicator"), validators=[DataRequired(), Length(max=200)])
    unit = StringField(
        _l("Unit"), validators=[Length(max=40)], description=_l("e.g. households, ha, m³.")
    )
    baseline = DecimalField(_l("Baseline"), places=4, validators=[Optional()])
    target = DecimalField(_l("Target"), places=4, validators=[InputRequired()])
    submit = SubmitField(_l("Save the indicator"))


class MeasurementForm(sdk.FlaskForm):
    measured_on = DateField(_l("Measured on"), validators=[DataRequired()])
    value = DecimalField(_l("Value"), places=4, validators=[InputRequired()])
    submit = SubmitField(_l("Add the measurement"))


class UpdateForm(sdk.FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Text"), validators=[Length(max=20_000)], description=_l("Markdown."))
    photos = MultipleFileField(_l("Photos"), description=_l("PNG, JPEG or WebP, 8 MB each."))
    photos_alt = TextAreaField(
        _l("What the photos show"),
        validators=[Length(max=1_000)],
        description=_l("For readers who cannot see them; needed with photos."),
    )
    submit = SubmitField(_l("Save the update"))
