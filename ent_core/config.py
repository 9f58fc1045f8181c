"""Configuration read from the environment and an optional TOML file (docs/configuration.md).

One loader for the whole platform: ``load()`` reads every platform setting, which plugins are
installed and switched on by default, and each plugin's operator settings (checked against what
the plugin declares once it is loaded: ``ent_core.plugins.check_operator_settings``). The
environment wins over the file, so a deployment can keep one file and override a value per
process; ``create_app()`` overrides win over both.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "testing", "production")
_OIDC_VAR = re.compile(r"^ENT_OIDC_([A-Z0-9_]+?)_(ISSUER|CLIENT_ID|CLIENT_SECRET|LABEL)$")


#: The platform settings a file's ``[platform]`` table may hold (docs/configuration.md lists
#: each; a test checks the two agree). ``ENT_OIDC_<NAME>_*`` are accepted by their pattern.
PLATFORM_SETTINGS = frozenset(
    {
        "ENT_ENV",
        "SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "SMTP_URL",
        "ENT_MAIL_FROM",
        "ENT_CONTACT_EMAIL",
        "ENT_BASE_URL",
        "ENT_SIGN_IN_MAX_FAILURES",
        "ENT_SIGN_IN_WINDOW_SECONDS",
        "ENT_SIGN_IN_MAX_FAILURES_PER_IP",
        "ENT_REMEMBER_DAYS",
        "ENT_API_TOKEN_MAX_FAILURES",
        "ENT_API_TOKEN_WINDOW_SECONDS",
        "ENT_PROXY_FIX",
        "ENT_HSTS_SECONDS",
        "ENT_INVITATIONS_PER_WORKSPACE_HOUR",
        "ENT_INVITATIONS_PER_ADDRESS_DAY",
        "ENT_BILLING_TRIAL_DAYS",
        "ENT_BILLING_GRACE_DAYS",
        "ENT_BILLING_RENEWAL_NOTICE_DAYS",
        "ENT_BILLING_PAYMENT_DAYS",
        "ENT_BILLING_BANK_ACCOUNT",
        "ENT_BILLING_SELLER",
        "ENT_OPERATOR_NAME",
        "ENT_OPERATOR_ADDRESS",
        "ENT_OPERATOR_ICE",
        "ENT_OPERATOR_RC",
        "ENT_OPERATOR_IF",
        "ENT_QUEUE",
        "ENT_JOB_RETRY_INTERVALS",
        "ENT_JOB_TIMEOUT",
        "ENT_JOB_HEARTBEAT",
        "ENT_JOB_SWEEP",
        "ENT_UPLOAD_MAX_PIXELS",
        "ENT_IMAGE_DECODE_CONCURRENCY",
        "ENT_API_MAX_JSON_BYTES",
        "ENT_GC_FREEZE",
    }
)
#: Read from the environment only: they say where the file and the instance folder are.
#: Read by ``ent_core.billing.settings`` (which knows their defaults) from the config.
BILLING_SETTINGS = tuple(
    sorted(n for n in PLATFORM_SETTINGS if n.startswith(("ENT_BILLING_", "ENT_OPERATOR_")))
)
ENVIRONMENT_ONLY = ("ENT_CONFIG_FILE", "ENT_INSTANCE_PATH")
#: ``ENT_PLUGIN_<NAME>__<SETTING>``: one operator setting of one plugin (``__`` separates them,
#: as plugin and setting names may both hold ``_``).
_PLUGIN_VAR = re.compile(r"^ENT_PLUGIN_([A-Z0-9_]+?)__([A-Z0-9_]+)$")


class ConfigurationError(RuntimeError):
    """Raised at start-up when the environment cannot run the platform safely."""


@dataclass(frozen=True, slots=True)
class PluginConfiguration:
    """What the configuration says about plugins; checked once they are loaded."""

    #: Names of the plugins to load (``None``: every one installed).
    installed: tuple[str, ...] | None = None
    #: Switched on for a workspace when it is approved, where its plan entitles it.
    enabled_by_default: tuple[str, ...] = ()
    #: ``{plugin: {setting: (value, where it was read)}}``.
    operator: dict[str, dict[str, tuple[Any, str]]] = field(default_factory=dict)


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


def config_file(env: dict[str, str], instance: Path) -> Path | None:
    """The TOML file to read: ``ENT_CONFIG_FILE``, else ``<instance>/ent.toml`` if present."""
    given = env.get("ENT_CONFIG_FILE", "").strip()
    if given:
        path = Path(given).expanduser()
        if not path.is_file():
            raise ConfigurationError(f"ENT_CONFIG_FILE={given!r}: there is no such file")
        return path.resolve()
    default = instance / "ent.toml"
    return default if default.is_file() else None


def read_file(path: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """The file's platform settings, as the environment would give them, and its plugins table."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"{path}: cannot be read as TOML: {exc}") from None
    unknown = sorted(set(data) - {"platform", "plugins"})
    if unknown:
        raise ConfigurationError(
            f"{path}: unknown table(s) {', '.join(unknown)}; the file holds [platform] and "
            "[plugins] (docs/configuration.md)"
        )
    platform = _table(data.get("platform", {}), f"{path} [platform]")
    values = {}
    for key, value in platform.items():
        where = f"{key} in {path} [platform]"
        if key in ENVIRONMENT_ONLY:
            raise ConfigurationError(f"{where}: {key} is read from the environment only")
        if key in ("ENT_PLUGINS", "ENT_PLUGINS_ENABLED_BY_DEFAULT"):
            raise ConfigurationError(
                f"{where}: the file says this in [plugins] (installed, enabled_by_default)"
            )
        if key not in PLATFORM_SETTINGS and not _OIDC_VAR.match(key):
            raise ConfigurationError(f"{where}: unknown setting{_did_you_mean(key)}")
        values[key] = _as_text(value, where)
    return values, _table(data.get("plugins", {}), f"{path} [plugins]")


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigurationError(f"{where} must be a table")
    return value


