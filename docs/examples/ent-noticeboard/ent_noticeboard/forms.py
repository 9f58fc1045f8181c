"""Forms of the notice board: a notice, the pin switch, and the module's settings."""

from __future__ import annotations

from ent_core import sdk
from wtforms import BooleanField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from ent_noticeboard.service import BODY_MAX, TITLE_MAX


class NoticeForm(sdk.FlaskForm):
    title = StringField(sdk._l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(
        sdk._l("Message"),
        validators=[Length(max=BODY_MAX)],
        description=sdk._l("Markdown: **bold**, *italic*, [links](https://…), lists."),
    )
    pinned = BooleanField(sdk._l("Pin it on top of the board"))
    submit = SubmitField(sdk._l("Post the notice"))


class ActionForm(sdk.FlaskForm):
    """An empty form: pin, unpin and delete are POSTs that need only the CSRF token."""


class NoticeboardSettings(sdk.SettingsForm):
    """Per-workspace settings, shown on the module's page and accepted by the API."""

    max_pinned = IntegerField(
        sdk._l("Pinned notices at most"),
        default=3,
        validators=[NumberRange(min=1, max=10)],
        description=sdk._l("Pinned notices also appear above every page of the workspace."),
    )
    notify_members = BooleanField(sdk._l("Email the members when a notice is pinned"), default=True)
