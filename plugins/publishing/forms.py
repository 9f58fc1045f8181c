"""Web forms of the newsroom (the API validates with pydantic models in api.py)."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ent_core import sdk

_l = sdk._l

LANGUAGE_CHOICES = [
    SelectChoice("fr", _l("French")),
    SelectChoice("en", _l("English")),
    SelectChoice("ar", _l("Arabic")),
]
FORMAT_CHOICES = [
    SelectChoice("markdown", _l("Markdown")),
    SelectChoice("html", _l("HTML (rich text)")),
]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (rendered as a fieldset by the form macros)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ArticleForm(sdk.FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    standfirst = TextAreaField(
        _l("Standfirst"),
        validators=[Length(max=2000)],
        description=_l("One or two sentences under the title that say what the article is about."),
    )
    body_format = SelectField(_l("Body format"), choices=FORMAT_CHOICES, default="markdown")
    body = TextAreaField(
        _l("Body"),
        validators=[Length(max=200_000)],
        description=_l("Markdown, or HTML if you chose it; scripts and styles are removed."),
        render_kw={"rows": 18},
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="fr")
    sectors = MultiCheckboxField(_l("Sectors"), choices=[])
    tags = StringField(
        _l("Tags"), validators=[Length(max=500)], description=_l("Separate tags with commas.")
    )
    authors = MultiCheckboxField(_l("Authors"), choices=[], coerce=int)
    cover = FileField(
        _l("Cover image"), description=_l("PNG, JPEG or WebP, up to 8 MB; resized automatically.")
    )
    cover_alt = StringField(
        _l("Cover description (alternative text)"),
        validators=[Length(max=300)],
        description=_l(
            "What the picture shows, for readers who cannot see it. Required with a cover."
        ),
    )
    slug = StringField(
        _l("Address (slug)"),
        validators=[Optional(), Length(max=200)],
        description=_l("Leave empty to build it from the title. Old addresses keep working."),
    )
    seo_title = StringField(_l("Title for search engines"), validators=[Length(max=300)])
    seo_description = TextAreaField(
        _l("Description for search engines"), validators=[Length(max=500)]
    )
    canonical_url = StringField(
        _l("Canonical address"),
        validators=[Length(max=500)],
        description=_l("Only if the article first appeared elsewhere."),
    )
    syndicated = BooleanField(_l("Show on the sector portal"))
    submit = SubmitField(_l("Save"))


class CommentForm(sdk.FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Add the comment"))


class TransitionForm(sdk.FlaskForm):
    transition = HiddenField(validators=[DataRequired()])
    at = DateTimeLocalField(
        _l("Publication date and time"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )


class ActionForm(sdk.FlaskForm):
    """A button that changes something (CSRF only)."""


class AuthorForm(sdk.FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Address (slug)"),
        validators=[Optional(), Length(max=120)],
        description=_l("Leave empty to build it from the name."),
    )
    bio = TextAreaField(_l("Biography"), validators=[Length(max=5000)])
    links = TextAreaField(
        _l("Links"),
        validators=[Length(max=2000)],
        description=_l("One per line: a label, a space, then the address (https://...)."),
    )
    photo = FileField(_l("Photo"), description=_l("PNG, JPEG or WebP."))
    submit = SubmitField(_l("Save"))


class PublishingSettings(sdk.SettingsForm):
    """Per-workspace settings, on the Modules page and ``PUT .../plugins/publishing``."""

    default_language = SelectField(
        _l("Language of new articles"), choices=LANGUAGE_CHOICES, default="fr"
    )
    lock_minutes = IntegerField(
        _l("Minutes an editor keeps an article locked without saving"),
        default=20,
        validators=[NumberRange(min=5, max=240)],
    )
