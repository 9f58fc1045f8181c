"""Forms of the report page and of the administrators' decision (Flask-WTF: CSRF tokens)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from ent_core.sanctions.models import REPORT_REASONS
from ent_core.sanctions.service import DETAILS_MAX, EVIDENCE_MAX, REASON_LABELS


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class ReportForm(FlaskForm):
    """A charter breach: which article, what happened, and where to see it (optional)."""

    reason = SelectField(
        _l("What part of the charter is breached?"),
        choices=[SelectChoice(code, REASON_LABELS[code]) for code in REPORT_REASONS],
        validators=[InputRequired()],
    )
    details = TextAreaField(
        _l("What happened"),
        filters=[_strip],
        validators=[InputRequired(), Length(max=DETAILS_MAX)],
    )
    evidence_url = URLField(
        _l("Link to the evidence (optional)"),
        filters=[_strip],
        validators=[Length(max=EVIDENCE_MAX)],
    )


class ReportDecisionForm(FlaskForm):
    """What an administrator does with a report; the reason is mailed to whom it concerns."""

    action = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("dismiss", _l("Dismiss: no breach")),
            SelectChoice("warn", _l("Warn by email")),
            SelectChoice("suspend", _l("Suspend")),
            SelectChoice("reinstate", _l("Reinstate")),
        ],
        validators=[InputRequired()],
    )
    reason = TextAreaField(
        _l("Reason"), filters=[_strip], validators=[InputRequired(), Length(max=2000)]
    )


class ReinstatementForm(FlaskForm):
    """Lift a suspension after the report was closed (an appeal); the reason is mailed."""

    reason = TextAreaField(
        _l("Reason"), filters=[_strip], validators=[InputRequired(), Length(max=2000)]
    )
