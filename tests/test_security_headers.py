"""Every answer carries the security headers (docs/deployment.md, "Security headers"); the
request id a client sends is echoed and logged only when it is short and inert."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _directives(policy: str) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize("path", ["/", "/auth/sign-in", "/api/v1/openapi.json", "/no-such-page"])
def test_every_answer_carries_a_strict_policy(client, path):
    headers = client.get(path).headers
    csp = _directives(headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert not any("unsafe" in value for values in csp.values() for value in values)
    assert "camera=()" in headers["Permissions-Policy"]
    assert "microphone=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_hsts_only_over_tls(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost").headers
    assert secure["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_follows_the_proxy_scheme_when_the_proxy_is_trusted(ent_config, ent_plugin_modules):
    from ent_core import create_app

    behind_proxy = create_app(
        {**ent_config, "ENT_PROXY_FIX": 1}, plugin_modules=list(ent_plugin_modules)
    )
    with behind_proxy.test_client() as proxied:
        answer = proxied.get("/healthz", headers={"X-Forwarded-Proto": "https"})
        assert answer.headers["Strict-Transport-Security"].startswith("max-age=")
        assert "Strict-Transport-Security" not in proxied.get("/healthz").headers


def test_a_forwarded_scheme_is_not_believed_without_a_trusted_proxy(client):
    answer = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in answer.headers


@pytest.mark.parametrize("asked", ["req-42.A_b", "a" * 64])
def test_a_well_formed_request_id_is_echoed(client, asked):
    assert client.get("/healthz", headers={"X-Request-ID": asked}).headers["X-Request-ID"] == asked


@pytest.mark.parametrize(
    "asked", ["a" * 65, "bad id", "x\u00e9", "<script>", "a;b", "line\\nbreak", "ok\x7f"]
)
def test_a_malformed_request_id_is_replaced(client, asked):
    echoed = client.get("/healthz", headers={"X-Request-ID": asked}).headers["X-Request-ID"]
    assert echoed != asked
    assert re.fullmatch(r"[0-9a-f]{32}", echoed)


def test_templates_hold_no_inline_script_or_handler():
    """The policy forbids inline code: every script is a static file (docs/ui.md)."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)|\son[a-z]+=")
    found = [
        str(path.relative_to(ROOT))
        for folder in (ROOT / "ent_core", ROOT / "plugins")
        for path in folder.rglob("*.html")
        if "node_modules" not in path.parts and inline.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
