"""The platform's Jinja environment: templates compiled once per catalogue.

A page asks for some twenty-five fixed strings (``{{ _("Sign out") }}``). Each one is a call
through Jinja's ``Context.call`` and the catalogue at every render, although its answer only
depends on the catalogue. So a template is compiled once per catalogue it is rendered with
(one per language), and ``_("literal")`` / ``gettext("literal")`` become constants of that
compilation, marked safe as the newstyle ``gettext`` marks them. Calls with variables, with a
non-literal argument, and translations holding ``%`` stay calls, answered at render time.

A plugin's template is compiled with the plugin's catalogue (``ent_core.catalogues``: its own
translations over the core's), and its calls left for render time are pointed at that catalogue
too, so two plugins may translate one English string each their own way.
"""

from __future__ import annotations

import weakref
from contextvars import ContextVar
from typing import Any

from flask.templating import Environment as FlaskEnvironment
from jinja2 import Template, TemplateNotFound, nodes
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from ent_core.catalogues import EXTENSION, current_catalogue

__all__ = ["GETTEXT_NAMES", "Environment", "current_catalogue"]

#: The catalogue (and plugin, ``None`` for the core) of the template being compiled.
_compiling_for: ContextVar[tuple[Any, str | None] | None] = ContextVar(
    "ent_compiling_for", default=None
)

#: The names templates translate with: the platform binds both to the request's catalogue.
GETTEXT_NAMES = frozenset({"_", "gettext"})
#: A plugin template's calls answered at render time go to its own catalogue through these.
_PLUGIN_CALLS = {
    "_": "ent_core.catalogues.template_gettext",
    "gettext": "ent_core.catalogues.template_gettext",
    "ngettext": "ent_core.catalogues.template_ngettext",
}


class _Template(Template):
    """Jinja's template, with the question "does the importing page have globals this
    template lacks?" asked in C: Jinja asks it on every ``{% from ... import %}`` (each
    widget and form page imports macros) by subtracting a ``ChainMap``'s key view, one
    Python call per global, about 140 calls per import. Same answer."""

    def _get_default_module(self, ctx: Any = None) -> Any:
        if ctx is not None:
            maps = getattr(self.globals, "maps", None)
            missing = (
                ctx.globals_keys.difference(*maps)
                if maps is not None
                else ctx.globals_keys.difference(self.globals)
            )
            if missing:
                return self.make_module({k: ctx.parent[k] for k in missing})
        return super()._get_default_module()


class Environment(FlaskEnvironment):
    """Flask's environment; templates are cached per name *and* catalogue (see the module)."""

    template_class = _Template

    def _load_template(self, name: str, globals: Any) -> Any:
        catalogue = current_catalogue() if self.bytecode_cache is None else None
        if catalogue is None or self.loader is None or self.cache is None:
            return super()._load_template(name, globals)
        plugin = self._owner(name)
        if plugin is not None:
            catalogue = self.app.extensions[EXTENSION].catalogue(plugin, catalogue)
        # As Jinja's own, with the catalogue in the key and set for the compilation.
        key = (weakref.ref(self.loader), name, catalogue)
        template = self.cache.get(key)
        if template is not None and (not self.auto_reload or template.is_up_to_date):
            if globals:
                template.globals.update(globals)
            return template
        token = _compiling_for.set((catalogue, plugin))
        try:
            template = self.loader.load(self, name, self.make_globals(globals))
        finally:
            _compiling_for.reset(token)
        self.cache[key] = template
        return template

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        compiling = _compiling_for.get()
        if compiling is not None:
            _FixedStrings(*compiling).visit(tree)
        return tree

    def _owner(self, name: str) -> str | None:
        """The plugin whose template ``name`` is (``None``: the core's), asked once per name.

        The loader Flask would take it from decides, in Flask's order: the application's
        folder first (an operator's override belongs to the core), then each blueprint's."""
        owners: dict[str, str | None] = self.__dict__.setdefault("_ent_owners", {})
        if name in owners:
            return owners[name]
        owner = None
        sources = [(None, self.app.jinja_loader)]
        sources += [
            (getattr(bp, "ent_plugin", None), bp.jinja_loader) for bp in self.app.iter_blueprints()
        ]
        for plugin, loader in sources:
            if loader is None:
                continue
            try:
                loader.get_source(self, name)
            except TemplateNotFound:
                continue
            owner = plugin
            break
        owners[name] = owner
        return owner


class _FixedStrings(NodeTransformer):
    """``_("literal")`` -> the translation, as the render-time call would answer it; in a
    plugin's template, the other calls -> calls on the plugin's catalogue."""

    def __init__(self, catalogue: Any, plugin: str | None) -> None:
        self.catalogue = catalogue
        self.plugin = plugin

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        self.generic_visit(node)
        fixed = self._fixed(node)
        if fixed is not None:
            return fixed
        callee = node.node
        if (
            self.plugin is not None
            and isinstance(callee, nodes.Name)
            and callee.name in _PLUGIN_CALLS
        ):
            node.node = nodes.ImportedName(_PLUGIN_CALLS[callee.name], lineno=node.lineno)
            node.args = [nodes.Const(self.plugin), *node.args]
        return node

    def _fixed(self, node: nodes.Call) -> nodes.Node | None:
        callee, args = node.node, node.args
        if not (
            isinstance(callee, nodes.Name)
            and callee.name in GETTEXT_NAMES
            and len(args) == 1
            and isinstance(args[0], nodes.Const)
            and type(args[0].value) is str
            and not node.kwargs
            and node.dyn_args is None
            and node.dyn_kwargs is None
        ):
            return None
        text = self.catalogue.ugettext(args[0].value)
        if "%" in text:  # the call formats it with its variables: leave it to render time
            return None
        return nodes.MarkSafeIfAutoescape(nodes.Const(text), lineno=node.lineno)


def bdi(value: Any) -> Markup:
    """``{{ name|bdi }}``: user-supplied or mixed-direction text isolated from the sentence
    around it, in its own direction (``<bdi>``: ``unicode-bidi: isolate``, ``dir=auto``)."""
    return Markup("<bdi>%s</bdi>") % value


def ltr(value: Any) -> Markup:
    """``{{ invoice.number|ltr }}``: a number, date or code that always reads left to right,
    isolated, so ``2026-000004`` never shows as ``000004-2026`` on an Arabic page."""
    return Markup('<bdi dir="ltr">%s</bdi>') % value


#: Registered on the app by ``ent_core.app`` (docs/i18n.md, "Mixed-direction text").
BIDI_FILTERS = {"bdi": bdi, "ltr": ltr}
