"""The base of every form (core and plugins, through ``sdk.FlaskForm``), and the text rules
shared with the API: no invisible direction controls in what people type.

Unicode's embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069) let a name display
as something else (``\\u202eevil`` shows "live") and leak their direction into the page around
them. The pages isolate user text themselves (``|bdi``), so these controls are never needed in
input: a form gives a field error, the API a ``validation_error`` naming the field, and text
from elsewhere (an OpenID provider's name claim) has them removed by :func:`neutralise`.
The marks U+200E/U+200F stay allowed: they cannot reorder a word, and Arabic keyboards type them.
"""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm as _FlaskForm
from wtforms import PasswordField, StringField

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


class FlaskForm(_FlaskForm):
    """Flask-WTF's form, refusing direction controls in every text field (one place, not each)."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field, PasswordField) or not isinstance(field, StringField):
                continue
            if has_bidi_controls(field.data):
                field.errors = [*field.errors, str(BIDI_CONTROL_MESSAGE)]
                valid = False
        return valid
