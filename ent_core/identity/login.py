"""Flask-Login wiring: sessions for pages, bearer tokens for the API."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from flask import Request, g, request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import bindparam, update

from ent_core.db import db, utcnow
from ent_core.identity.models import ApiToken, User


class _BearerOnlyApi(LoginManager):
    """Flask-Login, except that under ``/api/`` the bearer token is the only credential.

    Flask-Login reads the session, then the remember-me cookie, and asks the request loader
    only when neither is there; and its "strong" session protection answers anonymous, request
    loader unasked, when a session lacks its identifier. So an API client that kept a cookie
    was refused with a valid token. ``_load_user`` is Flask-Login's private step (pinned
    ``<0.7``; ``test_a_kept_cookie_never_turns_a_valid_token_away`` fails if it is not called).
    """

    def _load_user(self) -> None:
        if _is_api(request):
            self._update_request_context_with_user(load_user_from_token(request))
            return
        super()._load_user()


login_manager = _BearerOnlyApi()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

TOKEN_PREFIX = "ent_"  # noqa: S105 - a public marker, not a secret
#: Writing last_used_at on every call would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(secret: str) -> str:
    """API tokens are 256-bit random values, so a plain SHA-256 is a sufficient digest."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _is_api(req: Request) -> bool:
    return req.path.startswith("/api/")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if _is_api(request):
        return None  # the API trusts bearer tokens only, never the browser's cookie
    raw_id, _, nonce = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    row = db.session.execute(_user_by_id(), {"user_id": int(raw_id)}).first()
    if row is None:
        return None
    user, charter_version, charter_signed = row
    if user.session_nonce != nonce or not user.is_active:
        return None
    _remember_charter_state(user, charter_version, charter_signed)
    return user


_statements: dict[str, Any] = {}


def _user_with_charter_state() -> Any:
    """The user and, in the same statement, whether they signed the current charter version.

    The charter gate needs that answer on every members' page; asking it here saves a
    statement per request (docs/performance.md). Built once per process, run with a bound id.
    """
    statement = _statements.get("user")
    if statement is None:
        from ent_core.charter.models import CharterSignature, CharterVersion

        current = (
            db.select(CharterVersion.id)
            .order_by(CharterVersion.published_at.desc(), CharterVersion.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        signed = (
            db.select(CharterSignature.id)
            .where(CharterSignature.user_id == User.id, CharterSignature.version_id == current)
            .exists()
        )
        statement = _statements["user"] = db.select(
            User, current.label("charter_version_id"), signed.label("charter_signed")
        )
    return statement


def _user_by_id() -> Any:
    statement = _statements.get("id")
    if statement is None:
        statement = _statements["id"] = _user_with_charter_state().where(
            User.id == bindparam("user_id")
        )
    return statement


def _remember_charter_state(user: User, version_id: int | None, signed: bool) -> None:
    from ent_core.charter.service import remember_gate_state

    remember_gate_state(user, version_id, bool(signed) or version_id is None)


@login_manager.request_loader
def load_user_from_token(req: Request) -> User | None:
    """The bearer token's user: one indexed statement, no session, no ORM object for the token."""
    if not _is_api(req):
        return None
    scheme, _, secret = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.startswith(TOKEN_PREFIX):
        return None
    row = db.session.execute(_user_by_token(), {"token_hash": hash_token(secret.strip())}).first()
    if row is None:
        return None
    user, charter_version, charter_signed, token_id, revoked_at, last_used_at = row
    if revoked_at is not None:
        return None
    if not user.is_active:
        g.ent_suspended_token = True  # a real token: answered apart, not counted as a guess
        return None
    now = utcnow()
    if last_used_at is None or now - last_used_at > LAST_USED_RESOLUTION:
        db.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
        db.session.commit()
    _remember_charter_state(user, charter_version, charter_signed)
    return user


def _user_by_token() -> Any:
    """The user owning a token hash, the token's state and the charter state, built once."""
    statement = _statements.get("token")
    if statement is None:
        user_statement = _user_with_charter_state()
        statement = _statements["token"] = (
            user_statement.add_columns(ApiToken.id, ApiToken.revoked_at, ApiToken.last_used_at)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.token_hash == bindparam("token_hash"))
        )
    return statement
