"""Forms of the votes' pages (preparing a vote, its choices, the chair's counts, receipts)."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ent_core import sdk

_l = sdk._l


class ActionForm(sdk.FlaskForm):
    """An empty form: the buttons that change a vote are POSTs carrying the CSRF token."""


class VoteForm(sdk.FlaskForm):
    title = StringField(
        _l("Question put to the vote"), validators=[DataRequired(), Length(max=300)]
    )
    description = TextAreaField(_l("Explanation"), validators=[Optional(), Length(max=20_000)])
    kind = SelectField(_l("Kind"), choices=[])
    secret = BooleanField(_l("Secret ballot"))
    majority = SelectField(_l("Majority required"), choices=[])
    abstentions_count = BooleanField(
        _l("Abstentions count among the votes cast (as the statutes say)")
    )
    max_choices = IntegerField(
        _l("Choices a voter may tick (multiple choice, seats of an election)"),
        default=1,
        validators=[NumberRange(min=1, max=100)],
    )
    agenda_item_id = SelectField(_l("Agenda item of a meeting"), choices=[], coerce=int)
    cutoff_on = DateField(
        _l("Cut-off date of the roll (a consultation outside a meeting)"),
        validators=[Optional()],
    )
    office_id = SelectField(_l("Office an election fills"), choices=[], coerce=int)
    opens_at = DateTimeLocalField(_l("Opens at"), validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes at"), validators=[Optional()])
    manual = BooleanField(_l("Show of hands in the room (the chair enters the counts)"))
    options = TextAreaField(
        _l("Choices, one a line (single or multiple choice)"),
        validators=[Optional(), Length(max=20_000)],
    )
    submit = SubmitField(_l("Prepare the vote"))


class VoteEditForm(sdk.FlaskForm):
    title = StringField(
        _l("Question put to the vote"), validators=[DataRequired(), Length(max=300)]
    )
    description = TextAreaField(_l("Explanation"), validators=[Optional(), Length(max=20_000)])
    secret = BooleanField(_l("Secret ballot"))
    majority = SelectField(_l("Majority required"), choices=[])
    abstentions_count = BooleanField(
        _l("Abstentions count among the votes cast (as the statutes say)")
    )
    max_choices = IntegerField(
        _l("Choices a voter may tick (multiple choice, seats of an election)"),
        default=1,
        validators=[NumberRange(min=1, max=100)],
    )
    opens_at = DateTimeLocalField(_l("Opens at"), validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes at"), validators=[Optional()])
    submit = SubmitField(_l("Save the vote"))


class OptionForm(sdk.FlaskForm):
    label = StringField(_l("Choice"), validators=[Optional(), Length(max=300)])
    candidate_id = SelectField(_l("Candidate"), choices=[], coerce=int)
    submit = SubmitField(_l("Add"))


class ReceiptForm(sdk.FlaskForm):
    receipt = StringField(_l("Your receipt"), validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("Check my receipt"))


class MandatesForm(sdk.FlaskForm):
    starts_on = DateField(_l("Mandates start on"), validators=[DataRequired()])
    submit = SubmitField(_l("Start the mandates of the elected"))
