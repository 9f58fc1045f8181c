"""Accounts: sign-up, sign-in with throttling, email verification, password reset and change.

Views, the CLI and the API call these functions; they raise :class:`IdentityError` with a
stable ``code`` (and the form ``field`` at fault) instead of answering HTTP themselves.
"""

from __future__ import annotations

import hashlib
import logging
import math
from datetime import timedelta
from typing import Any

from flask import current_app, has_request_context, render_template, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from ent_core.audit import AuditEvent, record
from ent_core.db import db, utcnow
from ent_core.errors import UserError
from ent_core.forms import BIDI_CONTROL_MESSAGE, PERSON_NAME_MAX, has_bidi_controls
from ent_core.identity.models import User
from ent_core.identity.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from ent_core.jobs import enqueue
from ent_core.mail import send_mail

log = logging.getLogger(__name__)

VERIFY_EMAIL_SALT = "ent.identity.verify-email"
RESET_PASSWORD_SALT = "ent.identity.reset-password"  # noqa: S105 - a salt name, not a secret
VERIFY_EMAIL_MAX_AGE = timedelta(days=3)
RESET_PASSWORD_MAX_AGE = timedelta(hours=1)
#: Actions after which earlier failed attempts for an email no longer count.
_THROTTLE_RESET_ACTIONS = ("auth.sign_in", "auth.password_reset")
#: Mails anyone can trigger for an address are limited, so nobody can flood an inbox with them.
MAIL_MIN_INTERVAL = timedelta(minutes=1)
MAIL_MAX_PER_DAY = 5


class IdentityError(UserError):
    """A refused identity operation: ``code`` is stable, ``message`` is for people."""


class SignInThrottled(IdentityError):
    """Too many failed sign-ins for this email or address; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        from flask_babel import ngettext

        super().__init__(
            "rate_limited",
            ngettext(
                "Too many failed sign-in attempts. Please try again in %(num)d minute.",
                "Too many failed sign-in attempts. Please try again in %(num)d minutes.",
                minutes,
            ),
            429,
            details={"retry_after": retry_after},
        )
        self.retry_after = retry_after


class TokenRefused(IdentityError):
    """A verification or reset link that is expired, already used or not ours."""

    default_status = 400


# -- accounts ---------------------------------------------------------------------------------


#: The longest address SMTP carries (RFC 5321's path limit, less the angle brackets).
MAX_EMAIL_LENGTH = 254


def normalise_email(email: str) -> str:
    """Emails are compared and stored lower-cased, without surrounding spaces."""
    return email.strip().lower()


def check_email(email: str) -> str:
    """``email`` normalised if it is an address the platform takes, ``IdentityError`` otherwise.

    The one rule for the web forms, the CLI and the service: email-validator's, with the options
    of WTForms' ``Email()`` (no DNS look-up; special-use domains such as ``localhost`` refused)."""
    from email_validator import EmailNotValidError, validate_email

    address = normalise_email(email)
    try:
        if len(address) > MAX_EMAIL_LENGTH:
            raise EmailNotValidError("too long")
        validate_email(
            address, check_deliverability=False, allow_smtputf8=True, allow_empty_local=False
        )
    except EmailNotValidError:
        raise IdentityError(
            "invalid_email", _("This is not a valid email address."), field="email"
        ) from None
    return address


