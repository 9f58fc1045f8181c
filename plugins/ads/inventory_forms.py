"""Forms of the placements pages: a place joined or left, an external placement."""

from __future__ import annotations

from typing import Any

from ent_plugins.ads.catalogues import CATEGORIES, FORMATS, choices
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import URL, DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ent_core import sdk

_l = sdk._l


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (rendered as a fieldset by the form macros)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PlaceForm(sdk.FlaskForm):
    """One place of the workspace's pages: in the network or not, and what it accepts."""

    active = BooleanField(_l("Join the network: show campaigns here"))
    sizes = MultiCheckboxField(_l("Sizes accepted"))
    formats = MultiCheckboxField(_l("Formats accepted"))
    excluded_categories = MultiCheckboxField(
        _l("Advertiser categories refused here"),
        description=_l("Brand safety: no campaign of these categories is shown here."),
    )
    submit = SubmitField(_l("Save"))

    def offer(self, sizes: Any, formats: Any) -> PlaceForm:
        """Limit the choices to what the place declares (and the catalogue of categories)."""
        self.sizes.choices = choices((s, s.replace("x", " \u00d7 ")) for s in sizes)
        self.formats.choices = choices((f, FORMATS[f]) for f in formats)
        self.excluded_categories.choices = choices(CATEGORIES)
        return self


class ExternalForm(sdk.FlaskForm):
    """A placement on a member site hosted elsewhere, shown through the tag."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    site_url = StringField(
        _l("Site address"),
        validators=[DataRequired(), URL(require_tld=False), Length(max=500)],
        description=_l("Where the tag will be pasted, e.g. https://www.example.ma/."),
    )
    size = SelectField(_l("Size"))
    formats = MultiCheckboxField(_l("Formats accepted"))
    excluded_categories = MultiCheckboxField(
        _l("Advertiser categories refused here"),
        description=_l("Brand safety: no campaign of these categories is shown here."),
    )
    active = BooleanField(_l("Join the network: show campaigns here"), default=True)
    submit = SubmitField(_l("Save"))

    def offer(self) -> ExternalForm:
        self.size.choices = choices((s, s.replace("x", " \u00d7 ")) for s in sdk.IAB_SIZES)
        self.formats.choices = choices((f, FORMATS[f]) for f in sdk.AD_FORMATS)
        self.excluded_categories.choices = choices(CATEGORIES)
        return self
