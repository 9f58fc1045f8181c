"""The platform's form base (core and plugins, through ``sdk.FlaskForm``), and the text rules
shared with the API.

Before a form's own validators run (some ask the database), a field is refused with a field
error when its submitted text holds:

- NUL, another C0 control character but tab and line breaks, or a lone surrogate, or when a
  whole-number field goes beyond the database's ``integer``, so such input never reaches a
  query (``ent_core.input_guard``);
- Unicode's direction embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069),
  outside passwords: they let a name display as something else (``\\u202eevil`` shows "live")
  and leak their direction into the page around them. Pages isolate user text themselves
  (``|bdi``), so these are never needed in input; the API answers ``validation_error`` naming
  the field, and text from elsewhere (an OpenID provider's name claim) has them removed by
  :func:`neutralise`. The marks U+200E/U+200F stay allowed: they cannot reorder a word, and
  Arabic keyboards type them.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm as _FlaskForm
from wtforms import Form, PasswordField, StringField

from ent_core.input_guard import ID_MAX, ID_MIN, INVALID_CHARACTERS, INVALID_CHARACTERS_MESSAGE
from ent_core.lazytext import lazy_gettext as _l

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: A person's display name: fits an attendance list, a byline and a certificate line.
PERSON_NAME_MAX = 100

BIDI_CONTROL_MESSAGE = _l(
    "Remove the invisible text-direction characters: they can make text display as something else."
)


def has_bidi_controls(value: Any) -> bool:
    return isinstance(value, str) and BIDI_CONTROLS.search(value) is not None


def neutralise(value: str) -> str:
    """``value`` without direction controls (for text that comes from elsewhere than a form)."""
    return BIDI_CONTROLS.sub("", value)


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
    if (
        isinstance(field, StringField)
        and not isinstance(field, PasswordField)
        and has_bidi_controls(data)
    ):
        return str(BIDI_CONTROL_MESSAGE)
    return None


class FlaskForm(RefusesInvalidCharacters, _FlaskForm):
    """Flask-WTF's form (CSRF included) that refuses invalid characters field by field."""


class PlainForm(RefusesInvalidCharacters, Form):
    """A WTForms form without CSRF (settings forms) that refuses invalid characters too."""
