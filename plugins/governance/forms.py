"""Forms of the governance plugin."""

from __future__ import annotations

from wtforms import IntegerField
from wtforms.validators import NumberRange

from ent_core import sdk

_l = sdk._l


class GovernanceSettings(sdk.SettingsForm):
    """Per-association rules from its statutes, on the Modules page and the API."""

    grace_days = IntegerField(
        _l(
            "Days of grace, from the start of each year (or from joining), before its unpaid "
            "dues make a member late"
        ),
        default=90,
        validators=[NumberRange(min=0, max=365)],
    )
    lapse_years = IntegerField(
        _l("Unpaid years after which a member has lapsed"),
        default=2,
        validators=[NumberRange(min=1, max=10)],
    )
    reminder_days = IntegerField(
        _l("Days between two reminders of unpaid dues to the same member"),
        default=30,
        validators=[NumberRange(min=1, max=365)],
    )
    notice_days = IntegerField(
        _l("Days of notice before a general assembly"),
        default=15,
        validators=[NumberRange(min=0, max=90)],
    )
