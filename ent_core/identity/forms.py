"""Forms of the sign-in, sign-up, reset and account pages (CSRF through Flask-WTF)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from ent_core.forms import PERSON_NAME_MAX, FlaskForm
from ent_core.identity.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class PlatformEmail:
    """WTForms validator: the platform's one e-mail rule (``identity.service.check_email``),
    the one ``ent user create`` and the service apply too."""

    field_flags = {"required": True}

    def __call__(self, form: Any, field: Any) -> None:
        from ent_core.identity.service import IdentityError, check_email

        try:
            check_email(field.data or "")
        except IdentityError as exc:
            raise ValidationError(exc.message) from None


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        validators=[DataRequired(), PlatformEmail()],
        filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
        render_kw={"autocomplete": "email"},
    )


def _new_password_field(label: str | None = None) -> PasswordField:
    return PasswordField(
        label or _l("Password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l(
                    "The password must be between %(min)d and %(max)d characters long.",
                    min=MIN_PASSWORD_LENGTH,
                    max=MAX_PASSWORD_LENGTH,
                ),
            ),
        ],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD_LENGTH},
    )


def _confirmation_field() -> PasswordField:
    return PasswordField(
        _l("Confirm the password"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class SignUpForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        validators=[DataRequired(), Length(max=PERSON_NAME_MAX)],
        render_kw={"autocomplete": "name"},
    )
    email = _email_field()
    password = _new_password_field()
    confirm = _confirmation_field()


class SignInForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class ResetRequestForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password = _new_password_field(_l("New password"))
    confirm = _confirmation_field()


class ProfileForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        validators=[DataRequired(), Length(max=PERSON_NAME_MAX)],
        render_kw={"autocomplete": "name"},
    )
    locale = SelectField(_l("Language"), validators=[Optional()])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), render_kw={"autocomplete": "current-password"}
    )
    password = _new_password_field(_l("New password"))
    confirm = _confirmation_field()


class TokenCreateForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("A name to recognise it later, e.g. the script or server that uses it."),
    )
