"""``sdk.cache``: a plugin's cache, per workspace, in Redis or in the process (docs/cache.md).

Keys are namespaced without the plugin's help: the plugin is the one whose package holds the
calling module (as ``sdk.gettext`` finds its catalogue), the workspace the current one. A
key also carries the plugin's *activation generation* in that workspace, a token renewed
each time the plugin is switched on or off there: the old keys are never read again and
expire, so nothing has to scan Redis. Values go through JSON on both backends, so what a
plugin reads back is a copy that behaves the same in development and in production.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

from flask import Flask, current_app

from ent_core.db import ALL, WorkspaceRequired, _declared_scope, current_workspace_or_none
from ent_core.speedups import BoundedCache

log = logging.getLogger(__name__)

#: Keys kept by the in-process backend (per process; the oldest go first).
MEMORY_LIMIT = 10_000
#: Seconds a page waits for Redis before reading a miss (or keeping a count for later).
REDIS_TIMEOUT = 0.5
#: Default lifetime of an entry, in seconds: a cache is never a store.
DEFAULT_TTL = 300

_CURRENT: Any = object()


class PluginCache:
    """What ``sdk.cache`` is: ``get``, ``set``, ``add``, ``delete`` and ``get_or_set``, with TTLs.

    ``workspace=`` names another workspace than the current one (an object or an id), or
    ``None`` for keys of the whole platform: crossing workspaces is always said out loud.
    """

    __slots__ = ()

    def get(self, key: str, default: Any = None, *, workspace: Any = _CURRENT) -> Any:
        """The value kept under ``key``, or ``default`` (a miss, an expired key, Redis down)."""
        full = _full_key(key, workspace, _caller())
        if full is None:
            return default
        raw = _backend(current_app).get(full)
        return default if raw is None else json.loads(raw)

    def set(
        self, key: str, value: Any, *, ttl: int = DEFAULT_TTL, workspace: Any = _CURRENT
    ) -> None:
        """Keep ``value`` (anything ``json.dumps`` takes) under ``key`` for ``ttl`` seconds."""
        if ttl <= 0:
            raise ValueError("ttl must be a positive number of seconds")
        raw = json.dumps(value, separators=(",", ":"))  # not JSON-able: fails here, everywhere
        full = _full_key(key, workspace, _caller())
        if full is not None:
            _backend(current_app).set(full, raw, ttl)

    def delete(self, key: str, *, workspace: Any = _CURRENT) -> None:
        """Forget ``key`` (nothing happens if it was not kept)."""
        full = _full_key(key, workspace, _caller())
        if full is not None:
            _backend(current_app).delete(full)

    def add(
        self, key: str, value: Any = 1, *, ttl: int = DEFAULT_TTL, workspace: Any = _CURRENT
    ) -> bool:
        """Keep ``value`` under ``key`` only if nothing is kept there: ``True`` when this call
        kept it, ``False`` when a value was there already (Redis ``SET NX``, one step, so two
        processes asking at once get one ``True``). "Once per token" events (an ad's
        viewability beacon) count on it. Redis down answers ``True``: the event is counted,
        and a repeat during the outage may count twice rather than none."""
        if ttl <= 0:
            raise ValueError("ttl must be a positive number of seconds")
        raw = json.dumps(value, separators=(",", ":"))
        full = _full_key(key, workspace, _caller())
        if full is None:
            return False
        return bool(_backend(current_app).add(full, raw, ttl))

    def get_or_set(
        self,
        key: str,
        compute: Callable[[], Any],
        *,
        ttl: int = DEFAULT_TTL,
        workspace: Any = _CURRENT,
    ) -> Any:
        """The value kept under ``key``, else ``compute()``, kept for ``ttl`` seconds.

        The answer is always what a later ``get`` returns (the value after a JSON round
        trip), so a hit and a miss look the same to the caller.
        """
        if ttl <= 0:
            raise ValueError("ttl must be a positive number of seconds")
        full = _full_key(key, workspace, _caller())
        backend = _backend(current_app)
        raw = None if full is None else backend.get(full)
        if raw is not None:
            return json.loads(raw)
        raw = json.dumps(compute(), separators=(",", ":"))
        if full is not None:
            backend.set(full, raw, ttl)
        return json.loads(raw)


def _caller() -> str:
    import sys

    return sys._getframe(2).f_globals.get("__name__", "")


# -- keys ------------------------------------------------------------------------------------
def _full_key(key: str, workspace: Any, module_name: str) -> str | None:
    """The backend key of ``key``, or ``None`` when the plugin is off in that workspace (then
    nothing is kept: its code should not run there, and keys written meanwhile would outlive
    the activation change that should have dropped them)."""
    if not isinstance(key, str) or not key:
        raise TypeError("cache keys are non-empty strings")
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    plugin = plugin_of(app, module_name)
    workspace_id = _workspace_id(workspace)
    if workspace_id is None:
        return f"{_prefix(app)}:{plugin}:-:{key}"
    generation = activation_generation(app, plugin, workspace_id)
    if generation is None:
        return None
    return f"{_prefix(app)}:{plugin}:{workspace_id}:{generation}:{key}"


def _prefix(app: Flask) -> str:
    from ent_core.jobs.settings import queue_name

    # The queue names the platform in a shared Redis, as it does for jobs and schedules.
    return f"ent:cache:{queue_name(app)}"


def plugin_of(app: Flask, module_name: str) -> str:
    """The plugin whose code ``module_name`` is (its package, or its one module)."""
    owners: dict[str, str | None] = app.extensions.setdefault("ent.cache.owners", {})
    if module_name not in owners:
        owners[module_name] = None
        for plugin in app.extensions["ent"].ordered():
            package = _package(plugin.module)
            if module_name == package or module_name.startswith(package + "."):
                owners[module_name] = plugin.name
                break
    owner = owners[module_name]
    if owner is None:
        raise RuntimeError(
            f"sdk.cache and sdk.Counter belong to plugins; {module_name!r} is no plugin's module"
        )
    return owner


def _package(module: ModuleType) -> str:
    if hasattr(module, "__path__"):
        return module.__name__
    parent, _, last = module.__name__.rpartition(".")
    return parent if last == "plugin" and parent else module.__name__


def _workspace_id(workspace: Any) -> int | None:
    """The workspace keys belong to: the one named, else the declared scope, else the
    request's; none at all is an error, as for tenant rows."""
    if workspace is not _CURRENT:
        return workspace if workspace is None or isinstance(workspace, int) else workspace.id
    declared = _declared_scope.get()
    if declared is not None and declared != ALL:
        return declared
    current = current_workspace_or_none()
    if current is not None and declared is None:
        return int(current.id)
    raise WorkspaceRequired(
        "no workspace is current for this cache or counter key: pass workspace=... "
        "(None for the whole platform)"
    )


