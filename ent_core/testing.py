"""pytest plugin with fixtures for the core's tests and for plugin authors (docs/testing.md).

Registered through the ``pytest11`` entry point, so any project that installs
``smart-medias-ent`` gets these fixtures. The database is SQLite in a temporary folder unless
``ENT_TEST_DATABASE_URL`` names another (PostgreSQL: one database per xdist worker).
"""

from __future__ import annotations

import contextvars
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

# Scopes for arranging and inspecting rows of several workspaces (docs/testing.md).
from ent_core.db import all_workspaces, in_workspace  # noqa: F401

# Jobs helpers re-exported for plugin tests (they may import only sdk and testing).
from ent_core.jobs import pending_jobs, run_due_jobs  # noqa: F401
from ent_core.jobs.testing import (  # noqa: F401 - fixtures
    redis_jobs,
    redis_outage,
    redis_url,
    wait_until,
)

DEFAULT_PASSWORD = "correct horse battery staple"  # noqa: S105 - test fixture


class EntTestClient(FlaskClient):
    """A test client that behaves like a browser, and runs each request in its own contexts.

    CSRF: a state change (``POST``, ``PUT``, ``PATCH``, ``DELETE``) carries the CSRF token a page
    rendered for this client's session would carry: the ``csrf_token`` field in form posts,
    the ``X-CSRFToken`` header otherwise (JSON, as a script reading the page's ``csrf-token``
    meta tag would). Not added: to a bearer request from a client without a session cookie
    (nothing to check, and no cookie to plant), when the test sends its own token, or when it
    passes ``csrf=False`` to prove a refusal: ``client.post(url, data=..., csrf=False)``.

    Contexts: Flask reuses an app context that is already pushed, which would share ``g``
    (the signed-in user, the current workspace) between requests. The test's own session is
    committed first so the request sees what the test arranged, and its objects reload after.
    """

    def open(self, *args: Any, csrf: bool = True, **kwargs: Any) -> Any:
        from flask import has_app_context

        from ent_core.db import db

        if csrf and args and isinstance(args[0], str) and self._needs_csrf_token(kwargs):
            kwargs = self._with_csrf_token(kwargs)
        if has_app_context():
            db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self) -> str:
        """The signed token a page rendered now for this client's session would carry; like
        a page, it starts a session (cookie) when the client has none."""

        def generate() -> str:
            from flask.ctx import RequestContext
            from flask.testing import EnvironBuilder
            from flask_wtf.csrf import generate_csrf

            app = self.application
            with self.session_transaction() as session:  # saved back to the cookie afterwards
                environ = EnvironBuilder(app).get_environ()
                with RequestContext(app, environ, session=session):
                    return generate_csrf()

        return contextvars.Context().run(generate)

    def _needs_csrf_token(self, kwargs: dict[str, Any]) -> bool:
        from werkzeug.datastructures import Headers

        config = self.application.config
        # ``_cookies`` is None for ``use_cookies=False`` (Flask's session_transaction asks too).
        if self._cookies is None or not config.get("WTF_CSRF_ENABLED", True):
            return False
        if str(kwargs.get("method", "GET")).upper() not in config["WTF_CSRF_METHODS"]:
            return False
        headers = Headers(kwargs.get("headers") or {})
        if any(name in headers for name in config["WTF_CSRF_HEADERS"]):
            return False
        data = kwargs.get("data")
        if isinstance(data, dict) and config["WTF_CSRF_FIELD_NAME"] in data:
            return False
        if headers.get("Authorization", "").lower().startswith("bearer "):
            from ent_core.identity.csrf import our_cookie_names

            return any(self.get_cookie(name) is not None for name in our_cookie_names(config))
        return True

    def _with_csrf_token(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        from werkzeug.datastructures import Headers, MultiDict

        token = self.csrf_token()
        data = kwargs.get("data")
        if isinstance(data, dict | MultiDict) and kwargs.get("json") is None:
            data = MultiDict(data) if isinstance(data, MultiDict) else dict(data)
            data[self.application.config["WTF_CSRF_FIELD_NAME"]] = token
            return {**kwargs, "data": data}
        headers = Headers(kwargs.get("headers") or {})
        headers["X-CSRFToken"] = token
        return {**kwargs, "headers": headers}


def pytest_configure(config: pytest.Config) -> None:
    """Markers of the platform's suites, known to every project that uses this kit."""
    for marker in (
        "postgres: needs PostgreSQL (runs when ENT_TEST_DATABASE_URL points at one)",
        "redis: needs Redis (runs when ENT_TEST_REDIS_URL is set)",
        "browser: end-to-end tests in headless Chromium",
        "frozen_clock(at=FROZEN_AT, tick=True): run on a clock starting at `at` (docs/testing.md)",
    ):
        config.addinivalue_line("markers", marker)


#: Where the ``frozen_clock`` starts unless the marker names a date: mid-June, away from the
#: turn of a year or a month and from Morocco's Ramadan clock change, so only a test that asks
#: for one of those meets it.
FROZEN_AT = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen_clock(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The test runs on a clock that starts at ``FROZEN_AT`` (or the ``frozen_clock`` marker's
    ``at``) in every thread, so its outcome never depends on the day it runs; yields
    time-machine's traveller (``move_to(when)``, ``shift(delta)``) to let time pass."""
    import time_machine

    marker = request.node.get_closest_marker("frozen_clock")
    at = marker.args[0] if marker is not None and marker.args else FROZEN_AT
    tick = marker.kwargs.get("tick", True) if marker is not None else True
    with time_machine.travel(at, tick=tick) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _frozen_clock_first(request: pytest.FixtureRequest) -> None:
    """Start the frozen clock before the test's other function fixtures make any rows."""
    if request.node.get_closest_marker("frozen_clock") or "frozen_clock" in request.fixturenames:
        request.getfixturevalue("frozen_clock")


def _database_url(tmp_path_factory: pytest.TempPathFactory, worker: str) -> str:
    url = os.environ.get("ENT_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'ent-test.sqlite3'}"
    from ent_core.config import normalise_database_url

    parsed = make_url(normalise_database_url(url))
    if not parsed.drivername.startswith("postgresql"):
        return url
    name = f"{parsed.database or 'ent_test'}_{worker}"
    import psycopg

    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def ent_database_url(tmp_path_factory: pytest.TempPathFactory, request: Any) -> str:
    """The database the test session uses (created empty for this worker)."""
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    return _database_url(tmp_path_factory, worker)


@pytest.fixture(scope="session")
def ent_config(ent_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Configuration given to ``create_app``; override this fixture to change it."""
    return {
        "ENT_ENV": "testing",
        "ENT_INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        "SQLALCHEMY_DATABASE_URI": ent_database_url,
        "REDIS_URL": None,
        "SMTP_URL": None,
        "ENT_BASE_URL": "http://localhost",
        "SERVER_NAME": None,
        "ENT_SIGN_IN_MAX_FAILURES": 5,
    }


@pytest.fixture(scope="session")
def ent_plugin_modules() -> list[Any]:
    """Extra plugin modules to register without an entry point (override in your conftest)."""
    return []


@pytest.fixture(scope="session")
def app(ent_config: dict[str, Any], ent_plugin_modules: list[Any]) -> Iterator[Flask]:
    """The application, built once per session, with an empty schema."""
    from ent_core import create_app
    from ent_core.db import db
    from ent_core.reference_data import ensure_reference_data

    application = create_app(dict(ent_config), plugin_modules=list(ent_plugin_modules))
    application.extensions["ent.mail_outbox"] = []
    application.test_client_class = EntTestClient
    with application.app_context():
        db.drop_all()
        db.create_all()
        ensure_reference_data()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _wipe(app: Flask) -> None:
    from ent_core.db import db

    with app.app_context():
        db.session.remove()
        keep = {"sector"}
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(
                    f'"{t.name}"' for t in db.metadata.sorted_tables if t.name not in keep
                )
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(db.metadata.sorted_tables):
                    if table.name not in keep:
                        conn.execute(table.delete())
        from ent_core.reference_data import ensure_reference_data

        ensure_reference_data()  # the charter goes with the wipe; publish it again
        registry = app.extensions["ent"]
        registry._workspace_cache.clear()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """An application context around the test; the database is emptied afterwards."""
    app.extensions["ent.mail_outbox"].clear()
    app.extensions.pop("ent.jobs.inline", None)  # delayed inline jobs of earlier tests
    app.extensions.pop("ent.jobs.redis_retry_at", None)  # an earlier test's Redis outage
    with app.app_context():
        yield app
    _forget_counts()
    _wipe(app)


def _forget_counts() -> None:
    """Counts a test made in process and did not flush stay in that test: the next one's
    rows (ids restart with the wipe) would otherwise receive them."""
    from ent_core.counters import _declared

    for counter in list(_declared.values()):
        with counter._lock:
            counter._local.clear()


@contextmanager
def operator_settings(name: str, **values: Any) -> Iterator[Any]:
    """Plugin ``name``'s operator settings with ``values`` changed (and checked) for the block,
    as if the operator had set them: tests of a setting's effect need no other application."""
    loaded = current_app.extensions["ent.operator_settings"]
    before = loaded[name]
    loaded[name] = type(before).model_validate({**before.model_dump(), **values})
    try:
        yield loaded[name]
    finally:
        loaded[name] = before


@pytest.fixture
def event_listener(app_ctx: Flask) -> Iterator[Any]:
    """The ``listener`` test plugin, installed for this test: switched on with
    ``enable(workspace, "listener")``, it hears every declared event, in the transaction and
    after commit; ``event_listener.heard("article.published")`` lists what it heard."""
    from ent_core.events.listener import installed

    with installed(app_ctx) as listener:
        yield listener


@pytest.fixture
def across_workspaces(app_ctx: Flask) -> Iterator[None]:
    """The test's own code (not its requests) works across workspaces, as ``with
    all_workspaces():`` around its whole body; prefer the block around the lines that need it."""
    with all_workspaces():
        yield


@pytest.fixture
def client(app_ctx: Flask) -> FlaskClient:
    return app_ctx.test_client()


@pytest.fixture
def mail_outbox(app_ctx: Flask) -> list[dict[str, Any]]:
    """Messages sent during the test: dicts with ``to``, ``subject``, ``text``, ``html``."""
    return app_ctx.extensions["ent.mail_outbox"]


@pytest.fixture
def make_user(app_ctx: Flask) -> Callable[..., Any]:
    """``make_user(email=..., password=..., admin=False, verified=True, name=...,
    sign_charter=True)``: by default the user has signed the current ethics charter."""
    from ent_core.db import db, utcnow
    from ent_core.identity.models import User
    from ent_core.identity.passwords import hash_password

    @all_workspaces()
    def factory(
        email: str | None = None,
        password: str = DEFAULT_PASSWORD,
        *,
        admin: bool = False,
        verified: bool = True,
        name: str = "",
        sign_charter: bool = True,
    ) -> Any:
        user = User(
            email=(email or f"user-{secrets.token_hex(4)}@example.ma").lower(),
            name=name or "Test User",
            password_hash=hash_password(password),
            is_admin=admin,
            email_verified_at=utcnow() if verified else None,
        )
        db.session.add(user)
        db.session.commit()
        if sign_charter:
            sign_current_charter(user)
        return user

    return factory


def sign_current_charter(user: Any) -> None:
    """Record ``user``'s signature of the current charter, as the charter page would."""
    from ent_core.charter.service import current_version, sign

    current = current_version()
    if current is not None:
        sign(user, current.version, language="fr", ip_address="127.0.0.1", user_agent="tests")


@pytest.fixture
def user(make_user: Callable[..., Any]) -> Any:
    return make_user("owner@example.ma", name="Amina Owner")


def sign_in(client: FlaskClient, user: Any) -> FlaskClient:
    """Give ``client`` a signed-in session for ``user`` without going through the form."""
    from flask_login.utils import _create_identifier

    user_id = user.get_id()

    def write_session() -> None:
        with client.application.test_request_context(environ_base=client.environ_base):
            identifier = _create_identifier()
        with client.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
            session["_id"] = identifier

    contextvars.Context().run(write_session)
    return client


@pytest.fixture
def signed_in_client(client: FlaskClient, user: Any) -> FlaskClient:
    """A test client signed in as ``user``."""
    return sign_in(client, user)


@pytest.fixture
def make_workspace(app_ctx: Flask, user: Any) -> Callable[..., Any]:
    """``make_workspace(slug, owner=user, kind="media", plugins=(), sectors=("it",))``.

    Workspaces come approved (vetted), as most tests need; ``status="pending"`` (or
    ``"rejected"``) gives one still waiting for a platform admin.
    """
    from ent_core.workspaces.service import create_workspace, enable_plugin

    @all_workspaces()  # arranging data is explicit about crossing workspaces
    def factory(
        slug: str = "acme",
        *,
        owner: Any = None,
        name: str | None = None,
        kind: str = "media",
        sectors: tuple[str, ...] = ("it",),
        plugins: tuple[str, ...] = (),
        status: str = "approved",
    ) -> Any:
        owner = owner or user
        ws = create_workspace(
            slug=slug,
            name=name or slug.title(),
            kind=kind,
            owner=owner,
            sectors=sectors,
            status=status,
        )
        if plugins:
            from ent_core.billing.testing import entitle

            entitle(ws, plugins)  # plan-gated plugins need a subscription
        for plugin in plugins:
            enable_plugin(ws, plugin, actor=owner)
        return ws

    return factory


@pytest.fixture
def workspace(make_workspace: Callable[..., Any]) -> Any:
    """Workspace ``acme`` owned by ``user``."""
    return make_workspace("acme")


@dataclass
class ApiClient:
    """A test client that sends a bearer token and speaks JSON."""

    client: FlaskClient
    token: str

    def open(self, method: str, path: str, json: Any = None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, json=json, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.open("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.open("POST", path, json=json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.open("PUT", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.open("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.open("DELETE", path, **kwargs)


@pytest.fixture
def make_api_client(app_ctx: Flask) -> Callable[[Any], ApiClient]:
    """``make_api_client(user)`` returns an :class:`ApiClient` with a fresh token."""
    from ent_core.identity.tokens import create_api_token

    def factory(for_user: Any) -> ApiClient:
        _, secret = create_api_token(for_user, "tests")
        return ApiClient(app_ctx.test_client(), secret)

    return factory


@pytest.fixture
def api_client(make_api_client: Callable[[Any], ApiClient], user: Any) -> ApiClient:
    """An API client authenticated as ``user``."""
    return make_api_client(user)


@all_workspaces()
def enable(workspace: Any, name: str, settings: dict[str, Any] | None = None) -> Any:
    """Switch plugin ``name`` on for ``workspace`` as the platform would (no actor)."""
    from ent_core.billing.testing import entitle
    from ent_core.workspaces.service import enable_plugin

    entitle(workspace, [name])  # plan-gated plugins need a subscription
    return enable_plugin(workspace, name, settings, actor=None)


@all_workspaces()
def add_member(workspace: Any, user: Any, role: str = "member") -> Any:
    """Make ``user`` a member of ``workspace`` with ``role`` (owner, admin, editor, member)."""
    from ent_core.db import db
    from ent_core.workspaces.models import Membership

    membership = Membership(workspace_id=workspace.id, user_id=user.id, role=role)
    db.session.add(membership)
    db.session.commit()
    return membership


@all_workspaces()
def enable_all(workspace: Any) -> list[str]:
    """Switch on every installed plugin for ``workspace``, dependencies first; return names."""
    from flask import current_app

    registry = current_app.extensions["ent"]
    pending = list(registry.ordered())
    from ent_core.billing.testing import entitle

    entitle(workspace, [p.name for p in pending], any_plan=True)
    while pending:
        ready = [p for p in pending if set(p.meta.requires) <= registry.enabled_for(workspace)]
        if not ready:
            raise RuntimeError(f"unsatisfiable requires: {[p.name for p in pending]}")
        for plugin in ready:
            enable(workspace, plugin.name)
            pending.remove(plugin)
    return sorted(registry.enabled_for(workspace))


def race(count: int, work: Callable[[int], Any], *, wait: float = 60) -> list[Any]:
    """``work(i)`` in ``count`` threads released together by a barrier: each result, or the
    exception it raised, in order. Concurrency tests use it with a session or a client per
    thread (``work`` opens its own), on PostgreSQL where rows lock for real."""
    import threading

    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=wait)
            results[i] = work(i)
        except Exception as exc:  # the caller's assertions report it
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def sample_pdf(text: str = "Smart Medias ENT") -> bytes:
    """A small valid one-page PDF, for tests that upload documents (``sdk.store_upload``)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def sample_image(fmt: str = "PNG", size: tuple[int, int] = (32, 32)) -> bytes:
    """A small valid image (``PNG``, ``JPEG`` or ``WEBP``) for upload tests."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(out, fmt)
    return out.getvalue()


#: Valid legal identifiers per workspace kind, for tests that apply for a workspace.
SAMPLE_IDENTIFIERS: dict[str, dict[str, str]] = {
    "media": {"ice": "001234567000089", "rc_number": "412345"},
    "auto_entrepreneur": {"ae_number": "2024123456", "cin": "BE123456"},
    "association": {"receipt_number": "145/2019", "receipt_date": "2019-03-12"},
    "training_centre": {"accreditation_number": "OFP-2021/114"},
}


@contextmanager
def sql_statements() -> Iterator[list[str]]:
    """The SQL statements sent inside the block, whitespace folded: tests that a page's
    query count does not grow with the data (no N+1) or that a cache saves its statements."""
    from sqlalchemy import event

    from ent_core.db import db

    seen: list[str] = []

    def record(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        seen.append(" ".join(sql.split()))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


# -- browser journeys (docs/testing.md) -------------------------------------------------------

#: Debian's Chromium, headless, with the flags the platform's browser tests use everywhere.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--headless",
]
#: How long a whole journey may run (s) before the test fails.
JOURNEY_TIMEOUT = 300


def skip_or_fail(reason: str) -> None:
    """Skip a test that needs a missing service, or fail it under
    ``ENT_TEST_REQUIRE_SERVICES=1`` (CI), where nothing may be skipped silently."""
    if os.environ.get("ENT_TEST_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (ENT_TEST_REQUIRE_SERVICES is set, so this fails instead)")
    pytest.skip(reason)


def chromium_executable() -> str:
    """``ENT_TEST_BROWSER`` or Debian's ``/usr/bin/chromium``, with Playwright importable;
    skips (or fails, see ``skip_or_fail``) otherwise."""
    path = os.environ.get("ENT_TEST_BROWSER") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        skip_or_fail(f"Chromium not found at {path} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("Playwright is not installed (pip install -e '.[test]')")
    return path


@pytest.fixture
def served_app(app: Flask, app_ctx: Flask) -> Iterator[str]:
    """The session's app behind werkzeug's threaded server on a free loopback port; yields
    its base URL. It shares the test's database, so what the test arranges is there."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="ent-served-app", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def browser_sign_in(page: Any, email: str, password: str = DEFAULT_PASSWORD) -> None:
    """Sign ``page`` (a Playwright page whose context has the served app as ``base_url``) in
    through the sign-in form, as a person would, in English."""
    page.goto("/auth/sign-in?lang=en")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.fixture
def in_chromium() -> Callable[..., None]:
    """``in_chromium(journey, timeout=JOURNEY_TIMEOUT)``: run ``journey(browser)`` in a
    headless Chromium of its own (a Playwright ``Browser``), then re-raise its failure here.

    The journey runs in a thread with its own Playwright: Playwright's sync API refuses to
    start while another sync Playwright is alive in the same thread (``tests/e2e`` keeps one
    for the whole session); in a thread the two never meet.
    """
    executable = chromium_executable()

    def run(journey: Callable[[Any], None], timeout: float = JOURNEY_TIMEOUT) -> None:
        errors: list[BaseException] = []

        def drive() -> None:
            from playwright.sync_api import sync_playwright

            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=executable, args=CHROMIUM_ARGS
                    )
                    try:
                        journey(browser)
                    finally:
                        browser.close()
            except BaseException as exc:  # pytest's failures are BaseExceptions
                errors.append(exc)

        thread = threading.Thread(target=drive, name="ent-browser-journey", daemon=True)
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            pytest.fail(f"the browser journey was still running after {timeout}s")
        if errors:
            raise errors[0]

    return run
