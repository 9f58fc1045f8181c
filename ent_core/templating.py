"""The platform's Jinja environment: templates compiled once per catalogue.

A page asks for some twenty-five fixed strings (``{{ _("Sign out") }}``). Each one is a call
through Jinja's ``Context.call`` and the catalogue at every render, although its answer only
depends on the catalogue. So a template is compiled once per catalogue it is rendered with
(one per language), and ``_("literal")`` / ``gettext("literal")`` become constants of that
compilation, marked safe as the newstyle ``gettext`` marks them. Calls with variables, with a
non-literal argument, and translations holding ``%`` stay calls, answered at render time.
"""

from __future__ import annotations

import weakref
from contextvars import ContextVar
from typing import Any

from flask.templating import Environment as FlaskEnvironment
from jinja2 import Template, nodes
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from ent_core.lazytext import kept_catalogue

#: The catalogue the template being compiled is for (set while ``_load_template`` compiles).
_compiling_for: ContextVar[Any] = ContextVar("ent_compiling_for", default=None)

#: The names templates translate with: the platform binds both to the request's catalogue.
GETTEXT_NAMES = frozenset({"_", "gettext"})


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
        # As Jinja's own, with the catalogue in the key and set for the compilation.
        key = (weakref.ref(self.loader), name, catalogue)
        template = self.cache.get(key)
        if template is not None and (not self.auto_reload or template.is_up_to_date):
            if globals:
                template.globals.update(globals)
            return template
        token = _compiling_for.set(catalogue)
        try:
            template = self.loader.load(self, name, self.make_globals(globals))
        finally:
            _compiling_for.reset(token)
        self.cache[key] = template
        return template

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        catalogue = _compiling_for.get()
        if catalogue is not None:
            _FixedStrings(catalogue).visit(tree)
        return tree


def current_catalogue() -> Any:
    """The catalogue Flask-Babel translates this request (or app context) with, if any."""
    catalogue = kept_catalogue()
    if catalogue is None:
        from flask import has_app_context
        from flask_babel import get_translations

        if not has_app_context():
            return None
        catalogue = get_translations()  # also keeps it for the rest of the request
    return catalogue


class _FixedStrings(NodeTransformer):
    """``_("literal")`` -> the translation, as the render-time call would answer it."""

    def __init__(self, catalogue: Any) -> None:
        self.catalogue = catalogue

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        self.generic_visit(node)
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
            return node
        text = self.catalogue.ugettext(args[0].value)
        if "%" in text:  # the call formats it with its variables: leave it to render time
            return node
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
