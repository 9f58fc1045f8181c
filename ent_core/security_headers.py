"""The headers every answer carries: request id, Content-Security-Policy, Permissions-Policy,
HSTS over TLS and the older browser switches (docs/deployment.md, "Security headers").

One ``after_request`` for the whole platform, so no page can forget them; a view that sets
one of these headers itself keeps its own (uploads send a stricter, sandboxed policy).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from flask import g, request

#: A request id we echo and log: short and inert (no spaces, quotes or line breaks).
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

#: Scripts and styles come from our own files only (no inline code, no ``style=``); images
#: from ``https:`` too, because article bodies may show pictures by address
#: (plugins/publishing/content.py keeps ``<img src="https://...">``).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)

#: Powerful browser features no page of the platform uses, switched off for every frame.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)

#: Types a browser shows with a viewer of its own, which the page policy breaks: Chromium's
#: PDF viewer draws with inline styles and an ``<embed>`` (PDFs get no policy), its XML viewer
#: (feeds, sitemaps) with inline styles and ``data:`` images (XML gets a policy without scripts).
VIEWER_POLICIES = {
    "application/pdf": None,
    **dict.fromkeys(
        ("application/xml", "text/xml", "application/atom+xml", "application/rss+xml"),
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
    ),
}


def request_id(asked: str | None) -> str:
    """The client's ``X-Request-ID`` when it is one we may echo and log, else a fresh one."""
    if asked and _REQUEST_ID.fullmatch(asked):
        return asked
    return uuid.uuid4().hex


class SecurityHeaders:
    """The ``after_request`` function: adds what the view did not set itself."""

    __slots__ = ("_always", "_hsts")  # called once per answer: keep the lookups flat

    def __init__(self, config: Mapping[str, Any]) -> None:
        self._always = (
            ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
            ("Permissions-Policy", PERMISSIONS_POLICY),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("X-Frame-Options", "DENY"),
        )
        seconds = int(config.get("ENT_HSTS_SECONDS", 0))
        self._hsts = f"max-age={seconds}" if seconds > 0 else None

    def __call__(self, response: Any) -> Any:
        headers = response.headers
        present = {key.lower() for key, _ in headers.items()}  # one pass, not one per header
        if "x-request-id" not in present:
            headers.add("X-Request-ID", g.get("request_id", ""))
        if "content-security-policy" not in present and response.mimetype in VIEWER_POLICIES:
            policy = VIEWER_POLICIES[response.mimetype]
            if policy is not None:
                headers.add("Content-Security-Policy", policy)
            present.add("content-security-policy")
        # A view's own policy that names frame-ancestors decides who may frame it (an ad
        # for other sites): DENY would contradict it, and browsers follow the CSP.
        if "content-security-policy" in present and "frame-ancestors" in (
            headers.get("Content-Security-Policy") or ""
        ):
            present.add("x-frame-options")
        for key, value in self._always:
            if key.lower() not in present:
                headers.add(key, value)
        # Only over TLS (ProxyFix or gunicorn turn X-Forwarded-Proto into the scheme): an HSTS
        # header on plain HTTP is ignored by browsers and would lock out a non-TLS test setup.
        if self._hsts and request.is_secure and "strict-transport-security" not in present:
            headers.add("Strict-Transport-Security", self._hsts)
        return response
