"""Password hashing with argon2id.

Production and development use argon2-cffi's recommended parameters (RFC 9106, low-memory
profile). With ``ENT_ENV=testing`` a deliberately cheap profile keeps test suites fast; a hash
made with other parameters is upgraded at the next successful sign-in (:func:`needs_rehash`).
"""

from __future__ import annotations

import contextlib
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

#: Minimum length of a chosen password (NIST SP 800-63B asks for at least 8; we ask for 10).
MIN_PASSWORD_LENGTH = 10
#: Long enough for any passphrase, short enough that hashing cannot be used to exhaust memory.
MAX_PASSWORD_LENGTH = 256

_RECOMMENDED = PasswordHasher()
# Never use outside tests: one pass over 8 KiB is fast and weak on purpose.
_TESTING = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)


def current_hasher() -> PasswordHasher:
    """The hasher for this application: cheap only when ``ENT_ENV`` is ``testing``."""
    if has_app_context() and current_app.config.get("ENT_ENV") == "testing":
        return _TESTING
    return _RECOMMENDED


def hash_password(password: str) -> str:
    return current_hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check ``password``; accounts without a password still spend the time of one check."""
    hasher = current_hasher()
    if not stored_hash:
        _spend_one_verification(hasher, password)
        return False
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than the current ones."""
    try:
        return current_hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def _spend_one_verification(hasher: PasswordHasher, password: str) -> None:
    # Answering "no such account" faster than "wrong password" would reveal who has an account.
    with contextlib.suppress(VerificationError, InvalidHashError):
        hasher.verify(_decoy_hash(hasher), password)


@cache
def _decoy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("decoy password that no account uses")
