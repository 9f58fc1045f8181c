"""The application factory."""

from __future__ import annotations

import functools
import json
import logging
from operator import attrgetter
from pathlib import Path
from types import FunctionType, ModuleType
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    g,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import Babel
from flask_wtf.csrf import CSRFError
from jinja2 import pass_context
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from ent_core import catalogues, input_guard, operator_settings
from ent_core import config as config_module
from ent_core.api.errors import HTTP_CODES, ApiError
from ent_core.charter.gate import enforce_charter
from ent_core.context import current_g
from ent_core.db import db
from ent_core.errors import UserError
from ent_core.events.catalogue import EventCatalogue
from ent_core.i18n import ensure_compiled
from ent_core.identity import csrf
from ent_core.identity.login import login_manager
from ent_core.permissions import PermissionRegistry, has_permission
from ent_core.plugins import PluginRegistry, discover
from ent_core.security_headers import SecurityHeaders, request_id
from ent_core.templating import BIDI_FILTERS, Environment, current_catalogue
from ent_core.tenancy import (
    NotEnabledHere,
    WorkspaceSuspended,
    add_workspace_slug,
    current_membership,
    current_workspace,
    mount_blueprints,
    pull_workspace,
    signed_in_user,
)
from ent_core.uploads import configure_pillow

babel = Babel()
LANGUAGE_NAMES = {"fr": "Français", "en": "English", "ar": "العربية"}
RTL_LANGUAGES = frozenset({"ar"})


_SYNC_MARK = "_ent_checked_sync"


class _Platform(Flask):
    """Flask, with ``ensure_sync`` (Flask's documented override point) answering from a mark
    on plain functions: Flask asks it for every view, hook and context processor of every
    request (about 35 times a page), and each answer inspects the code flags again. The mark
    lives on the function, so functions made for one request (``after_this_request``) go
    with it."""

    jinja_environment = Environment

    def ensure_sync(self, func: Any) -> Any:
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
    """What the context processors' answers depend on: the user, the workspace, the locale
    (Flask-Babel's per-request state; ``force_locale`` swaps it). ``kept_on``: ``g``'s dict."""
    return (
        kept_on.get("_login_user"),
        kept_on.get("ent_workspace"),
        getattr(kept_on.get("_flask_babel"), "babel_locale", None),
    )


def create_app(
    config: dict[str, Any] | None = None,
    *,
    plugin_modules: list[ModuleType] | None = None,
) -> Flask:
    """Build the platform. ``config`` overrides the environment (tests use it)."""
    settings = config_module.load(**(config or {}))
    app = _Platform("ent_core", instance_path=settings["ENT_INSTANCE_PATH"])
    app.config.update(settings)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _configure_logging(app)

    if app.config["ENT_PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["ENT_PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    configure_pillow(app.config["ENT_UPLOAD_MAX_PIXELS"])
    input_guard.install(app)  # before any route: the URL converters apply when rules are added
    db.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)  # CSRF by authentication method, stateless API answers

    registry = PluginRegistry()
    modules = discover(app.config.get("ENT_PLUGINS"))
    modules += [(m, None) for m in plugin_modules or ()]
    registry.load(modules)
    app.extensions["ent"] = registry
    app.extensions["ent.operator_settings"] = operator_settings.load(
        app.config["ENT_PLUGIN_CONFIGURATION"], {p.name: p.meta for p in registry.ordered()}
    )

    permissions = PermissionRegistry()
    permissions.load(
        [(a.source, p) for a in registry.answers("ent_permissions") for p in a.value],
        [(a.source, r) for a in registry.answers("ent_roles") for r in a.value],
    )
    app.extensions["ent.permissions"] = permissions
    app.extensions["ent.events"] = EventCatalogue(registry)

    core_translations = str(Path(__file__).parent / "translations")
    # Flask-Babel's domain is the core's alone; each plugin's catalogue lies over it for that
    # plugin's code and templates only (ent_core/catalogues.py).
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = core_translations
    ensure_compiled(  # install compiles them; this covers a fresh checkout
        [core_translations]
        + [str(p.translations_dir) for p in registry.ordered() if p.translations_dir]
    )
    catalogues.install(app, registry.ordered())
    babel.init_app(app, locale_selector=select_locale)
    _keep_catalogue_per_request(babel, app.extensions["babel"].default_domain)

    mount_blueprints(app, registry)
    registry.hook.ent_cli_commands(cli=app.cli)
    from ent_core.cli import core_commands

    for command in core_commands:
        app.cli.add_command(command)

    app.url_value_preprocessor(pull_workspace)
    app.url_defaults(add_workspace_slug)
    app.before_request(_start_request)
    app.before_request(input_guard.refuse_invalid_query)
    app.before_request(enforce_charter)
    app.after_request(SecurityHeaders(app.config))
    app.teardown_request(_forget_request_caches)
    _register_error_handlers(app)
    _register_template_helpers(app)
    if app.config["ENT_GC_FREEZE"]:
        _freeze_start_up()
    return app


