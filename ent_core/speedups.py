"""The performance layer: per-process caches and the overrides of Flask, Flask-Babel and Jinja.

Everything here answers what the libraries would answer, from memory (docs/performance.md
tells what each saves). Caches are ``BoundedCache``s of ``CACHE_LIMIT`` entries. The code
that leans on a library's *private* API is marked "PRIVATE API" below; pyproject.toml pins
those libraries to the ranges tested, and tests/test_speedups.py fails when one of them
changes underneath (the attribute is gone, or the override no longer has its effect).
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from types import FunctionType
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import Babel, Domain, get_locale, get_timezone, get_translations

# PRIVATE API: Flask-Babel's per-request state (``g._flask_babel``: ``babel_locale``,
# ``babel_tzinfo``, ``babel_translations``), or ``None`` outside a context.
from flask_babel import _get_current_context as babel_state
from jinja2 import pass_context
from markupsafe import Markup, escape

from ent_core.context import current_g
from ent_core.i18n import LANGUAGE_NAMES, RTL_LANGUAGES
from ent_core.templating import Environment, current_catalogue
from ent_core.tenancy import add_workspace_slug, current_workspace, signed_in_user

#: Bound of every per-process cache of this module.
CACHE_LIMIT = 4096

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(dict[K, V]):
    """A dictionary of at most ``limit`` entries: a new entry beyond it evicts the oldest.

    Not least-recently-used on purpose: a hit is ``dict.get`` itself, with no Python call
    (a dashboard looks up some forty answers), and the entries are cheap to make again.
    Safe across a worker's threads: two threads may both compute a missing value (the last
    one stays), never grow past the bound.
    """

    __slots__ = ("_lock", "limit")

    def __init__(self, limit: int = CACHE_LIMIT) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self.limit = limit

    def put(self, key: K, value: V) -> None:
        """Keep ``value``; the oldest entry goes if the cache is full."""
        with self._lock:
            if key not in self and len(self) >= self.limit:
                del self[next(iter(self))]
            self[key] = value


# -- Flask -----------------------------------------------------------------------------------
_SYNC_MARK = "_ent_checked_sync"


class Platform(Flask):
    """Flask, with two documented override points answering from memory."""

    jinja_environment = Environment

    def ensure_sync(self, func: Any) -> Any:
        """Flask asks this for every view, hook and context processor of every request (about
        35 times a page), and each answer inspects the code flags again: a mark on a plain
        function answers instead. The mark lives on the function, so functions made for one
        request (``after_this_request``) go with it."""
        if type(func) is not FunctionType:
            return super().ensure_sync(func)
        if _SYNC_MARK in func.__dict__:
            return func
        checked = super().ensure_sync(func)
        if checked is func:
            func.__dict__[_SYNC_MARK] = True
        return checked

    def update_template_context(self, context: dict[str, Any]) -> None:
        """Context processors run once per request, not once per template: a page renders
        several (the dashboard: itself and each plugin's widget). Run again if the signed-in
        user, the workspace or the catalogue changed since (``login_user``, a mail rendered
        under ``force_locale``). Values passed to ``render_template`` still win."""
        if not request:
            super().update_template_context(context)
            return
        kept_on = vars(current_g())
        kept = kept_on.get("_ent_template_context")
        if kept is None or any(
            a is not b for a, b in zip(kept[0], _template_state(kept_on), strict=True)
        ):
            injected: dict[str, Any] = {}
            super().update_template_context(injected)
            kept = kept_on["_ent_template_context"] = (_template_state(kept_on), injected)
        given = context.copy()
        context.update(kept[1])
        context.update(given)


def _template_state(kept_on: dict[str, Any]) -> tuple[Any, Any, Any]:
    """What the context processors' answers depend on: the user, the workspace, the locale.

    PRIVATE API: Flask-Login's ``g._login_user`` and Flask-Babel's ``g._flask_babel``
    (``babel_locale``; ``force_locale`` swaps it). ``kept_on``: ``g``'s dict.
    """
    return (
        kept_on.get("_login_user"),
        kept_on.get("ent_workspace"),
        getattr(kept_on.get("_flask_babel"), "babel_locale", None),
    )


def forget_request_caches(exc: BaseException | None = None) -> None:
    """Drop what this module keeps on ``g`` for one request.

    In production the application context, and ``g`` with it, ends with the request; a test
    that pushes one application context around several requests keeps ``g`` between them.
    """
    for key in ("ent_links", "_ent_template_context"):
        g.pop(key, None)


# -- Flask-Babel -----------------------------------------------------------------------------
def keep_catalogue_per_request(babel: Babel, domain: str) -> None:
    """Flask-Babel looks the locale and catalogue up again for every string it translates.

    PRIVATE API: its default domain (the ``domain_instance`` cached property) is swapped for
    one that keeps the request's catalogue where Flask-Babel itself expects it
    (``babel_translations`` on its per-request state, which ``refresh()`` and
    ``force_locale()`` clear and restore), so lazy strings and ``gettext`` in views cost a
    lookup, not four.
    """
    current = vars(babel).get("domain_instance")
    if isinstance(current, RequestCatalogueDomain) and current.domain == domain.split(";"):
        return
    babel.domain_instance = RequestCatalogueDomain(domain=domain)  # type: ignore[misc]


class RequestCatalogueDomain(Domain):
    def get_translations(self) -> Any:
        ctx = babel_state()
        if ctx is None:
            return super().get_translations()
        translations = getattr(ctx, "babel_translations", None)
        if translations is None:
            translations = ctx.babel_translations = super().get_translations()
        return translations


def remembered_dates(babel_filter: Any) -> Any:
    """Flask-Babel's date filter ``babel_filter``, with its answers kept per process.

    A listing formats twenty dates a page, each through Babel's pattern machinery (about a
    hundred calls), and the same ones on every request. The answer depends only on the value
    (its time zone too), the format, the language and the reader's time zone, which make the
    key; the current time (no value) is never kept.
    """

    def date_filter(value: Any = None, format: str | None = None, rebase: bool = True) -> str:
        if value is None:
            return babel_filter(value, format, rebase)  # type: ignore[no-any-return]
        state = babel_state()  # what get_locale/get_timezone keep per request
        locale = getattr(state, "babel_locale", None) or get_locale()
        key = (
            babel_filter,
            type(value),
            value,
            getattr(value, "tzinfo", None),
            format,
            rebase,
            None if locale is None else (locale.language, locale.territory, locale.script),
            locale and locale.variant,
            str(getattr(state, "babel_tzinfo", None) or get_timezone()),
        )
        text = _formatted_dates.get(key)
        if text is None:
            text = babel_filter(value, format, rebase)
            _formatted_dates.put(key, text)
        return text  # type: ignore[no-any-return]

    return date_filter


#: What the date filters answered, per value, format, language and time zone.
_formatted_dates: BoundedCache[tuple[Any, ...], str] = BoundedCache()


# -- template context ------------------------------------------------------------------------
#: Per catalogue (one per language): what templates get from the request's language.
_language_contexts: BoundedCache[int, tuple[Any, tuple[str, ...], dict[str, Any]]] = BoundedCache()


def language_context() -> dict[str, Any]:
    """``lang``, ``text_direction``, ``language_names`` and ``gettext``/``ngettext`` bound to
    the request's catalogue (Flask-Babel's own callables look the request's locale and
    catalogue up again for every string): built once per catalogue and process."""
    translations = current_catalogue() or get_translations()
    languages = current_app.config["ENT_LANGUAGES"]
    cached = _language_contexts.get(id(translations))
    if cached is not None and cached[0] is translations and cached[1] == languages:
        return cached[2]  # type: ignore[no-any-return]
    lang = str(get_locale() or "fr")
    context = {
        **_bound_gettext(translations),
        "lang": lang,
        "text_direction": "rtl" if lang in RTL_LANGUAGES else "ltr",
        "language_names": {code: LANGUAGE_NAMES.get(code, code) for code in languages},
    }
    if has_request_context():  # outside one, Flask-Babel hands out a new empty catalogue
        _language_contexts.put(id(translations), (translations, languages, context))
    return context


def _bound_gettext(translations: Any) -> dict[str, Any]:
    """Jinja's "newstyle" ``gettext``/``ngettext`` (autoescape, ``%`` formatting), one catalogue.

    Same behaviour as the callables Flask-Babel installs in ``app.jinja_env``; templates resolve
    ``_``, ``gettext``, ``ngettext`` and ``{% trans %}`` through the context, so these win.
    A string without variables always gives the same answer in one catalogue: it is kept
    (a page asks for some twenty-five of them).
    """

    plain: BoundedCache[tuple[str, bool], str] = BoundedCache()  # answers without variables

    @pass_context
    def gettext(__context: Any, __string: str, **variables: Any) -> str:
        autoescape = __context.eval_ctx.autoescape
        key = (__string, autoescape)
        if not variables and type(__string) is str:
            kept = plain.get(key)
            if kept is not None:
                return kept  # type: ignore[no-any-return]
        rv = translations.ugettext(__string)
        if autoescape:
            rv = Markup(rv)  # noqa: S704 - as Jinja's own newstyle gettext does
        rv = rv % variables
        if not variables and type(__string) is str:
            plain.put(key, rv)
        return rv  # type: ignore[no-any-return]

    @pass_context
    def ngettext(
        __context: Any, __singular: str, __plural: str, __num: int, **variables: Any
    ) -> str:
        variables.setdefault("num", __num)
        rv = translations.ungettext(__singular, __plural, __num)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)  # noqa: S704 - as Jinja's own newstyle gettext does
        return rv % variables  # type: ignore[no-any-return]

    # ``_`` too: Jinja's own ``_`` is an alias that looks ``gettext`` up and calls it again.
    return {"gettext": gettext, "ngettext": ngettext, "_": gettext}


def language_url(code: str) -> str:
    """This page (path and query) in language ``code``: what the language switcher links to."""
    req = request._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup
    key = (req.script_root, req.path, req.query_string, code)
    url = _language_urls.get(key)
    if url is None:
        args = [(k, v) for k, v in req.args.items(multi=True) if k != "lang"]
        path = quote(req.script_root + req.path, safe="/:@!$&'()*+,;=")
        url = path + "?" + urlencode([*args, ("lang", code)])
        _language_urls.put(key, url)
    return url  # type: ignore[no-any-return]


#: ``language_url``'s answers: a function of the address alone (a page asks five times).
_language_urls: BoundedCache[tuple[str, str, bytes, str], str] = BoundedCache()


# -- links and icons -------------------------------------------------------------------------
def icon(name: str, label: str | None = None, *, directional: bool = False) -> Markup:
    """An icon of ``static/icons.svg`` (docs/ui.md); decorative unless given a ``label``.

    ``directional`` icons (arrows) are mirrored on right-to-left pages. Decorative icons are
    built once per process and sprite address: a page shows a dozen of them.
    """
    from ent_core.assets import asset_url

    sprite = asset_url("icons.svg")
    key = (sprite, name, directional)
    if not label:
        cached = _icons.get(key)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
    href = escape(f"{sprite}#{name}")
    classes = "icon directional" if directional else "icon"
    extra = f' role="img" aria-label="{escape(label)}"' if label else ' aria-hidden="true"'
    markup = Markup(  # noqa: S704 - every variable part is escaped above
        f'<svg class="{classes}"{extra} focusable="false"><use href="{href}"></use></svg>'
    )
    if not label:
        _icons.put(key, markup)
    return markup


_icons: BoundedCache[tuple[str, str, bool], Markup] = BoundedCache()


def template_url_for(endpoint: str, **values: Any) -> str:
    """Templates' ``url_for``: a link is built once per process, workspace and address.

    The URL map is fixed once the app serves, and the only URL default of the platform is the
    workspace slug (``add_workspace_slug``), which is part of the key. Links with other
    values than strings and numbers, relative endpoints, calls outside a request, and every
    call once a plugin registers URL defaults of its own go to Flask's ``url_for``.
    """
    kept = vars(current_g())
    workspace = kept.get("ent_workspace")
    scope = kept.get("ent_links")  # dropped at the end of each request (forget_request_caches)
    if scope is None or scope[0] is not workspace:
        scope = g.ent_links = (workspace, _link_table(workspace, _request_or_none()))
    table = scope[1]
    if (
        table is None
        or endpoint[:1] == "."
        or (values and not all(type(v) in (str, int) for v in values.values()))
    ):
        return url_for(endpoint, **values)
    key = (endpoint, *sorted(values.items())) if values else endpoint
    url = table.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        table.put(key, url)
    return url  # type: ignore[no-any-return]


def _request_or_none() -> Any:
    return request._get_current_object() if has_request_context() else None  # type: ignore[attr-defined]


def _link_table(workspace: Any, req: Any) -> BoundedCache[Any, str] | None:
    """The links cached for this workspace slug and address (``None``: do not cache)."""
    if req is None:
        return None
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    tables = app.extensions.get("ent.links")
    if tables is None:
        ours = all(
            not functions or (owner is None and functions == [add_workspace_slug])
            for owner, functions in app.url_default_functions.items()
        )
        tables = app.extensions["ent.links"] = BoundedCache() if ours else False
    if tables is False:
        return None
    scope = (
        workspace.slug if workspace is not None else None,
        req.script_root,
        req.host,
        req.scheme,
    )
    table = tables.get(scope)
    if table is None:
        table = BoundedCache()
        tables.put(scope, table)
    return table  # type: ignore[no-any-return]


# -- the sidebar -----------------------------------------------------------------------------
def workspace_nav() -> tuple[tuple[tuple[Any, str, Markup], ...], str, str]:
    """The sidebar of ``base.html``: (item, url, link markup) triples in order, the current
    section's url (the longest link the address starts with) and the address itself."""
    path = request.path
    links = _nav_links()
    active = ""
    for _, url, _ in links:
        if len(url) > len(active) and path.startswith(url):
            active = url
    return links, active, path


