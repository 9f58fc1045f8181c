"""CSRF and cookies by authentication method (docs/api.md, "Authentication").

A browser sends cookies on its own, even to a request another site made it send: that is what
CSRF forges, so every state change that carries one of our cookies is checked. A request with
``Authorization: Bearer ent_…`` and none of our cookies cannot be forged that way (a page can
make a browser send a bearer header to another site only after a CORS preflight we never
answer), so it is never checked, and it never gets a cookie back: the API is stateless.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import user_logged_in
from flask_wtf.csrf import CSRFProtect

from ent_core.identity.login import TOKEN_PREFIX

csrf = CSRFProtect()


def our_cookie_names(config: Any) -> tuple[str, str]:
    """The session cookie and Flask-Login's remember-me cookie: what a browser sends alone."""
    return config["SESSION_COOKIE_NAME"], config.get("REMEMBER_COOKIE_NAME", "remember_token")


def carries_our_cookie(req: Request) -> bool:
    return any(name in req.cookies for name in our_cookie_names(current_app.config))


def is_bearer_request(req: Request) -> bool:
    scheme, _, secret = req.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and secret.strip().startswith(TOKEN_PREFIX)


def is_stateless(req: Request) -> bool:
    """The answer keeps no session and sets no cookie: the API, and bearer requests anywhere."""
    if req.path.startswith("/api/"):
        return True
    return is_bearer_request(req) and not carries_our_cookie(req)


def check_csrf() -> None:
    """Before each request: check the token of every state change that carries our cookies.

    Exempt: a request without our cookies that is either under ``/api/`` (whose answers never
    set one, and whose only credential is the bearer token) or sends a bearer token. A request
    with a bearer token *and* our cookie is checked (fail closed): drop the cookie or send
    ``X-CSRFToken``.
    """
    config = current_app.config
    if not config["WTF_CSRF_ENABLED"] or request.method not in config["WTF_CSRF_METHODS"]:
        return
    if not request.endpoint:
        return  # 404 and 405 answer without running anything
    if not carries_our_cookie(request) and (
        request.path.startswith("/api/") or is_bearer_request(request)
    ):
        return
    csrf.protect()


class StatelessAwareSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, saved only for requests that may keep state.

    For a stateless request (``is_stateless``) nothing is saved and every ``Set-Cookie`` goes:
    Flask-Login's remember-me upkeep or a ``?lang=`` choice must not plant a cookie that later
    turns an API client's requests into cookie-authenticated ones.
    """

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        if is_stateless(request):
            del response.headers["Set-Cookie"]  # every one of them
            return
        super().save_session(app, session, response)


def forget_csrf_token(*_: Any, **__: Any) -> None:
    """At sign-in the CSRF token changes: one planted before sign-in is worth nothing after."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(field, None)
    g.pop(field, None)  # Flask-WTF keeps the request's signed token there


def init_app(app: Flask) -> None:
    """Flask-WTF's own blanket check is off (``WTF_CSRF_CHECK_DEFAULT``): ``check_csrf`` decides."""
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    app.session_interface = StatelessAwareSessionInterface()
    app.before_request(check_csrf)
    user_logged_in.connect(forget_csrf_token, app)