def find_user(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def check_password_policy(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise IdentityError(
            "password_too_short",
            _("The password must be at least %(num)d characters long.", num=MIN_PASSWORD_LENGTH),
            field=field,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise IdentityError(
            "password_too_long",
            _("The password must be at most %(num)d characters long.", num=MAX_PASSWORD_LENGTH),
            field=field,
        )


def check_person_name(name: str) -> str:
    """The display name, stripped; refused when too long or with direction controls (the CLI
    and services get the rules the forms apply)."""
    name = name.strip()
    if len(name) > PERSON_NAME_MAX:
        raise IdentityError(
            "name_too_long",
            _("The name must be at most %(num)d characters long.", num=PERSON_NAME_MAX),
            field="name",
        )
    if has_bidi_controls(name):
        raise IdentityError("bidi_control", str(BIDI_CONTROL_MESSAGE), field="name")
    return name


def create_account(
    email: str,
    password: str | None,
    *,
    name: str = "",
    verified: bool = False,
    admin: bool = False,
    locale: str | None = None,
) -> User:
    """Create and save an account; ``password=None`` makes an OpenID Connect-only account."""
    # Local accounts follow the forms' rules; a provider's account is the provider's address.
    email = check_email(email) if password is not None else normalise_email(email)
    name = check_person_name(name)
    if password is not None:
        check_password_policy(password)
    if find_user(email) is not None:
        raise _email_taken()
    return _add_account(
        email,
        hash_password(password) if password is not None else None,
        name=name,
        verified=verified,
        admin=admin,
        locale=locale,
    )


def _add_account(
    email: str,
    password_hash: str | None,
    *,
    name: str,
    verified: bool = False,
    admin: bool = False,
    locale: str | None = None,
) -> User:
    """Insert and commit the account; ``email_taken`` when a concurrent sign-up won the race."""
    user = User(
        email=email,
        name=name.strip(),
        password_hash=password_hash,
        email_verified_at=utcnow() if verified else None,
        is_admin=admin,
        locale=locale,
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as exc:  # a concurrent sign-up with the same email won the race
        db.session.rollback()
        raise _email_taken() from exc
    return user


def _email_taken() -> IdentityError:
    return IdentityError(
        "email_taken", _("An account with this email address already exists."), field="email"
    )


def sign_up(email: str, password: str, *, name: str) -> User | None:
    """Create an account and mail its confirmation link, or, when the address already has an
    account, mail its owner a notice instead; returns the new account, else None.

    The caller answers the same either way, and both paths do the same work while it answers
    (docs/identity.md, "Sign-up"): the password is hashed (argon2, most of the time), one audit
    event is written and committed, and one mail is queued, so neither the page nor its timing
    tells whether the address has an account.
    """
    email = check_email(email)
    check_password_policy(password)
    password_hash = hash_password(password)  # hashed for an existing address too: same time
    existing = find_user(email)
    if existing is None:
        try:
            user = _add_account(email, password_hash, name=name)
        except IdentityError:  # a concurrent sign-up with this address won the race
            existing = find_user(email)
        else:
            record("auth.sign_up", subject=user.email, actor=user)
            db.session.commit()
            send_verification_mail(user)
            return user
    record("auth.sign_up_existing", subject=email)
    db.session.commit()
    if existing is not None:
        send_existing_account_notice(existing)
    return None


def update_profile(user: User, *, name: str, locale: str | None) -> None:
    user.name = check_person_name(name)
    user.locale = locale or None
    db.session.commit()


# -- signing in -------------------------------------------------------------------------------


def _client_address() -> str | None:
    return request.remote_addr if has_request_context() else None


def sign_in_with_password(email: str, password: str) -> User:
    """Check the credentials, throttled per email and per address; audits both outcomes."""
    email = normalise_email(email)
    wait = sign_in_retry_after(email, _client_address())
    if wait is not None:
        log.warning("sign-in throttled for %s", email)
        raise SignInThrottled(wait)
    user = find_user(email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        record("auth.sign_in_failed", subject=email, details={"reason": "credentials"})
        db.session.commit()
        raise IdentityError("invalid_credentials", _("Wrong email address or password."))
    if not user.is_active:
        record("auth.sign_in_failed", subject=email, details={"reason": "disabled"})
        db.session.commit()
        raise IdentityError("account_disabled", _("This account is disabled."))
    if needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    note_sign_in(user, method="password")
    return user


def note_sign_in(user: User, *, method: str, **details: Any) -> None:
    """Audit a successful sign-in and remember when it happened."""
    user.last_sign_in_at = utcnow()
    record("auth.sign_in", subject=user.email, actor=user, details={"method": method, **details})
    db.session.commit()


def sign_in_retry_after(email: str, address: str | None) -> int | None:
    """Seconds to wait when this email or address reached the failure limit, else None."""
    config = current_app.config
    window = timedelta(seconds=config["ENT_SIGN_IN_WINDOW_SECONDS"])
    limit = config["ENT_SIGN_IN_MAX_FAILURES"]
    per_address = config.get("ENT_SIGN_IN_MAX_FAILURES_PER_IP") or 4 * limit
    now = utcnow()
    since = now - window
    last_success = db.session.scalar(
        db.select(db.func.max(AuditEvent.created_at)).where(
            AuditEvent.action.in_(_THROTTLE_RESET_ACTIONS),
            AuditEvent.subject == normalise_email(email),
        )
    )
    checks = [(AuditEvent.subject == normalise_email(email), max(since, last_success or since))]
    limits = [limit]
    if address:
        checks.append((AuditEvent.ip_address == address, since))
        limits.append(per_address)
    waits = []
    for (criterion, start), allowed in zip(checks, limits, strict=True):
        recent = db.session.scalars(
            db.select(AuditEvent.created_at)
            .where(
                AuditEvent.action == "auth.sign_in_failed",
                criterion,
                AuditEvent.created_at > start,
            )
            .order_by(AuditEvent.created_at.desc())
            .limit(allowed)
        ).all()
        if len(recent) >= allowed:
            # The limit lifts when the oldest of the last `allowed` failures leaves the window.
            waits.append(max(1, math.ceil((recent[-1] + window - now).total_seconds())))
    return max(waits) if waits else None


# -- signed links -----------------------------------------------------------------------------


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _load(salt: str, token: str, max_age: timedelta) -> dict[str, Any]:
    try:
        data = _serializer(salt).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as exc:
        raise TokenRefused(
            "token_expired", _("This link has expired. Please ask for a new one.")
        ) from exc
    except BadData as exc:
        raise TokenRefused("token_invalid", _("This link is not valid.")) from exc
    if not isinstance(data, dict):
        raise TokenRefused("token_invalid", _("This link is not valid."))
    return data


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link for mails, built on ``ENT_BASE_URL`` (the address people use)."""
    from ent_core.sdk import external_url as absolute

    return absolute(endpoint, **values)


def email_verification_token(user: User) -> str:
    # Bound to the address: changing the email or verifying it makes the link useless.
    return _serializer(VERIFY_EMAIL_SALT).dumps({"u": user.id, "e": user.email})


def mail_allowed(action: str, email: str) -> bool:
    """At most one such mail a minute and a few a day per address (audited as ``action``)."""
    now = utcnow()
    recent = db.session.scalars(
        db.select(AuditEvent.created_at)
        .where(
            AuditEvent.action == action,
            AuditEvent.subject == email,
            AuditEvent.created_at > now - timedelta(days=1),
        )
        .order_by(AuditEvent.created_at.desc())
        .limit(MAIL_MAX_PER_DAY)
    ).all()
    if len(recent) >= MAIL_MAX_PER_DAY:
        return False
    return not recent or now - recent[0] >= MAIL_MIN_INTERVAL


def send_verification_mail(user: User) -> bool:
    """Mail a confirmation link; False when one was sent too recently (see ``mail_allowed``)."""
    if not mail_allowed("auth.verification_sent", user.email):
        return False
    link = external_url("auth.verify_email", token=email_verification_token(user))
    text = render_template(
        "auth/mail/verify_email.txt", user=user, link=link, days=VERIFY_EMAIL_MAX_AGE.days
    )
    record("auth.verification_sent", subject=user.email, actor=user)
    db.session.commit()
    send_mail(user.email, _("Confirm your email address"), text)
    return True


def send_existing_account_notice(user: User) -> bool:
    """Tell the owner of an address that someone tried to sign up with it, in their language;
    limited like the other mails anyone can trigger (``mail_allowed``)."""
    if not mail_allowed("auth.sign_up_notice_sent", user.email):
        return False
    with force_locale(user.locale or str(get_locale() or "fr")):
        text = render_template(
            "auth/mail/account_exists.txt",
            user=user,
            sign_in_link=external_url("auth.sign_in"),
            reset_link=external_url("auth.reset_request"),
        )
        subject = _("You already have an account")
    record("auth.sign_up_notice_sent", subject=user.email)
    db.session.commit()
    send_mail(user.email, subject, text)
    return True


def verify_email(token: str) -> User:
    """Mark the address verified; a link works once and only for the address it was sent to."""
    data = _load(VERIFY_EMAIL_SALT, token, VERIFY_EMAIL_MAX_AGE)
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or user.email != data.get("e"):
        raise TokenRefused("token_invalid", _("This link is not valid."))
    if user.email_verified:
        raise TokenRefused("token_used", _("This email address is already confirmed."))
    user.email_verified_at = utcnow()
    record("auth.email_verified", subject=user.email, actor=user)
    db.session.commit()
    return user


def _password_fingerprint(user: User) -> str:
    # Changes with the password and the session nonce, so a used reset link stops working.
    material = f"{user.password_hash or ''}:{user.session_nonce}"
    return hashlib.sha256(material.encode()).hexdigest()[:24]


def password_reset_token(user: User) -> str:
    return _serializer(RESET_PASSWORD_SALT).dumps({"u": user.id, "f": _password_fingerprint(user)})


def request_password_reset(email: str) -> None:
    """Queue :func:`mail_password_reset` for any address: callers answer the same, and the
    request does the same work, whether or not an account exists (the job looks it up)."""
    enqueue(
        mail_password_reset, normalise_email(email), str(get_locale() or "fr"), _client_address()
    )


def mail_password_reset(email: str, locale: str, address: str | None = None) -> None:
    """Job: mail a reset link, in ``locale``, if an active account uses ``email``."""
    user = find_user(email)
    if user is None or not user.is_active:
        log.info("password reset asked for an unknown or disabled account")
        return
    if not mail_allowed("auth.password_reset_requested", user.email):
        log.warning("password reset mail for %s withheld: asked too often", user.email)
        return
    link = external_url("auth.reset_password", token=password_reset_token(user))
    minutes = int(RESET_PASSWORD_MAX_AGE.total_seconds() // 60)
    with force_locale(locale):
        text = render_template(
            "auth/mail/reset_password.txt", user=user, link=link, minutes=minutes
        )
        subject = _("Choose a new password")
    record("auth.password_reset_requested", subject=user.email, ip_address=address)
    db.session.commit()
    send_mail(user.email, subject, text)


def user_for_reset_token(token: str) -> User:
    data = _load(RESET_PASSWORD_SALT, token, RESET_PASSWORD_MAX_AGE)
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.is_active:
        raise TokenRefused("token_invalid", _("This link is not valid."))
    if data.get("f") != _password_fingerprint(user):
        raise TokenRefused("token_used", _("This link was already used. Please ask for a new one."))
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset link; ends every other session of the account."""
    user = user_for_reset_token(token)
    check_password_policy(new_password)
    user.password_hash = hash_password(new_password)
    user.rotate_session_nonce()
    if not user.email_verified:
        user.email_verified_at = utcnow()  # the link reached the inbox: the address is theirs
    record("auth.password_reset", subject=user.email, actor=user)
    db.session.commit()
    return user


def change_password(user: User, current_password: str | None, new_password: str) -> None:
    """Change a password (the current one is required when there is one); other sessions end."""
    if user.password_hash and not verify_password(user.password_hash, current_password or ""):
        raise IdentityError(
            "wrong_password", _("The current password is not correct."), field="current_password"
        )
    check_password_policy(new_password, field="password")
    user.password_hash = hash_password(new_password)
    user.rotate_session_nonce()
    record("auth.password_changed", subject=user.email, actor=user)
    db.session.commit()


# -- sessions and suspension ------------------------------------------------------------------


def end_sessions(user: User, action: str, *, actor: User | None = None, **details: Any) -> None:
    """End every session and remember-me cookie of ``user`` at once, audited as ``action``.

    Both carry the user's session nonce (``User.get_id``), which each request checks: a new
    nonce makes every cookie issued before it worthless, wherever it was copied to.
    """
    user.rotate_session_nonce()
    record(action, subject=user.email, actor=actor or user, details=details or None)
    db.session.commit()


def disable_account(user: User, reason: str, *, actor: User | None = None) -> bool:
    """Suspend an account: no sign-in, its sessions end, its API tokens answer 401
    ``account_suspended``. False when it was already disabled."""
    if not user.is_active_account:
        return False
    user.is_active_account = False
    user.rotate_session_nonce()
    record("user.disabled", subject=user.email, actor=actor, details={"reason": reason})
    db.session.commit()
    return True


def enable_account(user: User, reason: str, *, actor: User | None = None) -> bool:
    """Lift a suspension; sessions from before it stay ended. False when it was not disabled."""
    if user.is_active_account:
        return False
    user.is_active_account = True
    record("user.enabled", subject=user.email, actor=actor, details={"reason": reason})
    db.session.commit()
    return True
