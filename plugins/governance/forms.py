"""Forms of the governance plugin."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange

from ent_core import sdk

_l = sdk._l


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """A select's choices from ``(value, label)`` pairs: WTForms 3.3 wants ``SelectChoice``."""
    return [SelectChoice(value, label) for value, label in pairs]


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
