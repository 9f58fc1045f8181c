"""Configuration read from the environment (see docs/configuration.md)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "testing", "production")
_OIDC_VAR = re.compile(r"^ENT_OIDC_([A-Z0-9_]+?)_(ISSUER|CLIENT_ID|CLIENT_SECRET|LABEL)$")


class ConfigurationError(RuntimeError):
    """Raised at start-up when the environment cannot run the platform safely."""


@dataclass(frozen=True, slots=True)
class OIDCProvider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    label: str


def normalise_database_url(url: str) -> str:
    """Pick psycopg 3 for plain ``postgresql://`` URLs so users need not know driver names."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def oidc_providers(environ: dict[str, str]) -> dict[str, OIDCProvider]:
    found: dict[str, dict[str, str]] = {}
    for key, value in environ.items():
        match = _OIDC_VAR.match(key)
        if match:
            found.setdefault(match.group(1).lower(), {})[match.group(2).lower()] = value
    providers = {}
    for name, values in sorted(found.items()):
        missing = {"issuer", "client_id", "client_secret"} - values.keys()
        if missing:
            raise ConfigurationError(
                f"OpenID Connect provider {name!r} is missing "
                + ", ".join(f"ENT_OIDC_{name.upper()}_{m.upper()}" for m in sorted(missing))
            )
        providers[name] = OIDCProvider(
            name=name,
            issuer=values["issuer"].rstrip("/"),
            client_id=values["client_id"],
            client_secret=values["client_secret"],
            label=values.get("label", name.replace("_", " ").title()),
        )
    return providers


def _switch(env: dict[str, str], name: str, *, default: bool) -> bool:
    """A ``0``/``1`` setting; anything else is refused rather than read as off."""
    value = env.get(name, "").strip()
    if not value:
        return default
    if value not in ("0", "1"):
        raise ConfigurationError(f"{name} must be 0 or 1, not {value!r}")
    return value == "1"