def _freeze_start_up() -> None:
    """Move what start-up built (modules, mappers, plugins, catalogues: some 190,000 objects)
    to the collector's permanent generation, as Python's ``gc.freeze`` documentation advises
    for servers: otherwise every full collection scans them again, a pause of tens of
    milliseconds that stalls every thread of the worker (docs/performance.md)."""
    import gc

    gc.collect()  # start-up's own garbage goes first: frozen objects are never collected
    gc.freeze()


def select_locale() -> str:
    """``?lang=`` (kept in the session), then the user's saved choice, Accept-Language, French.

    A choice made with the language switcher sticks for the rest of the session, even over the
    saved profile language: otherwise a signed-in user's switch would last one page only.
    """
    if not has_request_context():  # CLI and jobs: messages in the platform's default language
        return current_app.config.get("BABEL_DEFAULT_LOCALE", "fr")
    languages = _languages()
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
        return asked
    chosen = session.get("lang")
    if chosen in languages:
        return chosen  # type: ignore[no-any-return]
    user = signed_in_user()
    if user and user.is_authenticated and user.locale in languages:
        return user.locale  # type: ignore[no-any-return]
    return request.accept_languages.best_match(languages) or "fr"


def _keep_catalogue_per_request(babel_: Babel, domain: str) -> None:
    """Flask-Babel looks the locale and catalogue up again for every string it translates.

    Its default domain is swapped for one that keeps the request's catalogue where Flask-Babel
    itself expects it (``babel_translations``, which ``refresh()`` and ``force_locale()``
    clear and restore), so lazy strings and ``gettext`` in views cost a lookup, not four.
    """
    current = vars(babel_).get("domain_instance")  # a cached_property of Flask-Babel's
    if _Domain is object or (
        isinstance(current, _RequestCatalogueDomain) and current.domain == domain.split(";")
    ):
        return
    babel_.domain_instance = _RequestCatalogueDomain(domain=domain)  # type: ignore[misc]


try:
    from flask_babel import Domain as _Domain
    from flask_babel import _get_current_context
except ImportError:  # pragma: no cover - a Flask-Babel without them: keep its own domain
    _Domain = object  # type: ignore[assignment,misc]

    def _get_current_context() -> Any:  # the date filters then ask Flask-Babel each time
        return None


class _RequestCatalogueDomain(_Domain):  # type: ignore[misc,valid-type]
    def get_translations(self) -> Any:
        ctx = _get_current_context()
        if ctx is None:
            return super().get_translations()
        translations = getattr(ctx, "babel_translations", None)
        if translations is None:
            translations = ctx.babel_translations = super().get_translations()
        return translations


