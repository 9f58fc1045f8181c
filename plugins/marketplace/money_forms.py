"""The forms of the money part: paying, confirming, refunding, payouts and the RIB."""

from __future__ import annotations

from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ent_core import sdk


class PayForm(sdk.FlaskForm):
    provider = HiddenField(default="bank_transfer")
    reference = StringField(
        sdk._l("Your transfer's reference"), validators=[DataRequired(), Length(max=120)]
    )


class ReferenceForm(sdk.FlaskForm):
    reference = StringField(sdk._l("Bank reference"), validators=[DataRequired(), Length(max=120)])


class RefundForm(sdk.FlaskForm):
    amount = StringField(sdk._l("Amount (empty: all that remains)"), validators=[Optional()])
    reason = TextAreaField(sdk._l("Reason"), validators=[DataRequired(), Length(max=500)])


class ActionForm(sdk.FlaskForm):
    """A button: only the CSRF token."""


class PayoutAccountForm(sdk.FlaskForm):
    payout_holder = StringField(
        sdk._l("Account holder"), validators=[DataRequired(), Length(max=150)]
    )
    payout_rib = StringField(sdk._l("RIB (24 digits)"), validators=[DataRequired(), Length(max=40)])
