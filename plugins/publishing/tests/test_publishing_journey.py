"""Issue #4's newsroom journeys in headless Chromium, with CSRF on.

1. A contributor writes an article and submits it; an editor, in another browser, comments and
   asks for changes; the contributor revises and resubmits; the editor approves, opts it into the
   sector portal and schedules it for the next minute (the form takes minutes). Everyone then
   leaves the newsroom, and the job runner publishes the article at its time: once with the
   in-process scheduler thread (no Redis), once with a real ``ent worker`` (marked ``redis``:
   skipped without ``ENT_TEST_REDIS_URL``, which CI sets). A reader who never signed in then
   finds it on the workspace's public site, in its Atom feed and on the sector portal.
2. In Arabic: the editor form and the public article page are right-to-left, and the Arabic
   article reads as written.

Skipped without Chromium or Playwright (fails instead under ``ENT_TEST_REQUIRE_SERVICES=1``).
Screenshots and the HTML of failed journeys go to ``ENT_TEST_ARTIFACTS`` (default: a pytest
temporary folder, printed in the report).
"""

from __future__ import annotations

import os
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from ent_core import sdk
from ent_core.testing import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser

#: How long an action or an expectation may wait (ms): generous for a loaded machine.
TIMEOUT_MS = 15_000
#: The newsroom's default zone: the time typed in the schedule form is read in it.
NEWSROOM_ZONE = ZoneInfo("Africa/Casablanca")
ATOM = "{http://www.w3.org/2005/Atom}"

TITLE = "Les data centers verts du Souss"
FIRST_DRAFT = "Premier jet, sans chiffres."
REVISED = "Douze mégawatts, alimentés au solaire, à Agadir."
REVIEW = "Il manque la puissance installée."
PUBLIC = "/s/acme/publishing/articles/les-data-centers-verts-du-souss"

