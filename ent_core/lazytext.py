"""Lazy translated strings (``_l``) that translate from the request's catalogue directly.

Flask-Babel's ``lazy_gettext`` looks the domain, the locale and the catalogue up again each
time a lazy string is shown: about forty calls, and a dashboard shows some thirty of them
(menus, widget titles, states). These are the same ``LazyString`` objects; once the request's
catalogue is known (``babel_translations``, kept by ``ent_core.speedups``'s domain and cleared by
``force_locale()`` and ``refresh()``) they use it, and Flask-Babel's own path otherwise.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel.speaklater import LazyString

from ent_core.context import current_g


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """Like Flask-Babel's ``lazy_gettext``: translated when shown, in the reader's language."""
    return LazyString(_translate_now, string, **variables)


def kept_catalogue() -> Any:
    """The catalogue Flask-Babel keeps for this request (or application context), if it chose
    one yet; ``None`` otherwise. Read from ``g`` directly: ``_get_current_context`` takes three
    context lookups, and a dashboard shows a dozen lazy strings."""
    try:
        state = vars(current_g()).get("_flask_babel")
    except RuntimeError:  # no application context
        return None
    return getattr(state, "babel_translations", None)


def _translate_now(string: str, **variables: Any) -> str:
    translations = kept_catalogue()
    if translations is None:  # none chosen yet, or no context: Flask-Babel's own path
        return gettext(string, **variables)
    text = translations.ugettext(string)
    return text % variables if variables else text  # type: ignore[no-any-return]
