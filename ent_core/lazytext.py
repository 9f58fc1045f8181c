"""Lazy translated strings (``_l``) that translate from the request's catalogue directly.

Flask-Babel's ``lazy_gettext`` looks the domain, the locale and the catalogue up again each
time a lazy string is shown: about forty calls, and a dashboard shows some thirty of them
(menus, widget titles, states). These are the same ``LazyString`` objects; once the request's
catalogue is known (``babel_translations``, kept by ``ent_core.app``'s domain and cleared by
``force_locale()`` and ``refresh()``) they use it, and Flask-Babel's own path otherwise.
"""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import gettext
from flask_babel.speaklater import LazyString


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """Like Flask-Babel's ``lazy_gettext``: translated when shown, in the reader's language."""
    return LazyString(_translate_now, string, **variables)


def _translate_now(string: str, **variables: Any) -> str:
    # Flask-Babel keeps its per-request state on ``g``; read it with one proxy lookup
    # (``_get_current_context`` takes three, and a dashboard shows a dozen lazy strings).
    try:
        state = vars(g._get_current_object()).get("_flask_babel")  # type: ignore[attr-defined]
    except RuntimeError:  # no application context: Flask-Babel's own path
        state = None
    translations = getattr(state, "babel_translations", None)
    if translations is None:
        return gettext(string, **variables)
    text = translations.ugettext(string)
    return text % variables if variables else text  # type: ignore[no-any-return]
