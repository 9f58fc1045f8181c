"""The application factory: configuration, extensions, plugins, routes, hooks, error pages.

What makes pages fast (per-process caches, overrides of Flask and Flask-Babel) lives in
``ent_core.speedups``; the error handlers in ``ent_core.errorpages``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import ModuleType
from typing import Any

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel

from ent_core import assets, catalogues, input_guard, operator_settings, speedups
from ent_core import config as config_module
from ent_core.charter.gate import enforce_charter
from ent_core.db import db
from ent_core.errorpages import register_error_handlers
from ent_core.events.catalogue import EventCatalogue
from ent_core.i18n import LANGUAGE_NAMES, RTL_LANGUAGES, ensure_compiled
from ent_core.identity import csrf
from ent_core.identity.login import login_manager
from ent_core.localtime import format_date, format_datetime, select_timezone
from ent_core.money import money_filter
from ent_core.permissions import PermissionRegistry, can, has_permission
from ent_core.plugins import PluginRegistry, discover
from ent_core.security_headers import SecurityHeaders, request_id
from ent_core.templating import BIDI_FILTERS
from ent_core.tenancy import (
    add_workspace_slug,
    current_membership,
    current_workspace,
    mount_blueprints,
    pull_workspace,
    signed_in_user,
)
from ent_core.ui import render_slot, workspace_hooks, workspace_nav_items

__all__ = [
    "LANGUAGE_NAMES",
    "RTL_LANGUAGES",
    "babel",
    "create_app",
    "render_slot",
    "select_locale",
    "workspace_hooks",
]

babel = Babel()


def create_app(
    config: dict[str, Any] | None = None,
    *,
    plugin_modules: list[ModuleType] | None = None,
) -> Flask:
    """Build the platform. ``config`` overrides the environment (tests use it)."""
    settings = config_module.load(**(config or {}))
    # No Flask static route: ent_core.assets serves the core's and the plugins' files.
    app = speedups.Platform(
        "ent_core", instance_path=settings["ENT_INSTANCE_PATH"], static_folder=None
    )
    app.config.update(settings)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _configure_logging(app)

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
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    speedups.install(app, babel)

    assets.install(app, registry)
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
    register_error_handlers(app)
    _register_template_helpers(app)
    _install_middleware(app, registry)
    if app.config["ENT_GC_FREEZE"]:
        _freeze_start_up()
    return app


def _install_middleware(app: Flask, registry: PluginRegistry) -> None:
    """Plugins' WSGI middleware (``ent_wsgi_middleware``) in hook order, the first answer
    innermost; ProxyFix outside them all, so that they see the client's address and scheme."""
    for answer in registry.answers("ent_wsgi_middleware", app=app):
        for wrap in answer.value:
            app.wsgi_app = wrap(app.wsgi_app)  # type: ignore[method-assign]
    if app.config["ENT_PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["ENT_PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


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


def _start_request() -> None:
    g.request_id = request_id(request.headers.get("X-Request-ID"))


def _register_template_helpers(app: Flask) -> None:
    app.add_template_global(can)
    app.jinja_env.filters.update(BIDI_FILTERS)
    app.jinja_env.filters["money"] = money_filter
    app.jinja_env.filters.update(local_datetime=format_datetime, local_date=format_date)

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {
            **speedups.language_context(),
            "current_workspace": current_workspace(),
            "current_membership": current_membership(),
            "has_permission": has_permission,
            "language_url": speedups.language_url,
            "slot": render_slot,
            "nav_items": workspace_nav_items,
            "workspace_nav": speedups.workspace_nav,
        }
