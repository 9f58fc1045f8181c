"""The absolute address every link starts with: mails, feeds, canonical URLs, QR codes, the
API's ``url`` fields (docs/configuration.md, ``ENT_BASE_URL``).

Production builds links on ``ENT_BASE_URL`` only, which start-up requires: a link built from a
request's ``Host`` header would let anyone who sends a forged one receive password-reset links
pointing at their site. In development, without ``ENT_BASE_URL``, links follow the address
actually served: the request's host and port, and outside a request (jobs, mails) the address
``ent serve`` was started with.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request


def base_url() -> str:
    """Scheme, host and port links start with, without a trailing ``/``."""
    config = current_app.config
    if config.get("ENT_BASE_URL_FROM_REQUEST") and has_request_context():
        return request.host_url.rstrip("/")  # type: ignore[no-any-return]
    return config["ENT_BASE_URL"]  # type: ignore[no-any-return]


def serving_at(app: Any, host: str, port: int) -> None:
    """``ent serve`` in development: links made outside a request use the address served."""
    if not app.config.get("ENT_BASE_URL_FROM_REQUEST"):
        return
    shown = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "localhost"}.get(host, host)  # noqa: S104 - a name to link to, not a bind
    if ":" in shown:  # an IPv6 address
        shown = f"[{shown}]"
    app.config["ENT_BASE_URL"] = f"http://{shown}:{port}"
