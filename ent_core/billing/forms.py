"""Forms of the billing pages (Flask-WTF, CSRF-protected)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from ent_core.forms import FlaskForm


class SubscribeForm(FlaskForm):
    plan = SelectField(_l("Plan"), validators=[DataRequired()])
    period = RadioField(
        _l("Billing period"),
        choices=[SelectChoice("month", _l("Monthly")), SelectChoice("year", _l("Yearly"))],
        default="month",
        validators=[DataRequired()],
    )


class ConfirmForm(FlaskForm):
    """A button that changes something (cancel, add-on): only the CSRF token."""


class PlanForm(FlaskForm):
    name_fr = StringField(_l("Name (French)"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=120)])
    name_ar = StringField(_l("Name (Arabic)"), validators=[DataRequired(), Length(max=120)])
    price_month = DecimalField(
        _l("Price per month, excluding VAT (MAD)"),
        places=2,
        validators=[InputRequired(), NumberRange(min=Decimal(0))],
    )
    price_year = DecimalField(
        _l("Price per year, excluding VAT (MAD)"),
        places=2,
        validators=[InputRequired(), NumberRange(min=Decimal(0))],
    )
    vat_rate = DecimalField(
        _l("VAT rate"),
        places=4,
        description=_l("0.20 for 20 %."),
        validators=[InputRequired(), NumberRange(min=Decimal(0), max=Decimal("0.99"))],
    )
    plugins = StringField(
        _l("Features"),
        description=_l("Plan features (plugin names), separated by commas."),
    )
    quotas = TextAreaField(
        _l("Quotas"),
        description=_l("One per line: name = number, e.g. classified_ads_per_month = 5."),
    )
    active = BooleanField(_l("On offer"))

    def validate_quotas(self, field: Any) -> None:
        try:
            parse_quotas(field.data or "")
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


def parse_quotas(text: str) -> dict[str, int]:
    from flask_babel import gettext as _

    quotas: dict[str, int] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier() or not value.strip().isdigit():
            raise ValueError(_("Write each quota as name = whole number."))
        quotas[name] = int(value.strip())
    return quotas


def format_quotas(quotas: dict[str, Any]) -> str:
    return "\n".join(f"{k} = {v}" for k, v in sorted((quotas or {}).items()))


class ProgrammeForm(FlaskForm):
    budget = DecimalField(
        _l("Total budget (MAD)"), places=2, validators=[InputRequired(), NumberRange(min=0)]
    )
    share_percent = DecimalField(
        _l("Share covered (%)"), places=2, validators=[InputRequired(), NumberRange(0, 100)]
    )
    months = IntegerField(
        _l("Months from the start of a subscription"),
        validators=[InputRequired(), NumberRange(1, 120)],
    )
    active = BooleanField(_l("Active"))


class MarkPaidForm(FlaskForm):
    reference = StringField(_l("Transfer reference"), validators=[DataRequired(), Length(max=120)])


class VoidForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=300)])


class CreditNoteForm(FlaskForm):
    """A credit note on a paid invoice: the amount (empty: all that remains) and the reason;
    ``refund`` also pays the workspace's share back through the invoice's provider."""

    amount = StringField(_l("Amount including VAT"), validators=[Length(max=20)])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=300)])
    refund = BooleanField(_l("Refund the workspace's share through the payment method"))
