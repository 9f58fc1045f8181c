"""Forms of the reviews part: a review, a reply, a report, the operator's decision."""

from __future__ import annotations

from ent_plugins.marketplace.review_reports import REPORT_MAX
from ent_plugins.marketplace.reviews import REPLY_MAX, TEXT_MAX
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from ent_core import sdk

_l = sdk._l


class ReviewForm(sdk.FlaskForm):
    rating = RadioField(
        _l("Rating"),
        choices=[SelectChoice(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        validators=[InputRequired(_l("Give a rating from 1 to 5."))],
    )
    text = TextAreaField(_l("Your review"), validators=[Length(max=TEXT_MAX)])


class ReplyForm(sdk.FlaskForm):
    text = TextAreaField(_l("Your reply"), validators=[DataRequired(), Length(max=REPLY_MAX)])


class ReportForm(sdk.FlaskForm):
    text = TextAreaField(
        _l("What is wrong with this review?"), validators=[DataRequired(), Length(max=REPORT_MAX)]
    )


class ActionForm(sdk.FlaskForm):
    """A button that only needs its CSRF token (promote, remove, keep)."""
