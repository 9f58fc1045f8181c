"""Personal API tokens: shown once, stored as a SHA-256 digest, revocable."""

from __future__ import annotations

import secrets

from ent_core.audit import record
from ent_core.db import db, utcnow
from ent_core.identity.login import TOKEN_PREFIX, hash_token
from ent_core.identity.models import ApiToken, User


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Return the token row and its secret; the secret cannot be recovered later."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name.strip() or "token",
        prefix=secret[:10],
        token_hash=hash_token(secret),
    )
    db.session.add(token)
    db.session.flush()
    record("token.created", subject=f"token:{token.id}", actor=user, details={"name": token.name})
    db.session.commit()
    return token, secret


def revoke_api_token(token: ApiToken, *, actor: User | None = None) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record("token.revoked", subject=f"token:{token.id}", actor=actor or token.user)
        db.session.commit()
