"""One catalogue per plugin: a plugin's strings come from its own catalogue, then the core's.

Flask-Babel's one domain reads the core's catalogue only. A plugin's catalogue in a language is
the core's catalogue in that language with the plugin's own ``translations/`` laid over it,
built once per process, plugin and language. Two plugins may so translate the same English
string differently ("Withdraw": an article is *retiré*, a trainee *se retire*).

Plugin code reaches its catalogue through the SDK (``sdk._``, ``sdk._l``, ``sdk.ngettext`` find
the calling module's plugin; ``sdk.translations_for(__name__)`` names it), its templates are
compiled with it (``ent_core.templating``), and the core's own code and templates keep the core's.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from babel import support
from flask import current_app, has_app_context
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup

from ent_core.lazytext import kept_catalogue

#: Where the application keeps its ``PluginCatalogues``.
EXTENSION = "ent.catalogues"
#: Merged catalogues kept at most (plugins times languages is far below).
_MERGED_LIMIT = 256


class PluginCatalogues:
    """Which plugin a module or template belongs to, and each plugin's catalogue per language."""

    # Read on every translated string of a plugin: no per-instance dict to look through.
    __slots__ = ("_directories", "_merged", "_owners", "_packages")

    def __init__(self, plugins: Iterable[tuple[str, str, Path | None]]) -> None:
        """``plugins``: (name, package its modules live in, ``translations/`` folder or None)."""
        plugins = list(plugins)
        self._directories = {name: path for name, _, path in plugins if path is not None}
        # Longest package first, so a plugin nested in another's package is found first.
        self._packages = sorted(
            ((package, name) for name, package, _ in plugins),
            key=lambda item: -len(item[0]),
        )
        self._owners: dict[str, str | None] = {}
        self._merged: dict[tuple[str, int], tuple[Any, Any]] = {}

    def plugin_of(self, module_name: str) -> str | None:
        """The plugin whose package holds ``module_name`` and ships a catalogue, else ``None``."""
        try:
            return self._owners[module_name]
        except KeyError:
            pass
        owner = next(
            (
                name
                for package, name in self._packages
                if module_name == package or module_name.startswith(package + ".")
            ),
            None,
        )
        self._owners[module_name] = owner if owner in self._directories else None
        return self._owners[module_name]

    def catalogue(self, plugin: str | None, core: Any) -> Any:
        """``plugin``'s catalogue in the language of ``core`` (the core's catalogue)."""
        if plugin is None or plugin not in self._directories:
            return core
        key = (plugin, id(core))
        kept = self._merged.get(key)
        if kept is not None and kept[0] is core:
            return kept[1]
        from flask_babel import get_locale

        merged = support.Translations()
        for layer in (core, support.Translations.load(self._directories[plugin], [get_locale()])):
            merged.merge(layer)
            if hasattr(layer, "plural"):  # merge() copies the messages only (as Flask-Babel)
                merged.plural = layer.plural
        if len(self._merged) >= _MERGED_LIMIT:  # Flask-Babel's cache was dropped: start over
            self._merged.clear()
        self._merged[key] = (core, merged)
        return merged


def install(app: Any, plugins: Iterable[Any]) -> None:
    """Give ``app`` its plugins' catalogues (``plugins``: the registry's ``LoadedPlugin``s)."""
    app.extensions[EXTENSION] = PluginCatalogues(
        (p.name, _package_of(p.module, p.translations_dir), p.translations_dir) for p in plugins
    )


def _package_of(module: ModuleType, translations: Path | None) -> str:
    """The modules a plugin's catalogue serves: its package (the folder holding ``plugin.py``
    and ``translations/``), or the plugin module alone when it has no catalogue."""
    if hasattr(module, "__path__") or translations is None:
        return module.__name__
    return module.__name__.rpartition(".")[0] or module.__name__


def current_catalogue() -> Any:
    """The core's catalogue Flask-Babel translates this request (or app context) with, if any."""
    catalogue = kept_catalogue()
    if catalogue is None:
        from flask_babel import get_translations

        if not has_app_context():
            return None
        catalogue = get_translations()  # also keeps it for the rest of the request
    return catalogue


def catalogue_of(plugin: str | None) -> Any:
    """``plugin``'s catalogue (the core's for ``None``) in the current language, if any."""
    core = current_catalogue()
    if core is None or plugin is None:
        return core
    catalogues = current_app.extensions.get(EXTENSION)
    return core if catalogues is None else catalogues.catalogue(plugin, core)


def module_catalogue(module_name: str) -> Any:
    """The catalogue for strings written in module ``module_name``, if any."""
    core = current_catalogue()
    if core is None:
        return None
    catalogues = current_app.extensions.get(EXTENSION)
    if catalogues is None:
        return core
    return catalogues.catalogue(catalogues.plugin_of(module_name), core)


def translate(module_name: str, string: str, /, **variables: Any) -> str:
    """Flask-Babel's ``gettext`` for a string written in ``module_name``."""
    catalogue = module_catalogue(module_name)
    text = string if catalogue is None else catalogue.ugettext(string)
    return text % variables if variables else text  # type: ignore[no-any-return]


def translate_plural(
    module_name: str, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    """Flask-Babel's ``ngettext`` (``num`` filled in) for strings written in ``module_name``."""
    variables.setdefault("num", num)
    catalogue = module_catalogue(module_name)
    if catalogue is None:
        text = singular if num == 1 else plural
    else:
        text = catalogue.ungettext(singular, plural, num)
    return text % variables  # type: ignore[no-any-return]


def lazy_translate(module_name: str, string: str, /, **variables: Any) -> LazyString:
    """A lazy string (``_l``) translated, when shown, from ``module_name``'s catalogue."""
    return LazyString(translate, module_name, string, **variables)


class Translations:
    """What ``sdk.translations_for(__name__)`` hands out: the module's plugin catalogue."""

    __slots__ = ("module_name",)

    def __init__(self, module_name: str) -> None:
        self.module_name = module_name

    def gettext(self, string: str, /, **variables: Any) -> str:
        return translate(self.module_name, string, **variables)

    def ngettext(self, singular: str, plural: str, num: int, /, **variables: Any) -> str:
        return translate_plural(self.module_name, singular, plural, num, **variables)

    def lazy_gettext(self, string: str, /, **variables: Any) -> LazyString:
        return lazy_translate(self.module_name, string, **variables)


# -- templates ---------------------------------------------------------------------------------


@pass_eval_context
def template_gettext(eval_ctx: Any, plugin: str, string: str, /, **variables: Any) -> str:
    """A plugin template's ``_()``/``gettext()`` answered at render time (it has variables):
    Jinja's newstyle ``gettext`` (autoescape, ``%`` formatting) on the plugin's catalogue."""
    text = catalogue_of(plugin).ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - as Jinja's own newstyle gettext does
    return text % variables  # type: ignore[no-any-return]


@pass_eval_context
def template_ngettext(
    eval_ctx: Any, plugin: str, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    """A plugin template's ``ngettext()``: Jinja's newstyle ``ngettext`` on its catalogue."""
    variables.setdefault("num", num)
    text = catalogue_of(plugin).ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - as Jinja's own newstyle gettext does
    return text % variables  # type: ignore[no-any-return]