def language_url(code: str) -> str:
    """This page (path and query) in language ``code``: what the language switcher links to."""
    req = request._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup
    key = (req.script_root, req.path, req.query_string, code)
    url = _language_urls.get(key)
    if url is None:
        args = [(k, v) for k, v in req.args.items(multi=True) if k != "lang"]
        path = quote(req.script_root + req.path, safe="/:@!$&'()*+,;=")
        url = path + "?" + urlencode([*args, ("lang", code)])
        if len(_language_urls) >= _CACHE_LIMIT:
            _language_urls.clear()
        _language_urls[key] = url
    return url


#: ``language_url``'s answers: a function of the address alone (a page asks five times).
_language_urls: dict[tuple[str, str, bytes, str], str] = {}


def _languages() -> tuple[str, ...]:
    return current_app.config["ENT_LANGUAGES"]


def _configure_logging(app: Flask) -> None:
    class RequestContextFilter(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            record.request_id = g.get("request_id", "-") if has_request_context() else "-"
            workspace = g.get("ent_workspace") if has_request_context() else None
            record.workspace = workspace.slug if workspace is not None else "-"
            return True

    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s ws=%(workspace)s] %(message)s"
        )
    )
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger("ent_core")
    # On the logger too, so every record it makes carries the ids, whatever handler gets it
    # (one filter: an app built again replaces the previous app's).
    for old in [f for f in root.filters if type(f).__name__ == "RequestContextFilter"]:
        root.removeFilter(old)
    root.addFilter(RequestContextFilter())
    if not any(getattr(h, "_ent", False) for h in root.handlers):
        handler._ent = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(logging.INFO if app.config["ENT_ENV"] != "testing" else logging.WARNING)


def _start_request() -> None:
    g.request_id = request_id(request.headers.get("X-Request-ID"))


