"""A plugin that requires alpha and fills the same slot (ordering checks)."""

from __future__ import annotations

from typing import Any

from ent_core import sdk

meta = sdk.PluginMeta(name="beta", version="0.1.0", label="Beta", requires=("alpha",))


def recall(key: str, **options: Any) -> Any:
    """Beta's own cache (tests/test_cache.py): never alpha's, even under the same key."""
    return sdk.cache.get(key, **options)


def remember(key: str, value: Any, **options: Any) -> None:
    sdk.cache.set(key, value, **options)


@sdk.hookimpl
def ent_template_slot(slot: str, context: dict[str, Any]) -> Any:
    if slot == "test.slot":
        return "<i>beta</i>"
    return None


@sdk.hookimpl
def ent_wsgi_middleware(app: Any) -> list[Any]:
    """Answers ``/beta-ping`` before Flask (tests/test_hooks.py), with the app it was given."""

    def wrap(inner: Any) -> Any:
        def middleware(environ: dict[str, Any], start_response: Any) -> Any:
            if environ.get("PATH_INFO") != "/beta-ping":
                return inner(environ, start_response)
            with app.app_context():
                body = f"pong from {app.name}".encode()
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [body]

        return middleware

    return [wrap]
