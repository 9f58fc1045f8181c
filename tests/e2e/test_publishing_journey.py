"""Issue #4's newsroom journey in a real browser, with CSRF on.

A contributor writes and submits; an editor comments and requests changes; the contributor
fixes and resubmits; the editor approves, puts the article on the sector portal and schedules
it. At its time (the inline scheduler is driven with ``run_due_jobs``) the article is on the
public site, in the workspace's Atom feed and on the portal, with nobody having visited it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from ent_core.jobs import run_due_jobs
from ent_core.testing import DEFAULT_PASSWORD, add_member
from tests.e2e.conftest import LiveServer, translate

TITLE = "Les data centers verts du Souss"


def sign_in(page: Any, t: Any, email: str, lang: str) -> None:
    page.goto(f"/auth/sign-in?lang={lang}")
    page.get_by_label(t("Email address")).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t("Sign in")).click()


def open_article(page: Any, t: Any) -> None:
    page.goto("/w/acme/publishing/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def press(page: Any, t: Any, label: str) -> None:
    page.get_by_role("button", name=t(label), exact=True).click()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_contributor_writes_editor_reviews_and_schedules_and_it_goes_out(
    page: Any,
    browser: Any,
    live_server: LiveServer,
    make_user: Any,
    make_workspace: Any,
    lang: str,
) -> None:
    from ent_core.db import db
    from ent_core.workspaces.models import Membership
    from ent_core.workspaces.service import grant_extra_role

    t = partial(translate, live_server.app, lang)
    newsroom = make_workspace("acme", plugins=("publishing",), sectors=("it",))
    writer = make_user("plume@example.ma", name="Amina Plume")
    editor = make_user("chef@example.ma", name="Omar Chef")
    add_member(newsroom, editor, "editor")
    membership = add_member(newsroom, writer, "member")
    grant_extra_role(db.session.get(Membership, membership.id), "contributor")
    db.session.commit()

    # The contributor writes a draft and submits it.
    sign_in(page, t, writer.email, lang)
    page.goto("/w/acme/publishing/")
    page.get_by_role("link", name=t("Write an article")).click()
    page.get_by_label(t("Title"), exact=True).fill(TITLE)
    page.get_by_label(t("Body"), exact=True).fill("Premier jet sans chiffres.")
    page.get_by_role("checkbox", name=t("IT")).check()
    page.get_by_role("button", name=t("Save")).click()
    page.get_by_role("button", name=t("Done editing")).click()
    press(page, t, "Submit for review")
    expect(page.get_by_text(t("In review"), exact=True)).to_be_visible()

    # The editor, in another browser, comments and asks for changes.
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    desk = context.new_page()
    try:
        sign_in(desk, t, editor.email, lang)
        open_article(desk, t)
        desk.get_by_label(t("Comment"), exact=True).fill("Il manque la puissance installée.")
        desk.get_by_role("button", name=t("Add the comment")).click()
        press(desk, t, "Request changes")
        expect(desk.get_by_text(t("Changes requested"), exact=True)).to_be_visible()

        # The contributor reads the comment, fixes the text and submits again.
        open_article(page, t)
        expect(page.get_by_text("Il manque la puissance installée.")).to_be_visible()
        page.get_by_role("link", name=t("Edit"), exact=True).click()
        page.get_by_label(t("Body"), exact=True).fill("Douze mégawatts, alimentés au solaire.")
        page.get_by_role("button", name=t("Save")).click()
        page.get_by_role("button", name=t("Done editing")).click()
        press(page, t, "Submit for review")

        # The editor approves, opts the article into the portal and schedules it.
        open_article(desk, t)
        press(desk, t, "Approve")
        desk.get_by_role("link", name=t("Edit"), exact=True).click()
        desk.get_by_label(t("Show on the sector portal")).check()
        desk.get_by_role("button", name=t("Save")).click()
        desk.get_by_role("button", name=t("Done editing")).click()
        when = (datetime.now(ZoneInfo("Africa/Casablanca")) + timedelta(hours=2)).replace(
            second=0, microsecond=0
        )
        desk.get_by_label(t("Publication date and time")).fill(when.strftime("%Y-%m-%dT%H:%M"))
        press(desk, t, "Schedule")
        expect(desk.get_by_text(t("Scheduled"), exact=True)).to_be_visible()
    finally:
        context.close()

    public = "/s/acme/publishing/articles/les-data-centers-verts-du-souss"
    assert page.request.get(live_server(public)).status == 404

    # Its time comes; nobody visits.
    run_due_jobs(live_server.app, now=when + timedelta(minutes=1))

    page.goto(public)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Douze mégawatts, alimentés au solaire.")).to_be_visible()
    feed = page.request.get(live_server("/s/acme/publishing/feed.atom")).text()
    assert TITLE in feed
    page.goto("/portal/it/")
    expect(page.get_by_role("link", name=TITLE).first).to_be_visible()