AR_TITLE = "مراكز البيانات الخضراء في سوس"
AR_BODY = "تعمل المراكز الجديدة بالطاقة الشمسية منذ شهر يناير."


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def served(
    app: Flask, served_app: str, staff: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> str:
    """The test app on a live port (``served_app``), CSRF on as everywhere. The newsroom
    (``staff``: workspace ``acme`` and one person per role) is set up first. Links built for
    mails and the portal (``ENT_BASE_URL``) point at this server.
    """
    monkeypatch.setitem(app.config, "ENT_BASE_URL", served_app)
    return served_app


@pytest.fixture(params=["inline", pytest.param("redis", marks=pytest.mark.redis)])
def job_runner(
    request: pytest.FixtureRequest, app: Flask, served: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], str]]:
    """What runs the newsroom's delayed jobs, as in production; yields a reader of its log.

    ``redis``: a real ``ent worker`` process (rq's scheduler and the ``ent_schedules`` ticker).
    ``inline``: no Redis, as under gunicorn without ``REDIS_URL``: the first delayed job starts
    the in-process scheduler thread. The test app normally holds delayed jobs until a test calls
    ``run_due_jobs`` (``app.testing``); that is switched off here so the thread really runs, and
    the thread is stopped afterwards so it never runs another test's jobs.
    """
    if request.param == "redis":
        worker = request.getfixturevalue("redis_jobs").start_worker()
        yield lambda: worker.output
        return
    monkeypatch.setitem(app.config, "TESTING", False)
    yield lambda: "(inline scheduler thread of the live server; see the captured log)"
    jobs = app.extensions.get("ent.jobs.inline")
    scheduler = getattr(jobs, "scheduler", None)
    if scheduler is not None:
        scheduler.stop()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots of failed journeys go (``ENT_TEST_ARTIFACTS`` or a temporary folder)."""
    configured = os.environ.get("ENT_TEST_ARTIFACTS")
    path = Path(configured) if configured else tmp_path_factory.mktemp("publishing-e2e")
    path.mkdir(parents=True, exist_ok=True)
    return path


Journey = Callable[[Callable[[], Any]], None]


@pytest.fixture
def browse(
    served: str, artifacts: Path, request: pytest.FixtureRequest, in_chromium: Any
) -> Callable[[Journey], None]:
    """``browse(journey)``: run ``journey(tabs)`` in headless Chromium against the live server
    (``in_chromium`` of ``ent_core.testing``: a Playwright of its own, in a thread).

    ``tabs()`` opens a tab in a fresh browser context (one person each, French first). When the
    journey fails, every tab is screenshotted (with its HTML) before the error is raised.
    """
    stem = artifacts / request.node.name.replace("/", "_")

    def run(journey: Journey) -> None:
        def with_tabs(browser: Any) -> None:
            from playwright.sync_api import expect

            expect.set_options(timeout=TIMEOUT_MS)
            opened: list[Any] = []

            def open_tab() -> Any:
                context = browser.new_context(
                    base_url=served, locale="fr-FR", viewport={"width": 1280, "height": 900}
                )
                context.set_default_timeout(TIMEOUT_MS)
                opened.append(context.new_page())
                return opened[-1]

            try:
                journey(open_tab)
            except BaseException:  # pytest.fail raises a BaseException
                save_artifacts(opened, stem)
                raise

        in_chromium(with_tabs)

    return run


def save_artifacts(tabs: list[Any], stem: Path) -> None:
    """A full-page screenshot and the HTML of every tab still open, paths printed."""
    for number, tab in enumerate(tabs):
        if tab.is_closed():
            continue
        try:
            tab.screenshot(path=f"{stem}-tab{number}.png", full_page=True)
            Path(f"{stem}-tab{number}.html").write_text(tab.content(), encoding="utf-8")
            print(f"e2e failure artifacts: {stem}-tab{number}.png/.html (page {tab.url})")
        except Exception as exc:  # a crashed page must not hide the journey's own failure
            print(f"could not save e2e failure artifacts: {exc}")


# --- helpers ----------------------------------------------------------------------------------


def translate(app: Flask, lang: str, msgid: str) -> str:
    """``msgid`` as the app renders it in ``lang`` (the publishing catalogue, then the
    core's): elements are found by their label."""
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale(lang):
        return sdk.translations_for("ent_plugins.publishing").gettext(msgid)


def sign_in(tab: Any, t: Callable[[str], str], email: str, lang: str) -> None:
    from playwright.sync_api import expect

    tab.goto(f"/auth/sign-in?lang={lang}")
    tab.get_by_label(t("Email address")).fill(email)
    tab.get_by_label(t("Password"), exact=True).fill(DEFAULT_PASSWORD)
    tab.get_by_role("main").get_by_role("button", name=t("Sign in")).click()
    expect(tab.get_by_role("button", name=t("Sign out"))).to_be_visible()


def press(tab: Any, t: Callable[[str], str], label: str) -> None:
    """Click the button named ``label`` in the page's main region and wait for the next page."""
    tab.get_by_role("main").get_by_role("button", name=t(label), exact=True).click()
    tab.wait_for_load_state()


def open_in_newsroom(tab: Any, title: str) -> None:
    from playwright.sync_api import expect

    tab.goto("/w/acme/publishing/")
    tab.get_by_role("link", name=title, exact=True).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text(title)


def badge(tab: Any, t: Callable[[str], str], label: str) -> Any:
    return tab.get_by_role("main").get_by_text(t(label), exact=True).first


def next_minute(margin: float = 12.0) -> datetime:
    """The first whole minute at least ``margin`` seconds away, in the newsroom's zone.

    The schedule form takes minutes, not seconds: this is the soonest the editor can type.
    """
    soon = datetime.now(NEWSROOM_ZONE) + timedelta(seconds=margin)
    return soon.replace(second=0, microsecond=0) + timedelta(minutes=1)


def text_box(locator: Any) -> dict[str, float]:
    """Where an element's text is drawn (``left``, ``right``), not its whole block."""
    return locator.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e);"
        " const b = r.getBoundingClientRect(); return {left: b.left, right: b.right}; }"
    )