#: The sidebar's links, kept per workspace (slug, modules on and activation serial: a module
#: switched on or off, or its settings saved, starts afresh), the reader's permissions there,
#: language and script root. ``ent_nav_items`` answers may depend on nothing else
#: (docs/plugin_hooks.md).
_nav_cache: BoundedCache[tuple[Any, ...], tuple[tuple[Any, str, Markup], ...]] = BoundedCache()


def _nav_links() -> tuple[tuple[Any, str, Markup], ...]:
    from ent_core.permissions import _granted_here
    from ent_core.ui import workspace_nav_items

    workspace = current_workspace()
    user = signed_in_user()
    if workspace is None or not user.is_authenticated:
        return ()
    key = (
        workspace.id,
        workspace.slug,
        workspace.activation_serial,
        # the modules on too: a workspace id can come back after a delete (SQLite reuses the
        # highest one; tests empty the database) with its serial starting again
        current_app.extensions["ent"].enabled_for(workspace),
        True if user.is_admin else _granted_here(),
        language_context()["lang"],
        request.script_root,
    )
    links = _nav_cache.get(key)
    if links is None:
        links = tuple(
            (
                item,
                template_url_for(item.endpoint),
                (icon(item.icon) if item.icon else Markup(""))
                + Markup("<span>")
                + escape(item.label)  # as ``{{ item.label }}`` did: labels may be markup
                + Markup("</span>"),
            )
            for item in workspace_nav_items()
        )
        _nav_cache.put(key, links)
    return links  # type: ignore[no-any-return]


def install(app: Flask, babel: Babel) -> None:
    """Put the layer in place on ``app`` (``create_app`` calls it once Babel is set up)."""
    keep_catalogue_per_request(babel, app.extensions["babel"].default_domain)
    app.teardown_request(forget_request_caches)
    app.add_template_global(icon)
    app.add_template_global(template_url_for, "url_for")
    for name in ("dateformat", "datetimeformat", "timeformat"):
        app.jinja_env.filters[name] = remembered_dates(app.jinja_env.filters[name])
