"""Forms of the campaigns' pages, their creatives and the moderators' decisions."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ent_core import sdk

_l = sdk._l
#: Every hour of the week, "weekday:hour" (0 is Monday), the values of the dayparting grid.
WEEK_HOURS = [f"{day}:{hour}" for day in range(7) for hour in range(24)]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (rendered as a fieldset by the form macros)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActionForm(sdk.FlaskForm):
    """An empty form: buttons that change a campaign are POSTs carrying the CSRF token."""


class CampaignForm(sdk.FlaskForm):
    name = StringField(_l("Name of the campaign"), validators=[DataRequired(), Length(max=200)])
    landing_url = StringField(
        _l("Landing page"),
        validators=[DataRequired(), Length(max=1000)],
        description=_l("Where a click leads: an address starting with http:// or https://."),
    )
    category = SelectField(
        _l("What you advertise"),
        choices=[],
        description=_l("Publishers may refuse some categories on their pages."),
    )
    priority = SelectField(_l("Priority"), choices=[])
    weight = IntegerField(
        _l("Weight"),
        default=10,
        validators=[NumberRange(min=1, max=100)],
        description=_l("Share among your campaigns of the same priority, 1 to 100."),
    )
    starts_at = DateTimeLocalField(_l("Starts"), validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), validators=[DataRequired()])
    pricing = SelectField(_l("Pricing"), choices=[])
    budget = DecimalField(
        _l("Total budget, excluding VAT (MAD)"),
        places=2,
        validators=[Optional(), NumberRange(min=0)],
        description=_l("For a flat fee, the fee is the budget: leave it empty."),
    )
    daily_budget = DecimalField(
        _l("Daily budget (MAD, optional)"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    max_impressions = IntegerField(_l("At most, impressions in all"), validators=[Optional()])
    max_daily_impressions = IntegerField(_l("At most, impressions a day"), validators=[Optional()])
    max_clicks = IntegerField(_l("At most, clicks in all"), validators=[Optional()])
    max_daily_clicks = IntegerField(_l("At most, clicks a day"), validators=[Optional()])
    frequency_cap = IntegerField(
        _l("At most, times one reader sees it"),
        validators=[Optional()],
        description=_l("Counted without cookies, by a rotating anonymous key; empty: no cap."),
    )
    frequency_hours = IntegerField(
        _l("Per this many hours"), default=24, validators=[Optional(), NumberRange(min=1)]
    )
    dayparts = SelectMultipleField(
        _l("Hours of the week it runs"), choices=[SelectChoice(v, v) for v in WEEK_HOURS]
    )
    pacing = SelectField(_l("Pacing"), choices=[])
    target_sectors = MultiCheckboxField(_l("Sectors"), choices=[])
    target_tags = StringField(
        _l("Tags"),
        validators=[Length(max=500)],
        description=_l("Pages tagged with one of these words; separate them with commas."),
    )
    target_languages = MultiCheckboxField(_l("Languages"), choices=[])
    target_workspaces = MultiCheckboxField(_l("Publications"), choices=[])
    target_placements = MultiCheckboxField(_l("Places on the page"), choices=[])
    submit = SubmitField(_l("Save the campaign"))


class CreativeForm(sdk.FlaskForm):
    name = StringField(_l("Name (for your reports)"), validators=[Length(max=200)])
    format = RadioField(_l("Format"), choices=[], default="image")
    size = SelectField(_l("Size"), choices=[])
    file = FileField(
        _l("File"),
        description=_l(
            "Image: PNG, JPEG or WebP of exactly the size chosen, or twice it. HTML5: a ZIP "
            "with index.html. Text ad: an optional picture."
        ),
    )
    alt_text = StringField(
        _l("What the image shows (alternative text)"), validators=[Length(max=200)]
    )
    headline = StringField(_l("Headline (text ad)"), validators=[Length(max=90)])
    body = TextAreaField(_l("Text (text ad)"), validators=[Length(max=300)])
    click_url = StringField(
        _l("Where a click leads"),
        validators=[Length(max=1000)],
        description=_l("Empty: the campaign's landing page."),
    )
    submit = SubmitField(_l("Upload the creative"))


class CreativeEditForm(sdk.FlaskForm):
    file = FileField(_l("New file (optional)"))
    alt_text = StringField(
        _l("What the image shows (alternative text)"), validators=[Length(max=200)]
    )
    headline = StringField(_l("Headline (text ad)"), validators=[Length(max=90)])
    body = TextAreaField(_l("Text (text ad)"), validators=[Length(max=300)])
    click_url = StringField(_l("Where a click leads"), validators=[Length(max=1000)])
    submit = SubmitField(_l("Save the creative"))


class ApproveForm(sdk.FlaskForm):
    priority = SelectField(_l("Priority"), choices=[])
    rate = DecimalField(
        _l("Contract rate (MAD, optional)"),
        places=2,
        validators=[Optional(), NumberRange(min=0)],
        description=_l("Empty: the rate card's."),
    )
    submit = SubmitField(_l("Approve"))


class RejectForm(sdk.FlaskForm):
    reason = TextAreaField(
        _l("Reason, sent to the advertiser"), validators=[DataRequired(), Length(max=2000)]
    )
    submit = SubmitField(_l("Reject"))


class TermsForm(sdk.FlaskForm):
    workspace = StringField(
        _l("Advertiser's workspace (its address name)"),
        validators=[DataRequired(), Length(max=80)],
    )
    monthly = SelectField(
        _l("Invoicing"),
        choices=[
            SelectChoice("1", _l("Monthly, for what was delivered")),
            SelectChoice("0", _l("Prepaid")),
        ],
    )
    submit = SubmitField(_l("Save the terms"))
