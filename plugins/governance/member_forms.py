"""Web forms of the member registry and dues; the services check the rest (members.py)."""

from __future__ import annotations

from ent_plugins.governance.forms import choices
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ent_core import sdk

_l = sdk._l


LANGUAGE_CHOICES = choices([("fr", "Français"), ("ar", "العربية"), ("en", "English")])


class ActionForm(sdk.FlaskForm):
    """A button that changes something: a POST carrying the CSRF token."""


class MemberForm(sdk.FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    number = StringField(
        _l("Membership number"),
        validators=[Length(max=40)],
        description=_l("Leave empty to take the next number."),
    )
    category_id = SelectField(_l("Category"), coerce=int)
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    cin = StringField(
        _l("CIN (national identity card)"),
        validators=[Length(max=20)],
        description=_l("Only if the association keeps it."),
    )
    language = SelectField(
        _l("Language of mail and receipts"), choices=LANGUAGE_CHOICES, default="fr"
    )
    joined_on = DateField(_l("Joined on"), validators=[DataRequired()])
    left_on = DateField(_l("Left on"), validators=[Optional()])
    user_id = SelectField(
        _l("Platform account"),
        coerce=int,
        default=0,
        description=_l("Link a member of this workspace: they then see their own dues."),
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=5_000)])
    submit = SubmitField(_l("Save the member"))


class CategoryForm(sdk.FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("Used in CSV files: lowercase letters, digits, - and _."),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    pays_dues = BooleanField(_l("Pays dues"), default=True)
    votes = BooleanField(_l("Votes in general assemblies"), default=True)
    submit = SubmitField(_l("Save the category"))


class RateForm(sdk.FlaskForm):
    category_id = SelectField(_l("Category"), coerce=int)
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(min=1900, max=2200)])
    amount = DecimalField(
        _l("Amount (MAD)"), places=2, validators=[DataRequired(), NumberRange(min=0)]
    )
    submit = SubmitField(_l("Set the rate"))


class PaymentForm(sdk.FlaskForm):
    year = IntegerField(_l("Dues for the year"), validators=[DataRequired()])
    amount = DecimalField(_l("Amount (MAD)"), places=2, validators=[DataRequired()])
    method = SelectField(
        _l("Paid by"),
        choices=choices(
            [("cash", _l("cash")), ("transfer", _l("bank transfer")), ("cheque", _l("cheque"))]
        ),
    )
    paid_on = DateField(_l("Paid on"), validators=[DataRequired()])
    reference = StringField(
        _l("Reference"),
        validators=[Length(max=120)],
        description=_l("The cheque's number or the transfer's reference."),
    )
    submit = SubmitField(_l("Record the payment"))


class OnlinePaymentForm(sdk.FlaskForm):
    year = SelectField(_l("Dues for the year"), coerce=int)
    provider = SelectField(_l("Pay with"))
    reference = StringField(_l("Payment reference"), validators=[DataRequired(), Length(max=120)])
    submit = SubmitField(_l("Pay my dues"))


class ImportForm(sdk.FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[DataRequired()],
        description=_l(
            "Columns: number, name, email, phone, cin, category, language, joined_on, "
            "left_on. Comma or semicolon, UTF-8."
        ),
    )
    dry_run = BooleanField(_l("Only check the file (write nothing)"), default=True)
    submit = SubmitField(_l("Import"))