def atom_entries(feed: str) -> list[dict[str, str]]:
    """Title and alternate link of each entry of an Atom feed (which must be well-formed)."""
    root = ET.fromstring(feed)  # noqa: S314 - our own server's feed
    assert root.tag == f"{ATOM}feed", root.tag
    entries = []
    for entry in root.iter(f"{ATOM}entry"):
        links = [
            link.get("href", "")
            for link in entry.iter(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        entries.append(
            {"title": entry.findtext(f"{ATOM}title") or "", "link": next(iter(links), "")}
        )
    return entries


# --- the journeys -----------------------------------------------------------------------------


def test_contributor_writes_editor_reviews_schedules_and_it_goes_out_on_time(
    app: Flask,
    job_runner: Callable[[], str],
    staff: dict[str, Any],
    browse: Callable[[Journey], None],
    served: str,
) -> None:
    from playwright.sync_api import expect

    def t(msgid: str) -> str:
        return translate(app, "fr", msgid)

    emails = {role: person.email for role, person in staff.items()}

    def journey(tabs: Callable[[], Any]) -> None:
        # The contributor writes a draft in the newsroom and submits it.
        writer = tabs()
        sign_in(writer, t, emails["contributor"], "fr")
        writer.goto("/w/acme/publishing/")
        writer.get_by_role("link", name=t("Write an article")).click()
        writer.get_by_label(t("Title"), exact=True).fill(TITLE)
        writer.get_by_label(t("Body"), exact=True).fill(FIRST_DRAFT)
        writer.get_by_role("checkbox", name=t("IT"), exact=True).check()
        press(writer, t, "Save")
        expect(writer.get_by_role("heading", level=1)).to_have_text(t("Edit the article"))
        press(writer, t, "Done editing")
        press(writer, t, "Submit for review")
        expect(badge(writer, t, "In review")).to_be_visible()

        # The editor, in another browser, comments and asks for changes.
        desk = tabs()
        sign_in(desk, t, emails["editor"], "fr")
        open_in_newsroom(desk, TITLE)
        desk.get_by_label(t("Comment"), exact=True).fill(REVIEW)
        press(desk, t, "Add the comment")
        expect(desk.get_by_text(REVIEW)).to_be_visible()
        press(desk, t, "Request changes")
        expect(badge(desk, t, "Changes requested")).to_be_visible()

        # The contributor reads the comment, revises the text and submits again.
        open_in_newsroom(writer, TITLE)
        expect(badge(writer, t, "Changes requested")).to_be_visible()
        expect(writer.get_by_text(REVIEW)).to_be_visible()
        writer.get_by_role("link", name=t("Edit"), exact=True).click()
        expect(writer.get_by_label(t("Body"), exact=True)).to_have_value(FIRST_DRAFT)
        writer.get_by_label(t("Body"), exact=True).fill(REVISED)
        press(writer, t, "Save")
        press(writer, t, "Done editing")
        press(writer, t, "Submit for review")
        expect(badge(writer, t, "In review")).to_be_visible()

        # The editor approves, opts the article into the sector portal and schedules it.
        open_in_newsroom(desk, TITLE)
        expect(desk.get_by_text(REVISED)).to_be_visible()
        press(desk, t, "Approve")
        expect(badge(desk, t, "Approved")).to_be_visible()
        desk.get_by_role("link", name=t("Edit"), exact=True).click()
        desk.get_by_label(t("Show on the sector portal")).check()
        press(desk, t, "Save")
        press(desk, t, "Done editing")
        expect(desk.get_by_text(t("On the sector portal"), exact=True)).to_be_visible()
        when = next_minute()
        desk.get_by_label(t("Publication date and time")).fill(when.strftime("%Y-%m-%dT%H:%M"))
        press(desk, t, "Schedule")
        expect(badge(desk, t, "Scheduled")).to_be_visible()
        expect(desk.get_by_role("main")).to_contain_text(when.strftime("%H:%M"))

        # Everyone leaves the newsroom; a reader who never signed in watches the public site.
        desk.close()
        writer.close()
        reader = tabs()
        assert reader.request.get(served + PUBLIC).status == 404, "published before its time"

        # At its time the job runner publishes it, with nobody in the members' area.
        deadline = when + timedelta(seconds=45)
        while True:
            asked = datetime.now(NEWSROOM_ZONE)
            status = reader.request.get(served + PUBLIC).status
            if status == 200:
                break
            assert status == 404, status
            if asked > deadline:
                pytest.fail(
                    f"not published by {asked:%H:%M:%S} (due {when:%H:%M}):\n{job_runner()}"
                )
            time.sleep(0.5)
        # Not before its time (a request in flight as the minute turns may see it: one second).
        assert asked >= when - timedelta(seconds=1), f"out at {asked:%H:%M:%S}, due {when:%H:%M}"

        # On the public site.
        reader.goto(PUBLIC)
        expect(reader.locator("html")).to_have_attribute("lang", "fr")
        expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(reader.get_by_text(REVISED)).to_be_visible()
        expect(reader.get_by_text(FIRST_DRAFT)).to_have_count(0)
        # Dated at its scheduled time, not at whenever someone first looked.
        stamp = reader.get_by_role("article").locator("time").first.get_attribute("datetime") or ""
        published = datetime.fromisoformat(stamp)
        published = published if published.tzinfo else published.replace(tzinfo=UTC)
        assert published == when, (stamp, when.isoformat())
        reader.goto("/s/acme/publishing/")
        expect(reader.get_by_role("link", name=TITLE).first).to_be_visible()

        # In the workspace's Atom feed.
        feed = reader.request.get(served + "/s/acme/publishing/feed.atom")
        assert feed.status == 200
        [entry] = [e for e in atom_entries(feed.text()) if e["title"] == TITLE]
        assert entry["link"].endswith(PUBLIC), entry

        # On the sector portal, linking back to the workspace's site.
        reader.goto("/portal/it/")
        link = reader.get_by_role("main").get_by_role("link", name=TITLE).first
        expect(link).to_be_visible()
        assert (link.get_attribute("href") or "").endswith(PUBLIC)
        portal_feed = reader.request.get(served + "/portal/it/atom.xml")
        assert portal_feed.status == 200
        assert TITLE in [e["title"] for e in atom_entries(portal_feed.text())]
        link.click()
        expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)

    browse(journey)


def test_arabic_article_is_written_and_read_right_to_left(
    app: Flask, staff: dict[str, Any], browse: Callable[[Journey], None]
) -> None:
    from playwright.sync_api import expect

    def t(msgid: str) -> str:
        return translate(app, "ar", msgid)

    emails = {role: person.email for role, person in staff.items()}

    def journey(tabs: Callable[[], Any]) -> None:
        # The editor writes in Arabic, in the Arabic interface.
        desk = tabs()
        sign_in(desk, t, emails["editor"], "ar")
        desk.goto("/w/acme/publishing/?lang=ar")
        desk.get_by_role("link", name=t("Write an article")).click()
        expect(desk.locator("html")).to_have_attribute("dir", "rtl")
        expect(desk.locator("html")).to_have_attribute("lang", "ar")
        expect(desk.get_by_role("heading", level=1)).to_have_text(t("Write an article"))
        desk.get_by_label(t("Title"), exact=True).fill(AR_TITLE)
        desk.get_by_role("combobox", name=t("Language"), exact=True).select_option("ar")
        desk.get_by_label(t("Body"), exact=True).fill(AR_BODY)
        desk.get_by_role("checkbox", name=t("Green economy"), exact=True).check()
        press(desk, t, "Save")
        expect(desk.locator("html")).to_have_attribute("dir", "rtl")
        # What the editor typed is kept as typed, and the fields follow the text's direction.
        title_field = desk.get_by_label(t("Title"), exact=True)
        expect(title_field).to_have_value(AR_TITLE)
        expect(title_field).to_have_attribute("dir", "auto")
        expect(title_field).to_have_css("direction", "rtl")  # dir=auto follows the Arabic text
        # The form is laid out right to left: each label starts at the right edge of its field.
        label = text_box(desk.get_by_text(t("Title"), exact=True))
        field = title_field.bounding_box()
        assert field is not None
        assert abs(label["right"] - (field["x"] + field["width"])) < 2, (label, field)
        assert label["left"] > field["x"] + field["width"] / 2, (label, field)
        press(desk, t, "Done editing")
        article = desk.get_by_role("main").get_by_role("article")
        expect(article).to_have_attribute("dir", "rtl")
        expect(article).to_have_attribute("lang", "ar")
        press(desk, t, "Publish now")
        expect(badge(desk, t, "Published")).to_be_visible()
        link = desk.get_by_role("link", name=re.compile(r"s.acme.publishing.articles."))
        public = link.get_attribute("href") or ""

        # A reader opens it on the public site in Arabic.
        reader = tabs()
        reader.goto(f"{public}?lang=ar")
        expect(reader.locator("html")).to_have_attribute("dir", "rtl")
        expect(reader.locator("html")).to_have_attribute("lang", "ar")
        body = reader.get_by_role("article")
        expect(body).to_have_attribute("dir", "rtl")
        expect(body).to_have_attribute("lang", "ar")
        expect(body.get_by_role("heading", level=1)).to_have_text(AR_TITLE)
        expect(body.get_by_text(AR_BODY)).to_be_visible()
        # Right-to-left for real: the title's text starts at the right edge of the article.
        heading = body.get_by_role("heading", level=1)
        text, block = text_box(heading), heading.bounding_box()
        assert block is not None
        assert abs(text["right"] - (block["x"] + block["width"])) < 2, (text, block)
        assert text["left"] > block["x"] + 20, (text, block)
        expect(body).to_have_css("direction", "rtl")
        expect(body).to_have_css("text-align", re.compile(r"start|right"))

    browse(journey)
