"""Forms to sign and to publish the charter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ent_core.forms import FlaskForm


class SignForm(FlaskForm):
    accept = BooleanField(
        _l("I have read this charter and I commit to respecting it."),
        validators=[DataRequired(_l("Tick the box to sign the charter."))],
    )
    version = HiddenField()
    sha256 = HiddenField()
    next = HiddenField()


class PublishForm(FlaskForm):
    version = StringField(_l("Version"), validators=[DataRequired(), Length(max=32)])
    summary = TextAreaField(
        _l("What changed"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Members see this summary when they are asked to sign again."),
    )
    text_fr = TextAreaField(_l("Text in French (reference, Markdown)"), validators=[DataRequired()])
    text_en = TextAreaField(_l("Text in English (Markdown)"), validators=[Optional()])
    text_ar = TextAreaField(_l("Text in Arabic (Markdown)"), validators=[Optional()])
