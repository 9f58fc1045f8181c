"""Error pages: every error answered, as JSON under /api/, as a page (or a flash) elsewhere.

One handler per kind of error (docs/errors.md); each is wrapped so that an answer goes out
even when the handler fails in turn.
"""

from __future__ import annotations

import functools
import json
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Flask,
    flash,
    g,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from ent_core import input_guard
from ent_core.api.errors import HTTP_CODES, ApiError
from ent_core.db import db
from ent_core.errors import UserError
from ent_core.tenancy import NotEnabledHere, WorkspaceSuspended, current_workspace


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


def register_error_handlers(app: Flask) -> None:
    """Answer every error of ``app``: refusals, modules off, suspensions, CSRF, HTTP, bugs."""

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
