"""Forms of the bodies, mandates and meetings pages (times typed on the workspace's clock)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ent_plugins.governance.forms import choices
from ent_plugins.governance.mandates import BODY_KINDS, ROLE_LABELS
from ent_plugins.governance.meetings import KINDS, PRESENCE, RSVP
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ent_core import sdk

_l = sdk._l
LOCAL = "%Y-%m-%dT%H:%M"


def _https_only(form: Any, field: Any) -> None:
    if field.data and not field.data.startswith("https://"):
        raise ValidationError(sdk._("Use an https:// link."))


class ActionForm(sdk.FlaskForm):
    """A button's POST: the CSRF token and nothing else."""


class BodyForm(sdk.FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices(BODY_KINDS.items()))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    term_years = IntegerField(
        _l("Term (years)"),
        validators=[Optional(), NumberRange(min=1, max=20)],
        description=_l("How long a mandate on this body lasts, as the statutes say."),
    )
    submit = SubmitField(_l("Save the body"))


class OfficeForm(sdk.FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(
        _l("Role of the holder"),
        choices=choices([("", _l("None")), *ROLE_LABELS.items()]),
        default="",
        description=_l("The permissions the holder needs; granted on the Members page."),
    )
    seats = IntegerField(
        _l("Seats"), default=1, validators=[DataRequired(), NumberRange(min=1, max=500)]
    )
    position = IntegerField(_l("Position"), default=0, validators=[Optional()])
    submit = SubmitField(_l("Save the office"))


class MandateForm(sdk.FlaskForm):
    office_id = SelectField(_l("Office"), coerce=int)
    member_id = SelectField(_l("Member"), coerce=int)
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()])
    ends_on = DateField(
        _l("Ends on"),
        validators=[Optional()],
        description=_l("Leave empty for the body's term (or an open mandate without a term)."),
    )
    vote_id = SelectField(_l("Election"), coerce=int, default=0)
    submit = SubmitField(_l("Appoint"))


class EndMandateForm(sdk.FlaskForm):
    ends_on = DateField(_l("Last day of the mandate"), validators=[DataRequired()])
    submit = SubmitField(_l("End the mandate"))


class RenewForm(sdk.FlaskForm):
    starts_on = DateField(
        _l("New mandate starts on"),
        validators=[Optional()],
        description=_l("Leave empty for the day after the current mandate ends."),
    )
    ends_on = DateField(_l("Ends on"), validators=[Optional()])
    vote_id = SelectField(_l("Election"), coerce=int, default=0)
    submit = SubmitField(_l("Renew the mandate"))


class MeetingForm(sdk.FlaskForm):
    body_id = SelectField(_l("Body"), coerce=int)
    kind = SelectField(_l("Kind"), choices=choices(KINDS.items()))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts at"), format=LOCAL, validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends at"), format=LOCAL, validators=[Optional()])
    location = StringField(_l("Place"), validators=[Length(max=300)])
    online_url = StringField(
        _l("Online meeting link"), validators=[Optional(), URL(), _https_only, Length(max=500)]
    )
    notice_days = IntegerField(
        _l("Days of notice"),
        # InputRequired, not DataRequired: 0 (no notice, a board meeting) is a valid answer.
        validators=[InputRequired(), NumberRange(min=0, max=365)],
        description=_l("The convocation must leave at least this many days."),
    )
    quorum = DecimalField(
        _l("Quorum (share of the roll)"),
        places=4,
        default=Decimal("0.5"),
        validators=[InputRequired(), NumberRange(min=0, max=1)],
        description=_l("0.5 is half of the members on the electoral roll; 0: no quorum."),
    )
    second_quorum = DecimalField(
        _l("Quorum of a second convocation"),
        places=4,
        default=Decimal("0"),
        validators=[Optional(), NumberRange(min=0, max=1)],
    )
    max_proxies = IntegerField(
        _l("Proxies a member may hold"),
        default=1,
        validators=[Optional(), NumberRange(min=0, max=20)],
    )
    submit = SubmitField(_l("Save the meeting"))


class AgendaItemForm(sdk.FlaskForm):
    title = StringField(_l("Item"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Details"), validators=[Length(max=20_000)])
    submit = SubmitField(_l("Add to the agenda"))


class DocumentForm(sdk.FlaskForm):
    title = StringField(_l("Title"), validators=[Length(max=200)])
    document = FileField(_l("Document (PDF)"), validators=[DataRequired()])
    submit = SubmitField(_l("Attach"))


class ConveneForm(sdk.FlaskForm):
    cutoff_on = DateField(
        _l("Electoral roll cut-off date"),
        validators=[Optional()],
        description=_l("Members up to date with their dues on this date vote. Default: today."),
    )
    submit = SubmitField(_l("Convene and mail the members"))


class CancelForm(sdk.FlaskForm):
    reason = TextAreaField(_l("Reason (sent to the members)"), validators=[Length(max=2_000)])
    submit = SubmitField(_l("Cancel the meeting"))


class SecondConvocationForm(sdk.FlaskForm):
    starts_at = DateTimeLocalField(_l("Starts at"), format=LOCAL, validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends at"), format=LOCAL, validators=[Optional()])
    submit = SubmitField(_l("Prepare the second convocation"))


class RsvpForm(sdk.FlaskForm):
    rsvp = RadioField(_l("Will you attend?"), choices=choices(RSVP.items()))
    submit = SubmitField(_l("Answer"))


class PresenceForm(sdk.FlaskForm):
    member_id = IntegerField(validators=[DataRequired()])
    presence = SelectField(
        _l("Presence"), choices=choices([("", _l("Absent")), *PRESENCE.items()]), default=""
    )


class ProxyForm(sdk.FlaskForm):
    principal_id = SelectField(_l("Member giving the proxy"), coerce=int)
    holder_id = SelectField(_l("Member holding it"), coerce=int)
    submit = SubmitField(_l("Record the proxy"))


class GiveProxyForm(sdk.FlaskForm):
    holder_id = SelectField(_l("Give my proxy to"), coerce=int)
    submit = SubmitField(_l("Give my proxy"))


class HoldersForm(sdk.FlaskForm):
    """The date picker of "who holds which office"; a GET form without a token."""

    class Meta:
        csrf = False

    on = DateField(_l("On"), validators=[Optional()])