def _did_you_mean(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, sorted(PLATFORM_SETTINGS), n=1)
    return f"; did you mean {close[0]}?" if close else " (docs/configuration.md lists them)"


def _as_text(value: Any, where: str) -> str:
    """A TOML value as the environment would spell it, so one parser reads both."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, int | str) for v in value):
        return ",".join(str(v) for v in value)
    raise ConfigurationError(f"{where}: a text, a number, true/false or a list, not {value!r}")


def _names(value: Any, where: str) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise ConfigurationError(f"{where} must be a list of plugin names, not {value!r}")
    return tuple(dict.fromkeys(i.strip() for i in items if i.strip()))


def _listed(value: Any) -> Any:
    """A ``create_app()`` override: a comma-separated text or any iterable of names."""
    return value if isinstance(value, str) else list(value)


def plugin_configuration(
    env: dict[str, str], plugins: dict[str, Any], where: str, overrides: dict[str, Any]
) -> tuple[PluginConfiguration, dict[str, dict[str, Any]]]:
    """What is said of plugins (environment over file), and the file's workspace defaults."""
    plugins = dict(plugins)
    installed: tuple[str, ...] | None = None
    if "ENT_PLUGINS" in overrides:
        given = overrides.pop("ENT_PLUGINS")
        installed = None if given is None else _names(_listed(given), "ENT_PLUGINS")
    elif env.get("ENT_PLUGINS", "").strip():
        installed = _names(env["ENT_PLUGINS"], "ENT_PLUGINS")
    elif "installed" in plugins:
        installed = _names(plugins["installed"], f"installed in {where}")
    plugins.pop("installed", None)
    if "ENT_PLUGINS_ENABLED_BY_DEFAULT" in overrides:
        by_default = _names(
            _listed(overrides.pop("ENT_PLUGINS_ENABLED_BY_DEFAULT")),
            "ENT_PLUGINS_ENABLED_BY_DEFAULT",
        )
    elif env.get("ENT_PLUGINS_ENABLED_BY_DEFAULT", "").strip():
        by_default = _names(env["ENT_PLUGINS_ENABLED_BY_DEFAULT"], "ENT_PLUGINS_ENABLED_BY_DEFAULT")
    else:
        by_default = _names(plugins.pop("enabled_by_default", []), f"enabled_by_default in {where}")
    plugins.pop("enabled_by_default", None)
    operator: dict[str, dict[str, tuple[Any, str]]] = {}
    workspace_defaults: dict[str, dict[str, Any]] = {}
    for name, table in plugins.items():
        section = f"{where.removesuffix(' [plugins]')} [plugins.{name}]"
        values = dict(_table(table, section))
        defaults = values.pop("workspace_defaults", None)
        if defaults is not None:
            workspace_defaults[name] = _table(defaults, f"{section} workspace_defaults")
        for key, value in values.items():
            operator.setdefault(name, {})[key] = (value, f"{key} in {section}")
    for key, value in sorted(env.items()):
        match = _PLUGIN_VAR.match(key)
        if match:
            name, setting = match.group(1).lower(), match.group(2).lower()
            operator.setdefault(name, {})[setting] = (value, key)
    return PluginConfiguration(installed, by_default, operator), workspace_defaults


def _integer(env: dict[str, str], name: str, default: int, *, minimum: int = 1) -> int:
    """A whole number of at least ``minimum``; anything else is refused at start-up."""
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < minimum:
        raise ConfigurationError(
            f"{name} must be a whole number of at least {minimum}, not {value!r}"
        )
    return int(value)


def load(environ: dict[str, str] | None = None, **overrides: Any) -> dict[str, Any]:
    """Build the Flask config mapping from the environment, then apply ``overrides``."""
    env = dict(os.environ if environ is None else environ)
    instance = Path(
        overrides.pop("ENT_INSTANCE_PATH", None)
        or env.get("ENT_INSTANCE_PATH")
        or Path.cwd() / "instance"
    ).resolve()
    path = config_file(env, instance)
    from_file, plugins_table = read_file(path) if path else ({}, {})
    try:
        return _load({**from_file, **env}, instance, path, plugins_table, overrides)
    except ConfigurationError as exc:
        name = re.split(r"[\s=]", str(exc), maxsplit=1)[0]
        if path and name in from_file and name not in env:
            raise ConfigurationError(f"{exc} (set in {path} [platform])") from None
        raise


