"""Forms of the classified ads' pages (members, boards, moderators)."""

from __future__ import annotations

from typing import Any

from ent_plugins.ads.catalogues import CLASSIFIED_KINDS, REPORT_REASONS, choices
from ent_plugins.ads.classifieds import BODY_MAX, TITLE_MAX, AdFields
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ent_core import sdk

_l = sdk._l

LANGUAGE_LABELS = {"fr": _l("French"), "ar": _l("Arabic"), "en": _l("English")}
FORMAT_LABELS = {"text": _l("Plain text"), "markdown": _l("Markdown (headings, lists, links)")}


class ClassifiedForm(sdk.FlaskForm):
    """An ad: where, what, the text, the contact and up to three pictures."""

    sector = SelectField(_l("Board"), validators=[DataRequired()])
    kind = SelectField(_l("Kind of ad"), choices=choices(CLASSIFIED_KINDS))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(
        _l("Text of the ad"),
        validators=[DataRequired(), Length(max=BODY_MAX)],
        render_kw={"rows": 8},
    )
    body_format = SelectField(_l("The text is written in"), choices=choices(FORMAT_LABELS))
    language = SelectField(_l("Language of the ad"), choices=choices(LANGUAGE_LABELS))
    price = DecimalField(
        _l("Price in dirhams (optional)"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=9_999_999_999)],
    )
    location = StringField(_l("Town or region"), validators=[Length(max=120)])
    contact_email = EmailField(
        _l("Contact e-mail"),
        validators=[Optional(), Length(max=254)],
        description=_l(
            "Shown on the public page only to readers who ask for it (never to robots, "
            "never in feeds)."
        ),
    )
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=40)])
    image_1 = FileField(_l("Picture 1 (PNG, JPEG or WebP, 5 MB)"))
    alt_1 = StringField(_l("What picture 1 shows"), validators=[Length(max=200)])
    image_2 = FileField(_l("Picture 2"))
    alt_2 = StringField(_l("What picture 2 shows"), validators=[Length(max=200)])
    image_3 = FileField(_l("Picture 3"))
    alt_3 = StringField(_l("What picture 3 shows"), validators=[Length(max=200)])
    pay = BooleanField(
        _l("If this month's free ads are used up, invoice me to post it anyway"),
    )
    submit = SubmitField(_l("Post the ad"))

    def set_boards(self, codes: list[str]) -> None:
        self.sector.choices = choices((code, sdk.sector_label(code)) for code in codes)

    def fields(self) -> AdFields:
        return AdFields(
            sector=self.sector.data,
            kind=self.kind.data,
            title=self.title.data or "",
            body=self.body.data or "",
            body_format=self.body_format.data,
            language=self.language.data,
            price=self.price.data,
            location=self.location.data or "",
            contact_email=self.contact_email.data or "",
            contact_phone=self.contact_phone.data or "",
        )

    def pictures(self) -> list[tuple[Any, str]]:
        """(file, alternative text) of the pictures sent."""
        sent = []
        for n in (1, 2, 3):
            data = getattr(self, f"image_{n}").data
            if data is not None and getattr(data, "filename", ""):
                sent.append((data, getattr(self, f"alt_{n}").data or ""))
        return sent


class ClassifiedEditForm(ClassifiedForm):
    remove_images = SelectMultipleField(
        _l("Pictures to remove"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
    submit = SubmitField(_l("Save the ad"))


class PayForm(sdk.FlaskForm):
    """A renewal beyond the quota: say yes to the invoice."""

    pay = BooleanField(_l("If this month's free ads are used up, invoice me for the renewal"))
    submit = SubmitField(_l("Renew"))


class ActionForm(sdk.FlaskForm):
    """A button (withdraw, boost, approve...): the CSRF token only."""

    submit = SubmitField(_l("Confirm"))


class ReportForm(sdk.FlaskForm):
    reason = SelectField(_l("What is wrong?"), choices=choices(REPORT_REASONS))
    details = TextAreaField(
        _l("Details (optional)"), validators=[Length(max=2000)], render_kw={"rows": 4}
    )
    #: Left empty by people; robots that fill every field are ignored (docs/ads.md).
    website = StringField(_l("Leave this field empty"), render_kw={"autocomplete": "off"})
    submit = SubmitField(_l("Send the report"))


class RejectForm(sdk.FlaskForm):
    reason = TextAreaField(
        _l("Why (sent to the author)"), validators=[DataRequired(), Length(max=500)]
    )
    submit = SubmitField(_l("Reject"))
