"""Lazy translated strings (``_l``) that translate from the request's catalogue directly.

Flask-Babel's ``lazy_gettext`` looks the domain, the locale and the catalogue up again each
time a lazy string is shown: about forty calls, and a dashboard shows some thirty of them
(menus, widget titles, states). These are the same ``LazyString`` objects; once the request's
catalogue is known (``babel_translations``, kept by ``ent_core.app``'s domain and cleared by
``force_locale()`` and ``refresh()``) they use it, and Flask-Babel's own path otherwise.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel.speaklater import LazyString

try:
    from flask_babel import _get_current_context
except ImportError:  # pragma: no cover - a Flask-Babel without it: its own path every time

    def _get_current_context() -> Any:
        return None


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """Like Flask-Babel's ``lazy_gettext``: translated when shown, in the reader's language."""
    return LazyString(_translate_now, string, **variables)


def _translate_now(string: str, **variables: Any) -> str:
    translations = getattr(_get_current_context(), "babel_translations", None)
    if translations is None:
        return gettext(string, **variables)
    text = translations.ugettext(string)
    return text % variables if variables else text  # type: ignore[no-any-return]