def _load(
    env: dict[str, str],
    instance: Path,
    path: Path | None,
    plugins_table: dict[str, Any],
    overrides: dict[str, Any],
) -> dict[str, Any]:
    ent_env = overrides.pop("ENT_ENV", None) or env.get("ENT_ENV", "development")
    if ent_env not in ENVIRONMENTS:
        raise ConfigurationError(
            f"ENT_ENV must be one of {', '.join(ENVIRONMENTS)}, not {ent_env!r}"
        )
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
        "ENT_PROXY_FIX": _integer(env, "ENT_PROXY_FIX", 0, minimum=0),
        # Strict-Transport-Security max-age, sent on answers to HTTPS requests only; 0: none.
        "ENT_HSTS_SECONDS": _integer(env, "ENT_HSTS_SECONDS", 31536000, minimum=0),
        **_base_url(env, overrides, ent_env),
        "ENT_OIDC_PROVIDERS": oidc_providers(env),
        "ENT_SIGN_IN_MAX_FAILURES": _integer(env, "ENT_SIGN_IN_MAX_FAILURES", 5),
        "ENT_SIGN_IN_WINDOW_SECONDS": _integer(env, "ENT_SIGN_IN_WINDOW_SECONDS", 900),
        # Unset: four times the per-email limit, so one office address is not locked out.
        "ENT_SIGN_IN_MAX_FAILURES_PER_IP": _integer(
            env, "ENT_SIGN_IN_MAX_FAILURES_PER_IP", 0, minimum=0
        )
        or None,
        "ENT_API_TOKEN_MAX_FAILURES": _integer(env, "ENT_API_TOKEN_MAX_FAILURES", 20),
        "ENT_API_TOKEN_WINDOW_SECONDS": _integer(
            env, "ENT_API_TOKEN_WINDOW_SECONDS", 600, minimum=1
        ),
        "ENT_INVITATIONS_PER_WORKSPACE_HOUR": _integer(
            env, "ENT_INVITATIONS_PER_WORKSPACE_HOUR", 20, minimum=1
        ),
        "ENT_INVITATIONS_PER_ADDRESS_DAY": _integer(
            env, "ENT_INVITATIONS_PER_ADDRESS_DAY", 3, minimum=1
        ),
        "ENT_JOBS_INLINE_RAISE": ent_env == "testing",
        "ENT_QUEUE": env.get("ENT_QUEUE", "ent"),
        "ENT_JOB_RETRY_INTERVALS": env.get("ENT_JOB_RETRY_INTERVALS", "10,60,300"),
        "ENT_JOB_TIMEOUT": _integer(env, "ENT_JOB_TIMEOUT", 600),
        "ENT_JOB_HEARTBEAT": _integer(env, "ENT_JOB_HEARTBEAT", 10),
        "ENT_JOB_SWEEP": _integer(env, "ENT_JOB_SWEEP", 5),
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=_integer(env, "ENT_REMEMBER_DAYS", 30)),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "fr",
        "ENT_LANGUAGES": ("fr", "en", "ar"),
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        # Uploaded images: refused above this many pixels before decoding; decoded this many
        # at a time per process (ent_core.uploads, docs/configuration.md).
        "ENT_UPLOAD_MAX_PIXELS": _integer(env, "ENT_UPLOAD_MAX_PIXELS", 25_000_000),
        "ENT_IMAGE_DECODE_CONCURRENCY": _integer(env, "ENT_IMAGE_DECODE_CONCURRENCY", 1),
        # API JSON bodies above this are refused with 413 before parsing (ent_core.input_guard).
        "ENT_API_MAX_JSON_BYTES": _integer(
            env, "ENT_API_MAX_JSON_BYTES", 2 * 1024 * 1024, minimum=1
        ),
        # Hide what start-up built from the garbage collector (ent_core.app._freeze_start_up).
        "ENT_GC_FREEZE": _switch(env, "ENT_GC_FREEZE", default=production),
    }
    config.update({name: env[name] for name in BILLING_SETTINGS if name in env})
    plugins, workspace_defaults = plugin_configuration(
        env, plugins_table, f"{path} [plugins]", overrides
    )
    config["ENT_CONFIG_FILE"] = str(path) if path else None
    config["ENT_PLUGINS"] = list(plugins.installed) if plugins.installed is not None else None
    config["ENT_PLUGINS_ENABLED_BY_DEFAULT"] = plugins.enabled_by_default
    config["ENT_PLUGIN_CONFIGURATION"] = plugins
    config["ENT_PLUGIN_SETTINGS"] = workspace_defaults
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
