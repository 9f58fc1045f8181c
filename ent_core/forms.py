"""The platform's form base: every form refuses control characters and huge numbers by field.

``FlaskForm`` here is the one the core and the SDK use (``sdk.FlaskForm``): before a form's own
validators run (some ask the database), any field whose submitted text holds NUL, another C0
control character but tab and line breaks, or a lone surrogate, and any whole-number field
beyond the database's ``integer``, gets a field error and the form is refused, so such input
never reaches a query (``ent_core.input_guard``).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm as _FlaskForm
from wtforms import Form

from ent_core.input_guard import ID_MAX, ID_MIN, INVALID_CHARACTERS, INVALID_CHARACTERS_MESSAGE


class RefusesInvalidCharacters:
    """Mixin for WTForms forms: refuse invalid characters and huge numbers before validating."""

    _fields: dict[str, Any]

    def validate(self, extra_validators: Any = None) -> bool:
        refused = {}
        for name, field in self._fields.items():
            message = _refusal(field)
            if message:
                refused[name] = message
        if not refused:
            return super().validate(extra_validators)  # type: ignore[misc, no-any-return]
        for name, message in refused.items():
            self._fields[name].errors = [message]
        return False


def _refusal(field: Any) -> str | None:
    raw = getattr(field, "raw_data", None) or ()
    if any(isinstance(value, str) and INVALID_CHARACTERS.search(value) for value in raw):
        return str(INVALID_CHARACTERS_MESSAGE)
    data = field.data
    if isinstance(data, int) and not isinstance(data, bool) and not ID_MIN <= data <= ID_MAX:
        return _("Enter a number between %(low)s and %(high)s.", low=ID_MIN, high=ID_MAX)
    return None


class FlaskForm(RefusesInvalidCharacters, _FlaskForm):
    """Flask-WTF's form (CSRF included) that refuses invalid characters field by field."""


class PlainForm(RefusesInvalidCharacters, Form):
    """A WTForms form without CSRF (settings forms) that refuses invalid characters too."""
