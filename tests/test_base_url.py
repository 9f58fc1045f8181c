"""Where links point (ent_core/links.py): ``ENT_BASE_URL`` in production, required and checked;
in development the address actually served (docs/configuration.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask

from ent_core import create_app, sdk
from ent_core.cli import main
from ent_core.config import ConfigurationError, load
from ent_core.links import serving_at

PRODUCTION = {
    "ENT_ENV": "production",
    "SECRET_KEY": "s" * 40,
    "SMTP_URL": "smtp://127.0.0.1:2525",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.fixture
def served(app: Flask, ent_config: dict[str, Any]) -> Iterator[Flask]:
    """A development platform with no ``ENT_BASE_URL`` (on the database ``app`` prepared)."""
    config = {k: v for k, v in ent_config.items() if k != "ENT_BASE_URL"}
    yield create_app({**config, "ENT_PLUGINS": ""})


def test_development_links_follow_the_host_and_port_of_the_request(served):
    client = served.test_client()
    feed = client.get("/portal/atom.xml", base_url="http://127.0.0.1:5201").text
    assert "http://127.0.0.1:5201/portal" in feed and ":5000" not in feed
    with served.test_request_context("/", base_url="http://192.168.1.20:8080"):
        assert sdk.external_url("auth.sign_in") == "http://192.168.1.20:8080/auth/sign-in"


def test_development_links_outside_a_request_use_the_address_ent_serve_was_started_with(served):
    serving_at(served, "0.0.0.0", 5201)  # noqa: S104 - what `make run HOST=0.0.0.0` passes
    with served.app_context():  # a job, a mail
        assert sdk.external_url("auth.sign_in") == "http://127.0.0.1:5201/auth/sign-in"


def test_a_configured_base_url_wins_over_the_requests_host(app):
    with app.test_request_context("/", base_url="http://evil.example"):
        assert sdk.external_url("auth.sign_in") == "http://localhost/auth/sign-in"
    serving_at(app, "127.0.0.1", 5201)
    assert app.config["ENT_BASE_URL"] == "http://localhost"


def test_production_requires_a_base_url():
    with pytest.raises(ConfigurationError, match="ENT_BASE_URL must be set when ENT_ENV=prod"):
        load(PRODUCTION)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("ftp://ent.example.ma", "must start with http:// or https://"),
        ("ent.example.ma", "must start with http:// or https://"),
        ("https://", "must start with http:// or https://"),
        ("https://ent.example.ma/ent", "must not carry a path"),
        ("https://ent.example.ma/?lang=fr", "must not carry a path, query"),
        ("https://ent.example.ma:port", "is not an address"),
    ],
)
def test_a_base_url_that_cannot_start_a_link_is_refused_with_the_fix(value, says):
    with pytest.raises(ConfigurationError) as refused:
        load({**PRODUCTION, "ENT_BASE_URL": value})
    assert says in str(refused.value)
    assert repr(value) in str(refused.value) and "e.g. https://ent.example.ma" in str(refused.value)


def test_a_trailing_slash_is_dropped():
    settings = load({**PRODUCTION, "ENT_BASE_URL": "https://ent.example.ma:8443/"})
    assert settings["ENT_BASE_URL"] == "https://ent.example.ma:8443"


def test_ent_says_what_is_wrong_with_the_base_url_without_a_traceback(tmp_path):
    env = {**PRODUCTION, "ENT_BASE_URL": "https://ent.example.ma/ent"}
    env["ENT_INSTANCE_PATH"] = str(tmp_path)
    result = CliRunner().invoke(main, ["db", "status"], env=env)
    assert result.exit_code == 2
    assert "ENT_BASE_URL='https://ent.example.ma/ent' must not carry a path" in result.output
    assert "Traceback" not in result.output


def test_links_are_built_through_one_place():
    """A module reading ``ENT_BASE_URL`` itself would write :5000 in development again: links
    go through ``sdk.external_url`` or ``ent_core.links.base_url``."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    allowed = {
        "ent_core/config.py",
        "ent_core/links.py",
        "ent_core/api/openapi.py",  # the document's `servers`: the configured address
        "ent_core/testing.py",  # the test kit's configuration
    }
    readers = [
        path.relative_to(root).as_posix()
        for folder in ("ent_core", "plugins")
        for path in (root / folder).rglob("*.py")
        if "/tests/" not in path.as_posix() and '"ENT_BASE_URL"' in path.read_text(encoding="utf-8")
    ]
    assert sorted(set(readers) - allowed) == []
