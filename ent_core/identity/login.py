"""Flask-Login wiring: sessions for pages, bearer tokens for the API."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import Request, request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy.orm import joinedload

from ent_core.db import db, utcnow
from ent_core.identity.models import ApiToken, User

login_manager = LoginManager()
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
    user = db.session.get(User, int(raw_id))
    if user is None or user.session_nonce != nonce or not user.is_active:
        return None
    return user


@login_manager.request_loader
def load_user_from_token(req: Request) -> User | None:
    if not _is_api(req):
        return None
    scheme, _, secret = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(
        db.select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == hash_token(secret.strip()))
    )
    if token is None or not token.active or not token.user.is_active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    return token.user