def _positive(env: dict[str, str], name: str, default: int) -> int:
    """A whole number of at least 1; anything else is refused at start-up."""
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ConfigurationError(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


#: Where links point in development when neither ``ENT_BASE_URL`` nor ``ent serve`` says.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def check_base_url(value: str) -> str:
    """``ENT_BASE_URL`` without its trailing ``/``; refuses what cannot start a link."""
    from urllib.parse import urlsplit

    fix = (
        "set ENT_BASE_URL to the public address people type, scheme and host (and port) only, "
        "e.g. https://ent.example.ma"
    )
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as exc:
        raise ConfigurationError(
            f"ENT_BASE_URL={value!r} is not an address ({exc}): {fix}"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"ENT_BASE_URL={value!r} must start with http:// or https:// and name a host: {fix}"
        )
    if parts.path.strip("/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigurationError(
            f"ENT_BASE_URL={value!r} must not carry a path, query, fragment or user name "
            f"(the platform is served at the root of its address): {fix}"
        )
    return f"{parts.scheme}://{parts.netloc}"


def _base_url(env: dict[str, str], overrides: dict[str, Any], ent_env: str) -> dict[str, Any]:
    """``ENT_BASE_URL`` checked; unset, production refuses to start and development follows
    the address served (``ent_core.links``)."""
    value = overrides.pop("ENT_BASE_URL", None) or env.get("ENT_BASE_URL", "").strip()
    if value:
        return {"ENT_BASE_URL": check_base_url(value), "ENT_BASE_URL_FROM_REQUEST": False}
    if ent_env == "production":
        raise ConfigurationError(
            "ENT_BASE_URL must be set when ENT_ENV=production: the public address people use "
            "(e.g. https://ent.example.ma), on which every link in mails, feeds and the API "
            "is built"
        )
    return {"ENT_BASE_URL": DEVELOPMENT_BASE_URL, "ENT_BASE_URL_FROM_REQUEST": True}


def load(environ: dict[str, str] | None = None, **overrides: Any) -> dict[str, Any]:
    """Build the Flask config mapping from the environment, then apply ``overrides``."""
    env = dict(os.environ if environ is None else environ)
    ent_env = overrides.pop("ENT_ENV", None) or env.get("ENT_ENV", "development")
    if ent_env not in ENVIRONMENTS:
        raise ConfigurationError(
            f"ENT_ENV must be one of {', '.join(ENVIRONMENTS)}, not {ent_env!r}"
        )
    instance = Path(
        overrides.pop("ENT_INSTANCE_PATH", None)
        or env.get("ENT_INSTANCE_PATH")
        or Path.cwd() / "instance"
    ).resolve()
    secret = env.get("SECRET_KEY")
    if not secret:
        if ent_env == "production":
            raise ConfigurationError("SECRET_KEY must be set when ENT_ENV=production")
        secret = "dev-insecure-" + ent_env
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'ent.sqlite3'}"
    production = ent_env == "production"
    config: dict[str, Any] = {
        "ENT_ENV": ent_env,
        "TESTING": ent_env == "testing",
        "ENT_INSTANCE_PATH": str(instance),
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": env.get("REDIS_URL") or None,
        "SMTP_URL": env.get("SMTP_URL") or None,
        "MAIL_FROM": env.get("ENT_MAIL_FROM", "Smart Médias ENT <no-reply@localhost>"),
        # Where people write to appeal a sanction (shown on the suspension page and in mails).
        "ENT_CONTACT_EMAIL": env.get("ENT_CONTACT_EMAIL", "contact@localhost"),
        # Number of reverse proxies in front of the app whose X-Forwarded-* headers to trust.
        "ENT_PROXY_FIX": int(env.get("ENT_PROXY_FIX", "0")),
        # Strict-Transport-Security max-age, sent on answers to HTTPS requests only; 0: none.
        "ENT_HSTS_SECONDS": int(env.get("ENT_HSTS_SECONDS", "31536000")),
        **_base_url(env, overrides, ent_env),
        "ENT_OIDC_PROVIDERS": oidc_providers(env),
        "ENT_SIGN_IN_MAX_FAILURES": int(env.get("ENT_SIGN_IN_MAX_FAILURES", "5")),
        "ENT_SIGN_IN_WINDOW_SECONDS": int(env.get("ENT_SIGN_IN_WINDOW_SECONDS", "900")),
        # Unset: four times the per-email limit, so one office address is not locked out.
        "ENT_SIGN_IN_MAX_FAILURES_PER_IP": int(env.get("ENT_SIGN_IN_MAX_FAILURES_PER_IP", "0"))
        or None,
        "ENT_API_TOKEN_MAX_FAILURES": int(env.get("ENT_API_TOKEN_MAX_FAILURES", "20")),
        "ENT_API_TOKEN_WINDOW_SECONDS": int(env.get("ENT_API_TOKEN_WINDOW_SECONDS", "600")),
        "ENT_INVITATIONS_PER_WORKSPACE_HOUR": int(
            env.get("ENT_INVITATIONS_PER_WORKSPACE_HOUR", "20")
        ),
        "ENT_INVITATIONS_PER_ADDRESS_DAY": int(env.get("ENT_INVITATIONS_PER_ADDRESS_DAY", "3")),
        "ENT_JOBS_INLINE_RAISE": ent_env == "testing",
        "ENT_QUEUE": env.get("ENT_QUEUE", "ent"),
        "ENT_JOB_RETRY_INTERVALS": env.get("ENT_JOB_RETRY_INTERVALS", "10,60,300"),
        "ENT_JOB_TIMEOUT": int(env.get("ENT_JOB_TIMEOUT", "600")),
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=_positive(env, "ENT_REMEMBER_DAYS", 30)),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "fr",
        "ENT_LANGUAGES": ("fr", "en", "ar"),
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        # Uploaded images: refused above this many pixels before decoding; decoded this many
        # at a time per process (ent_core.uploads, docs/configuration.md).
        "ENT_UPLOAD_MAX_PIXELS": _positive(env, "ENT_UPLOAD_MAX_PIXELS", 25_000_000),
        "ENT_IMAGE_DECODE_CONCURRENCY": _positive(env, "ENT_IMAGE_DECODE_CONCURRENCY", 1),
        # API JSON bodies above this are refused with 413 before parsing (ent_core.input_guard).
        "ENT_API_MAX_JSON_BYTES": _positive(env, "ENT_API_MAX_JSON_BYTES", 2 * 1024 * 1024),
        # Hide what start-up built from the garbage collector (ent_core.app._freeze_start_up).
        "ENT_GC_FREEZE": _switch(env, "ENT_GC_FREEZE", default=production),
    }
    if production and not config["SMTP_URL"]:
        raise ConfigurationError("SMTP_URL must be set when ENT_ENV=production")
    if production and not config["REDIS_URL"]:
        raise ConfigurationError(
            "REDIS_URL must be set when ENT_ENV=production: without it, scheduled and delayed "
            "jobs never run under gunicorn"
        )
    config.update(overrides)
    if "SQLALCHEMY_DATABASE_URI" in overrides:
        config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
            overrides["SQLALCHEMY_DATABASE_URI"]
        )
    return config
