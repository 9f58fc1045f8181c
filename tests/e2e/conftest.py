"""End-to-end fixtures: a real SMTP server, the platform on a live port, headless Chromium.

The browser is Debian's Chromium (``ENT_TEST_BROWSER``, default ``/usr/bin/chromium``) driven by
Playwright from PyPI; Playwright's own browser downloads are never used. Without Chromium the
tests are skipped, unless ``ENT_TEST_REQUIRE_SERVICES=1`` (CI), where they fail instead.
"""

from __future__ import annotations

import email
import email.policy
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from ent_core.testing import CHROMIUM_ARGS, chromium_executable

#: How long a page action or an expectation may wait (ms): generous for a loaded CI machine,
#: short enough that a missing element fails the test quickly.
ACTION_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is a browser test, so ``-m "not browser"`` leaves it out."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item so fixtures can tell a failed test at teardown."""
    report = yield
    setattr(item, f"ent_report_{report.when}", report)
    return report


# --- SMTP -------------------------------------------------------------------------------------


@dataclass
class SmtpServer:
    """A real SMTP server on loopback (aiosmtpd) that keeps every message it receives."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def received(self, data: bytes) -> None:
        message = email.message_from_bytes(data, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]

    def wait_for(self, to: str, timeout: float = 10.0) -> EmailMessage:
        """The latest message addressed to ``to``, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = [m for m in self.messages if to.lower() in str(m["To"]).lower()]
            if found:
                return found[-1]
            if time.monotonic() > deadline:
                seen = [(str(m["To"]), str(m["Subject"])) for m in self.messages]
                raise AssertionError(f"no mail to {to} within {timeout}s; received: {seen}")
            time.sleep(0.05)


def message_text(message: EmailMessage) -> str:
    """The plain-text body of ``message`` (the HTML part when it has no text part)."""
    part = message.get_body(preferencelist=("plain", "html"))
    assert part is not None, f"mail {message['Subject']!r} has no body"
    return part.get_content()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    """An SMTP server for the whole session; ``smtp`` gives each test an empty mailbox."""
    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self, server: SmtpServer) -> None:
            self.server = server

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            self.server.received(envelope.original_content or envelope.content)
            return "250 Message accepted for delivery"

    for _attempt in range(5):  # aiosmtpd needs a fixed port: retry if another process took it
        server = SmtpServer("127.0.0.1", _free_port())
        controller = Controller(Handler(server), hostname=server.host, port=server.port)
        try:
            controller.start()
        except (OSError, RuntimeError):
            continue
        break
    else:
        raise RuntimeError("could not start the test SMTP server on a free loopback port")
    yield server
    controller.stop()


@pytest.fixture
def smtp(smtp_server: SmtpServer) -> SmtpServer:
    smtp_server.clear()
    return smtp_server


# --- live server ------------------------------------------------------------------------------


@dataclass
class LiveServer:
    """The platform served over HTTP on a loopback port, sharing the test session's database."""

    app: Flask
    url: str

    def __call__(self, path: str) -> str:
        """Absolute URL of ``path`` on this server."""
        return self.url + path


@pytest.fixture
def live_config(
    ent_config: dict[str, Any], smtp: SmtpServer, tmp_path: Path
) -> Callable[[str], dict[str, Any]]:
    """Configuration of the live app for a base URL: real CSRF, real SMTP, inline jobs."""

    def build(base_url: str) -> dict[str, Any]:
        return {
            **ent_config,
            "ENT_INSTANCE_PATH": str(tmp_path / "instance"),
            "WTF_CSRF_ENABLED": True,
            "SMTP_URL": smtp.url,
            "REDIS_URL": None,
            "ENT_BASE_URL": base_url,
        }

    return build


@pytest.fixture
def live_server(
    app: Flask,
    app_ctx: Flask,
    live_config: Callable[[str], dict[str, Any]],
    ent_plugin_modules: list[Any],
) -> Iterator[LiveServer]:
    """A fresh app per test behind werkzeug's threaded server.

    It depends on the session ``app`` (which creates the schema) and on ``app_ctx`` (which empties
    the database after the test). A new app per test keeps caches from leaking between tests.
    """
    from werkzeug.serving import make_server

    from ent_core import create_app

    # Bind first (port 0: the system picks a free one), then build the app that knows its URL.
    server = make_server("127.0.0.1", 0, None, threaded=True)  # type: ignore[arg-type]
    base_url = f"http://127.0.0.1:{server.server_port}"
    live_app = create_app(live_config(base_url), plugin_modules=list(ent_plugin_modules))
    server.app = live_app
    thread = threading.Thread(target=server.serve_forever, name="ent-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(live_app, base_url)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        from ent_core.db import db

        with live_app.app_context():
            db.session.remove()
            db.engine.dispose()


# --- browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium for the session (Playwright's sync API), as ``in_chromium`` of
    ``ent_core.testing`` launches it; skipped, or failed under CI, when it is missing."""
    executable = chromium_executable()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots of failed tests go (``ENT_TEST_ARTIFACTS`` or a pytest temp dir)."""
    configured = os.environ.get("ENT_TEST_ARTIFACTS")
    path = Path(configured) if configured else tmp_path_factory.mktemp("e2e-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


#: Runs in every document before its own scripts (Playwright injects it, so the page's policy
#: does not apply to it): the browser reports each thing the policy blocked as an event.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def watch_content_security_policy(context: Any) -> list[str]:
    """What the page policy blocks in ``context``'s pages, as the browser reports it: the
    ``securitypolicyviolation`` events and Chromium's "Refused to ..." console messages."""
    refused: list[str] = []
    context.add_init_script(_REPORT_VIOLATIONS)

    def note(message: Any) -> None:
        text = message.text
        if text.startswith(("Refused to", "CSP violation")) or "Content Security Policy" in text:
            refused.append(f"{text} (page {message.page.url if message.page else '?'})")

    context.on("console", note)
    return refused


@pytest.fixture
def page(browser: Any, live_server: LiveServer, artifacts_dir: Path, request: Any) -> Iterator[Any]:
    """A page in a fresh browser context (French first), screenshotted if the test fails."""
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    refused = watch_content_security_policy(context)
    tab = context.new_page()
    try:
        yield tab
        assert refused == [], f"the Content-Security-Policy blocked: {refused}"
    finally:
        report = getattr(request.node, "ent_report_call", None)
        if report is None or report.failed:
            stem = artifacts_dir / request.node.name.replace("/", "_")
            try:
                tab.screenshot(path=f"{stem}.png", full_page=True)
                Path(f"{stem}.html").write_text(tab.content(), encoding="utf-8")
                print(f"e2e failure artifacts: {stem}.png, {stem}.html (page {tab.url})")
            except Exception as exc:  # a crashed page must not hide the test's own failure
                print(f"could not save e2e failure artifacts: {exc}")
        context.close()


# --- language ---------------------------------------------------------------------------------


def translate(app: Flask, lang: str, msgid: str, **variables: Any) -> str:
    """``msgid`` as the live app renders it in ``lang``, so tests find elements by their label.

    Tests that must prove a catalogue is really used also assert fixed French or Arabic text.
    """
    from flask_babel import force_locale, gettext

    with app.test_request_context("/"), force_locale(lang):
        return gettext(msgid, **variables)
