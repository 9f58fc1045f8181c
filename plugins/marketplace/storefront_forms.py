"""The seller's storefront form (``/w/<slug>/marketplace/storefront``)."""

from __future__ import annotations

from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from ent_core import sdk

_l = sdk._l


class StorefrontForm(sdk.FlaskForm):
    tagline = StringField(
        _l("Tagline"),
        validators=[Length(max=200)],
        description=_l("One line under your name on the storefront."),
    )
    about = TextAreaField(
        _l("About the seller"),
        validators=[Length(max=5000)],
        description=_l("Who you are and how you work; Markdown is allowed."),
    )
    location = StringField(_l("Town or region"), validators=[Length(max=120)])
    submit = SubmitField(_l("Save the storefront"))