def activation_generation(app: Flask, plugin: str, workspace_id: int) -> str | None:
    """The plugin's activation token in the workspace, ``None`` while it is off there."""
    from ent_core.db import db
    from ent_core.workspaces.models import Workspace

    current = current_workspace_or_none()
    workspace = current if current is not None and current.id == workspace_id else None
    if workspace is None:
        workspace = db.session.get(Workspace, workspace_id)
        if workspace is None:
            return None
    return app.extensions["ent"].cache_generation(workspace, plugin)  # type: ignore[no-any-return]


# -- backends --------------------------------------------------------------------------------
def _backend(app: Flask) -> Any:
    backend = app.extensions.get("ent.cache")
    if backend is None:
        backend = app.extensions["ent.cache"] = (
            RedisBackend(app) if app.config.get("REDIS_URL") else MemoryBackend()
        )
    return backend


class MemoryBackend:
    """Entries of this process: bounded (the oldest go first), expired on read."""

    def __init__(self, limit: int = MEMORY_LIMIT) -> None:
        self._entries: BoundedCache[str, tuple[float, str]] = BoundedCache(limit)
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= time.monotonic():
            self.delete(key)
            return None
        return entry[1]

    def set(self, key: str, raw: str, ttl: int) -> None:
        with self._lock:
            self._entries.put(key, (time.monotonic() + ttl, raw))

    def delete(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def add(self, key: str, raw: str, ttl: int) -> bool:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > time.monotonic():
                return False
            self._entries.put(key, (time.monotonic() + ttl, raw))
            return True


def request_redis(app: Flask) -> Any:
    """A Redis client for calls made while a page waits (the cache, counting): short waits
    and no retries, so a Redis that hangs costs a page half a second, not the jobs client's
    ten seconds per attempt."""
    url = app.config["REDIS_URL"]
    clients: dict[str, Any] = app.extensions.setdefault("ent.cache.redis", {})
    client = clients.get(url)
    if client is None:
        from redis import Redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        client = clients[url] = Redis.from_url(
            url,
            socket_connect_timeout=REDIS_TIMEOUT,
            socket_timeout=REDIS_TIMEOUT,
            retry=Retry(NoBackoff(), 0),
        )
    return client


class RedisBackend:
    """Entries in Redis (``REDIS_URL``); an error is logged and read as a miss, never raised:
    a cache that is down makes pages slower, not broken."""

    def __init__(self, app: Flask) -> None:
        self._client = request_redis(app)

    def get(self, key: str) -> str | None:
        from redis.exceptions import RedisError

        try:
            raw = self._client.get(key)
        except RedisError as exc:
            log.warning("cache: Redis unavailable, read as a miss: %s", exc)
            return None
        return None if raw is None else raw.decode()

    def set(self, key: str, raw: str, ttl: int) -> None:
        from redis.exceptions import RedisError

        try:
            self._client.set(key, raw, ex=ttl)
        except RedisError as exc:
            log.warning("cache: Redis unavailable, value not kept: %s", exc)

    def add(self, key: str, raw: str, ttl: int) -> bool:
        from redis.exceptions import RedisError

        try:
            return bool(self._client.set(key, raw, ex=ttl, nx=True))
        except RedisError as exc:
            log.warning("cache: Redis unavailable, add() answers True: %s", exc)
            return True

    def delete(self, key: str) -> None:
        from redis.exceptions import RedisError

        try:
            self._client.delete(key)
        except RedisError as exc:
            log.warning("cache: Redis unavailable, key not deleted: %s", exc)


cache = PluginCache()
