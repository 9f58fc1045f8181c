"""Forms of the listings' pages: the seller's (listing, picture, variant, slot) and the
operator's and readers' (rejection, report)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ent_plugins.marketplace.catalogues import DELIVERIES, KINDS, REPORT_REASONS, UNITS
from ent_plugins.marketplace.listing_lifecycle import (
    DESCRIPTION_MAX,
    LANGUAGES,
    LOCATION_MAX,
    TITLE_MAX,
    ListingFields,
)
from ent_plugins.marketplace.listing_variants import NAME_MAX, VariantFields
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ent_core import sdk

_l = sdk._l

LANGUAGE_LABELS: dict[str, Any] = {"fr": _l("French"), "ar": _l("Arabic"), "en": _l("English")}
#: Morocco's VAT rates.
VAT_RATES = ("0.20", "0.14", "0.10", "0.07", "0.00")


def _choices(pairs: Any) -> list[SelectChoice]:
    """A select's choices from a catalogue or ``(value, label)`` pairs (WTForms 3.3 wants
    ``SelectChoice``)."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


def _vat_label(rate: str) -> str:
    return f"{(Decimal(rate) * 100).normalize():f} %"


class ListingForm(sdk.FlaskForm):
    """A listing of any kind; the fields that do not apply to the kind are ignored."""

    kind = SelectField(_l("What you sell"), choices=_choices(KINDS))
    delivery = SelectField(
        _l("Products: delivery"), choices=_choices(DELIVERIES), validate_choice=False
    )
    unit = SelectField(_l("Services: sold"), choices=_choices(UNITS), validate_choice=False)
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    description = TextAreaField(
        _l("Description"), validators=[Length(max=DESCRIPTION_MAX)], render_kw={"rows": 10}
    )
    language = SelectField(_l("Language of the listing"), choices=_choices(LANGUAGE_LABELS))
    category = SelectField(_l("Category"), coerce=int, validate_choice=True)
    on_quote = BooleanField(_l("Price on quote (buyers ask for a quote)"))
    price = DecimalField(
        _l("Price excluding VAT, in dirhams (MAD)"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=9_999_999_999)],
    )
    vat_rate = SelectField(_l("VAT rate"))
    stock = IntegerField(
        _l("Stock (leave empty if not counted)"),
        validators=[Optional(), NumberRange(min=0, max=1_000_000)],
    )
    location = StringField(_l("Location"), validators=[Length(max=LOCATION_MAX)])
    hold_minutes = IntegerField(
        _l("Bookings: minutes a slot is held while the buyer pays (0: the platform's default)"),
        validators=[Optional(), NumberRange(min=0, max=1440)],
        default=0,
    )
    file = FileField(_l("Digital products: the file buyers download (PDF, ZIP or picture)"))
    title_fr = StringField(_l("Title in French"), validators=[Length(max=TITLE_MAX)])
    description_fr = TextAreaField(
        _l("Description in French"), validators=[Length(max=DESCRIPTION_MAX)]
    )
    title_ar = StringField(_l("Title in Arabic"), validators=[Length(max=TITLE_MAX)])
    description_ar = TextAreaField(
        _l("Description in Arabic"), validators=[Length(max=DESCRIPTION_MAX)]
    )
    title_en = StringField(_l("Title in English"), validators=[Length(max=TITLE_MAX)])
    description_en = TextAreaField(
        _l("Description in English"), validators=[Length(max=DESCRIPTION_MAX)]
    )
    submit = SubmitField(_l("Save the listing"))

    def set_choices(self, categories: list[Any], name: Any, default_vat: Decimal) -> None:
        self.category.choices = _choices((c.id, name(c)) for c in categories)
        rates = list(VAT_RATES)
        default = f"{default_vat:.2f}"
        if default not in rates:
            rates.insert(0, default)
        self.vat_rate.choices = _choices((r, _vat_label(r)) for r in rates)
        if not self.vat_rate.data or self.vat_rate.data == "None":
            self.vat_rate.data = default

    def fill(self, listing: Any, price: Decimal | None, category_id: int) -> None:
        """Show a listing (with the price and category its seller asked for last)."""
        self.process(obj=listing)
        self.category.data = category_id
        self.price.data = price
        self.on_quote.data = price is None
        self.vat_rate.data = f"{listing.vat_rate:.2f}"
        for row in listing.translations:
            getattr(self, f"title_{row.language}").data = row.title
            getattr(self, f"description_{row.language}").data = row.description

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.price.data is None and not self.on_quote.data and not self.price.errors:
            self.price.errors = [sdk._("Give a price, or choose a price on quote.")]
            return False
        return valid

    def fields(self) -> ListingFields:
        return ListingFields(
            kind=self.kind.data,
            delivery=self.delivery.data,
            unit=self.unit.data,
            title=self.title.data or "",
            description=self.description.data or "",
            language=self.language.data,
            category_id=self.category.data,
            price=None if self.on_quote.data else self.price.data,
            vat_rate=Decimal(self.vat_rate.data),
            stock=self.stock.data,
            location=self.location.data or "",
            hold_minutes=self.hold_minutes.data or 0,
            translations={
                lang: (
                    getattr(self, f"title_{lang}").data or "",
                    getattr(self, f"description_{lang}").data or "",
                )
                for lang in LANGUAGES
            },
        )


class ImageForm(sdk.FlaskForm):
    image = FileField(_l("Picture (PNG, JPEG or WebP, 10 MB)"), validators=[InputRequired()])
    alt_text = StringField(
        _l("What the picture shows"), validators=[DataRequired(), Length(max=200)]
    )
    submit = SubmitField(_l("Add the picture"))


class VariantForm(sdk.FlaskForm):
    name = StringField(_l("Name of the variant"), validators=[DataRequired(), Length(max=NAME_MAX)])
    price = DecimalField(
        _l("Its own price excluding VAT (empty: the listing's)"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=9_999_999_999)],
    )
    stock = IntegerField(
        _l("Its own stock (empty: not counted)"),
        validators=[Optional(), NumberRange(min=0, max=1_000_000)],
    )
    active = BooleanField(_l("Offered to buyers"), default=True)
    submit = SubmitField(_l("Save the variant"))

    def fields(self) -> VariantFields:
        return VariantFields(
            name=self.name.data or "",
            price=self.price.data,
            stock=self.stock.data,
            active=bool(self.active.data),
        )


class SlotForm(sdk.FlaskForm):
    starts_at = DateTimeLocalField(
        _l("Starts"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()]
    )
    ends_at = DateTimeLocalField(_l("Ends"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    capacity = IntegerField(
        _l("Places"), default=1, validators=[InputRequired(), NumberRange(min=1, max=10_000)]
    )
    repeat_weeks = IntegerField(
        _l("Repeat weekly for the following weeks (0: once)"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=52)],
    )
    submit = SubmitField(_l("Add the slot"))


class RejectForm(sdk.FlaskForm):
    reason = TextAreaField(
        _l("Why (sent to the seller)"), validators=[DataRequired(), Length(max=1000)]
    )
    submit = SubmitField(_l("Reject"))


class ReportForm(sdk.FlaskForm):
    reason = SelectField(_l("What is wrong"), choices=_choices(REPORT_REASONS))
    text = TextAreaField(_l("Details (optional)"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Report this listing"))


class ActionForm(sdk.FlaskForm):
    """A button (submit, withdraw, approve, delete...): the CSRF token only."""

    submit = SubmitField(_l("Confirm"))