def _forget_request_caches(exc: BaseException | None = None) -> None:
    """Drop what this module keeps on ``g`` for one request.

    In production the application context, and ``g`` with it, ends with the request; a test
    that pushes one application context around several requests keeps ``g`` between them.
    """
    for key in ("ent_links", "_ent_template_context"):
        g.pop(key, None)


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(UserError)
    def user_error(exc: UserError) -> Any:
        """Every refusal: rolled back, then JSON under /api/, a flash or an error page else."""
        if isinstance(exc, input_guard.InvalidCharacters):
            _log_refusal(app, exc)
        db.session.rollback()  # half-done work never stays (the net may even stop a flush)
        if _is_api_request():
            return exc.response()
        if request.method in ("GET", "HEAD"):
            page = render_template("errors/error.html", status=exc.status, message=exc.message)
            return page, exc.status
        flash(str(exc.message), "error")
        return redirect(_back_url(), 303)

    @app.errorhandler(NotEnabledHere)
    def not_enabled(exc: NotEnabledHere) -> Any:
        from flask_babel import gettext

        message = gettext("This feature is not enabled for this workspace.")
        if _is_api_request():
            return ApiError("not_found", message, 404, {"plugin": str(exc)}).response()
        return render_template("errors/error.html", status=404, message=message), 404

    @app.errorhandler(WorkspaceSuspended)
    def workspace_suspended(exc: WorkspaceSuspended) -> Any:
        from ent_core.sanctions.service import suspension_of

        workspace = current_workspace()
        reason, since = suspension_of(workspace) or ("", None)
        return render_template(
            "sanctions/suspended.html",
            workspace=workspace,
            reason=reason,
            since=since,
            contact=app.config["ENT_CONTACT_EMAIL"],
        ), 403

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Any:
        from flask_babel import gettext

        if _is_api_request():
            message = gettext(
                "This request carries the site's session cookie, so it needs the X-CSRFToken "
                "header. API clients: send your bearer token without cookies."
            )
            return ApiError("csrf_failed", message, 400).response()
        message = gettext("The form expired or was not sent from this site. Please try again.")
        return render_template("errors/error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        if status in (301, 302, 303, 307, 308):
            return exc  # a redirect (a missing trailing slash), not an error
        if _is_api_request():
            code = HTTP_CODES.get(status, "error")
            return ApiError(code, exc.description or exc.name, status).response()
        return render_template("errors/error.html", status=status, message=None), status

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        if isinstance(exc, HTTPException):
            return http_error(exc)
        app.logger.exception("unhandled error")
        db.session.rollback()
        if app.config.get("PROPAGATE_EXCEPTIONS"):
            raise exc
        if _is_api_request():
            return jsonify(error={"code": "internal_error", "message": "Internal error."}), 500
        return render_template("errors/error.html", status=500, message=None), 500

    # Every handler registered above (and by plugins later through the app) can fail in turn:
    # each is wrapped so that an answer always goes out.
    for handlers in app.error_handler_spec[None].values():
        for kind, func in handlers.items():
            handlers[kind] = _never_failing(app, func)


def _back_url() -> str:
    """Where a refused form goes back to: the page it was on (this site only), else home."""
    referrer = request.referrer
    if referrer:
        parts = urlsplit(referrer)
        if parts.netloc == request.host and parts.scheme in ("http", "https"):
            return referrer
    rule = request.url_rule
    if rule is not None and "GET" in (rule.methods or ()):
        return request.url
    return url_for("platform.home")


def _log_refusal(app: Flask, exc: UserError) -> None:
    app.logger.warning("refused %s: %s", exc.code, ", ".join(exc.details.get("fields", {})))


def _never_failing(app: Flask, func: Any) -> Any:
    """``func`` as an error handler that always answers and always logs.

    When the handler fails in turn, the failure is logged (with the request id, like every
    record of the ``ent_core`` logger) and a page or JSON built without templates, translations
    or the database answers with the original status. The test kit's propagation of unexpected
    errors (``PROPAGATE_EXCEPTIONS``) is kept: the original error goes through untouched.
    """

    @functools.wraps(func)
    def guarded(exc: BaseException) -> Any:
        try:
            return func(exc)
        except Exception as failure:
            if failure is exc:
                raise
            status = getattr(exc, "status", None) or getattr(exc, "code", None)
            status = status if isinstance(status, int) and 400 <= status < 600 else 500
            try:
                app.logger.exception("the error handler failed on %r", exc)
                db.session.rollback()
            except Exception:  # noqa: S110 - the answer below must go out whatever happens
                pass
            return _last_resort(status)

    return guarded


def _last_resort(status: int) -> Any:
    """A minimal answer that needs nothing that could fail: no template, no catalogue."""
    from flask import Response

    request_id = str(g.get("request_id", "")) if has_request_context() else ""
    if has_request_context() and _is_api_request():
        body = json.dumps({"error": {"code": HTTP_CODES.get(status, "error"), "message": "Error."}})
        return Response(body, status, mimetype="application/json")
    page = (
        f"<!doctype html><html><head><meta charset=utf-8><title>{status}</title></head>"
        f"<body><h1>{status}</h1><p>Reference: <code>{escape(request_id)}</code></p>"
        '<p><a href="/">Home</a></p></body></html>'
    )
    return Response(page, status, mimetype="text/html")


#: Bound of the per-process caches below (icons, template links): cleared when full.
_CACHE_LIMIT = 4096
_icons: dict[tuple[str, str, bool], Markup] = {}


def icon(name: str, label: str | None = None, *, directional: bool = False) -> Markup:
    """An icon of ``static/icons.svg`` (docs/ui.md); decorative unless given a ``label``.

    ``directional`` icons (arrows) are mirrored on right-to-left pages. Decorative icons are
    built once per process and sprite address: a page shows a dozen of them.
    """
    sprite = template_url_for("static", filename="icons.svg")
    key = (sprite, name, directional)
    if not label:
        cached = _icons.get(key)
        if cached is not None:
            return cached
    href = escape(f"{sprite}#{name}")
    classes = "icon directional" if directional else "icon"
    extra = f' role="img" aria-label="{escape(label)}"' if label else ' aria-hidden="true"'
    markup = Markup(  # noqa: S704 - every variable part is escaped above
        f'<svg class="{classes}"{extra} focusable="false"><use href="{href}"></use></svg>'
    )
    if not label:
        if len(_icons) >= _CACHE_LIMIT:
            _icons.clear()
        _icons[key] = markup
    return markup


def template_url_for(endpoint: str, **values: Any) -> str:
    """Templates' ``url_for``: a link is built once per process, workspace and address.

    The URL map is fixed once the app serves, and the only URL default of the platform is the
    workspace slug (``add_workspace_slug``), which is part of the key. Links with other
    values than strings and numbers, relative endpoints, calls outside a request, and every
    call once a plugin registers URL defaults of its own go to Flask's ``url_for``.
    """
    kept = vars(current_g())
    workspace = kept.get("ent_workspace")
    scope = kept.get("ent_links")  # dropped at the end of each request (_forget_request_caches)
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
        if len(table) >= _CACHE_LIMIT:
            table.clear()
        table[key] = url
    return url  # type: ignore[no-any-return]


def _request_or_none() -> Any:
    return request._get_current_object() if has_request_context() else None  # type: ignore[attr-defined]


def _link_table(workspace: Any, req: Any) -> dict[Any, str] | None:
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
        tables = app.extensions["ent.links"] = {} if ours else False
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
        if len(tables) >= _CACHE_LIMIT:
            tables.clear()
        table = tables[scope] = {}
    return table  # type: ignore[no-any-return]


#: What the date filters answered, per value, format, language and time zone.
_formatted_dates: dict[tuple[Any, ...], str] = {}


def _remembered_dates(babel_filter: Any) -> Any:
    """Flask-Babel's date filter ``babel_filter``, with its answers kept per process.

    A listing formats twenty dates a page, each through Babel's pattern machinery (about a
    hundred calls), and the same ones on every request. The answer depends only on the value
    (its time zone too), the format, the language and the reader's time zone, which make the
    key; the current time (no value) is never kept.
    """
    from flask_babel import get_locale, get_timezone

    def date_filter(value: Any = None, format: str | None = None, rebase: bool = True) -> str:
        if value is None:
            return babel_filter(value, format, rebase)  # type: ignore[no-any-return]
        babel_state = _get_current_context()  # what get_locale/get_timezone keep per request
        locale = getattr(babel_state, "babel_locale", None) or get_locale()
        key = (
            babel_filter,
            type(value),
            value,
            getattr(value, "tzinfo", None),
            format,
            rebase,
            None if locale is None else (locale.language, locale.territory, locale.script),
            locale and locale.variant,
            str(getattr(babel_state, "babel_tzinfo", None) or get_timezone()),
        )
        text = _formatted_dates.get(key)
        if text is None:
            text = babel_filter(value, format, rebase)
            if len(_formatted_dates) >= _CACHE_LIMIT:
                _formatted_dates.clear()
            _formatted_dates[key] = text
        return text  # type: ignore[no-any-return]

    return date_filter


def _register_template_helpers(app: Flask) -> None:
    app.add_template_global(icon)
    app.add_template_global(template_url_for, "url_for")
    for name in ("dateformat", "datetimeformat", "timeformat"):
        app.jinja_env.filters[name] = _remembered_dates(app.jinja_env.filters[name])
    app.jinja_env.filters.update(BIDI_FILTERS)

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {
            **_language_context(),
            "current_workspace": current_workspace(),
            "current_membership": current_membership(),
            "has_permission": has_permission,
            "language_url": language_url,
            "slot": render_slot,
            "nav_items": workspace_nav_items,
            "workspace_nav": workspace_nav,
        }


#: Per catalogue (one per language): what templates get from the request's language.
_language_contexts: dict[int, tuple[Any, tuple[str, ...], dict[str, Any]]] = {}


def _language_context() -> dict[str, Any]:
    """``lang``, ``text_direction``, ``language_names`` and ``gettext``/``ngettext`` bound to
    the request's catalogue (Flask-Babel's own callables look the request's locale and
    catalogue up again for every string): built once per catalogue and process."""
    from flask_babel import get_locale, get_translations

    translations, languages = current_catalogue() or get_translations(), _languages()
    cached = _language_contexts.get(id(translations))
    if cached is not None and cached[0] is translations and cached[1] == languages:
        return cached[2]
    lang = str(get_locale() or "fr")
    context = {
        **_bound_gettext(translations),
        "lang": lang,
        "text_direction": "rtl" if lang in RTL_LANGUAGES else "ltr",
        "language_names": {code: LANGUAGE_NAMES.get(code, code) for code in languages},
    }
    if has_request_context():  # outside one, Flask-Babel hands out a new empty catalogue
        if len(_language_contexts) >= _CACHE_LIMIT:
            _language_contexts.clear()
        _language_contexts[id(translations)] = (translations, languages, context)
    return context


def _bound_gettext(translations: Any) -> dict[str, Any]:
    """Jinja's "newstyle" ``gettext``/``ngettext`` (autoescape, ``%`` formatting), one catalogue.

    Same behaviour as the callables Flask-Babel installs in ``app.jinja_env``; templates resolve
    ``_``, ``gettext``, ``ngettext`` and ``{% trans %}`` through the context, so these win.
    A string without variables always gives the same answer in one catalogue: it is kept
    (a page asks for some twenty-five of them).
    """

    plain: dict[tuple[str, bool], str] = {}  # answers without variables, per msgid

    @pass_context
    def gettext(__context: Any, __string: str, **variables: Any) -> str:
        autoescape = __context.eval_ctx.autoescape
        key = (__string, autoescape)
        if not variables and type(__string) is str:
            kept = plain.get(key)
            if kept is not None:
                return kept
        rv = translations.ugettext(__string)
        if autoescape:
            rv = Markup(rv)  # noqa: S704 - as Jinja's own newstyle gettext does
        rv = rv % variables
        if not variables and type(__string) is str:
            plain[key] = rv
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


def workspace_hooks() -> Any:
    """Hooks filtered to the current workspace's plugins, or platform hooks outside one."""
    registry: PluginRegistry = current_app.extensions["ent"]
    workspace = current_workspace()
    if workspace is None:
        return registry.hook
    return registry.workspace_hooks(workspace)


def render_slot(name: str, **context: Any) -> Markup:
    """Fill the named slot with what the workspace's plugins return, in hook order."""
    workspace = current_workspace()
    if workspace is None:
        return Markup("")
    parts = workspace_hooks().ent_template_slot(slot=name, context=context)
    return Markup("").join(escape(p) for p in parts if p)


def workspace_nav_items() -> list[Any]:
    """The workspace navigation the user may follow, sorted by ``order`` (stable)."""
    workspace = current_workspace()
    user = signed_in_user()
    if workspace is None or not user.is_authenticated:
        return []
    items = [
        item
        for batch in workspace_hooks().ent_nav_items(workspace=workspace, user=user)
        for item in batch or ()
        if item.permission is None or has_permission(item.permission)
    ]
    items.sort(key=_by_order)
    return items


_by_order = attrgetter("order")


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
_nav_cache: dict[tuple[Any, ...], tuple[tuple[Any, str, Markup], ...]] = {}


def _nav_links() -> tuple[tuple[Any, str, Markup], ...]:
    workspace = current_workspace()
    user = signed_in_user()
    if workspace is None or not user.is_authenticated:
        return ()
    from ent_core.permissions import _granted_here

    key = (
        workspace.id,
        workspace.slug,
        workspace.activation_serial,
        # the modules on too: a workspace id can come back after a delete (SQLite reuses the
        # highest one; tests empty the database) with its serial starting again
        current_app.extensions["ent"].enabled_for(workspace),
        True if user.is_admin else _granted_here(),
        _language_context()["lang"],
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
        if len(_nav_cache) >= _CACHE_LIMIT:
            _nav_cache.clear()
        _nav_cache[key] = links
    return links
