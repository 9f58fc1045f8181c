"""A new person's first journey in a real browser, in each language the platform ships.

Sign up, sign the ethics charter, confirm the address from the mail a real SMTP server received,
sign out and in again, apply for a workspace, get approved, switch a module on and use it.
Elements are found by role and label, the way assistive technology finds them, so a missing
label fails the test too.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from ent_core.testing import sample_pdf
from tests.e2e.conftest import LiveServer, SmtpServer, message_text, translate

PASSWORD = "sel-de-mer-et-argan-2026"
DIRECTIONS = {"fr": "ltr", "en": "ltr", "ar": "rtl"}
WORKSPACE = "Le Journal de Salé"
MODULE = "Alpha"  # tests/fixture_plugins/alpha: a members' page and a nav item


def approve(live_server: LiveServer, slug: str) -> None:
    """What ``ent workspace approve SLUG`` does, on the live app's database."""
    from ent_core.db import db
    from ent_core.workspaces import vetting
    from ent_core.workspaces.models import Workspace

    with live_server.app.app_context():
        workspace = db.session.scalar(db.select(Workspace).where(Workspace.slug == slug))
        vetting.approve(workspace, actor=None)


def expect_status(page: Any, text: str) -> None:
    """A live region (flash message or notice) announces ``text``."""
    expect(page.get_by_role("status").filter(has_text=text).first).to_be_visible()


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_sign_up_to_a_workspace_with_a_module_switched_on(
    page: Any, live_server: LiveServer, smtp: SmtpServer, lang: str, tmp_path: Path
) -> None:
    t = partial(translate, live_server.app, lang)
    email = f"salma.{lang}@example.ma"
    html = page.locator("html")

    # French is the default; the other languages are picked once with ?lang= and then kept.
    page.goto("/" if lang == "fr" else f"/?lang={lang}")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", DIRECTIONS[lang])

    page.get_by_role("main").get_by_role("link", name=t("Create an account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Create an account"))
    page.get_by_label(t("Full name")).fill("Salma Bennani")
    page.get_by_label(t("Email address")).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(t("Confirm the password")).fill(PASSWORD)
    page.get_by_role("button", name=t("Create my account")).click()
    # The same answer whether or not the address had an account: check the mail, sign in.
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Check your email"))
    expect_status(page, email)
    expect(html).to_have_attribute("dir", DIRECTIONS[lang])
    page.get_by_role("main").get_by_role("link", name=t("Sign in")).click()
    page.get_by_label(t("Email address")).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t("Sign in")).click()

    # Before anything else in the members' area, the person reads and signs the ethics charter.
    expect(page).to_have_url(re.compile(r"/charter/"))
    page.get_by_label(t("I have read this charter and I commit to respecting it.")).check()
    page.get_by_role("button", name=t("Sign the charter")).click()
    expect(page).to_have_url(re.compile(r"/workspaces$"))  # where signing in was heading

    # The confirmation mail went through SMTP, in the person's language, with an absolute link.
    mail = smtp.wait_for(email)
    body = message_text(mail)
    assert (
        t("Please confirm that %(email)s is your email address by opening this link:", email=email)
        in body
    )
    link = re.search(re.escape(live_server.url) + r"/auth/verify/\S+", body)
    assert link, f"no verification link to {live_server.url} in:\n{body}"
    page.goto(link.group(0))
    expect_status(page, t("Thank you, %(email)s is confirmed.", email=email))

    # Sign out, then in again through the form.
    page.get_by_role("button", name=t("Sign out"), exact=True).click()
    account_nav = page.get_by_role("navigation", name=t("Account"))
    account_nav.get_by_role("link", name=t("Sign in")).click()
    page.get_by_label(t("Email address")).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t("Sign in")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("My workspaces"))
    expect(html).to_have_attribute("dir", DIRECTIONS[lang])

    # Create a workspace; the address is suggested from the name as the person types.
    page.get_by_role("link", name=t("Create a workspace")).first.click()
    expect(page).to_have_url(re.compile(r"/workspaces/new$"))
    page.wait_for_load_state()  # the suggestion script listens once the page has loaded
    page.get_by_label(t("Name"), exact=True).fill(WORKSPACE)
    expect(page.get_by_label(t("Web address"))).to_have_value("le-journal-de-sale")
    page.get_by_label(t("Kind of organisation")).select_option(label=t("Media"))
    page.get_by_role("group", name=t("Sectors")).get_by_label(t("IT"), exact=True).check()
    # Creating a workspace is applying for it: the kind's legal identifiers and a document.
    page.get_by_label(t("ICE (Identifiant commun de l'entreprise)")).fill("001234567000089")
    page.get_by_label(t("Trade register number (RC)")).fill("412345")
    document = tmp_path / "attestation-ice.pdf"
    document.write_bytes(sample_pdf("Attestation ICE"))
    page.get_by_label(t("Supporting documents")).set_input_files(str(document))
    page.get_by_role("button", name=t("Apply for the workspace")).click()
    expect(page).to_have_url(re.compile(r"/w/le-journal-de-sale/$"))
    expect_status(page, WORKSPACE)
    awaiting = page.get_by_role("heading", name=t("Your application is awaiting approval"))
    expect(awaiting).to_be_visible()

    # A platform administrator approves it (tests/e2e/test_vetting_journey.py does it in the
    # browser); the owner is told by mail.
    approve(live_server, "le-journal-de-sale")
    assert WORKSPACE in str(smtp.wait_for(email)["Subject"])
    page.reload()
    expect(awaiting).to_have_count(0)

    # The module is off: its pages answer 404 until an owner switches it on.
    module_url = live_server("/w/le-journal-de-sale/alpha/")
    assert page.request.get(module_url).status == 404
    sidebar = page.get_by_role("navigation", name=WORKSPACE)
    expect(sidebar.get_by_role("link", name=t("Modules"))).to_be_visible()
    expect(sidebar.get_by_role("link", name=MODULE)).to_have_count(0)

    sidebar.get_by_role("link", name=t("Modules")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Modules"))
    # A locator is evaluated at each use, so ``card`` follows the page after the switch.
    card = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=MODULE, exact=True)
    )
    expect(card.get_by_text(t("Off"), exact=True)).to_be_visible()
    card.get_by_role("button", name=t("Switch %(module)s on", module=MODULE)).click()

    expect(card.get_by_text(t("On"), exact=True)).to_be_visible()
    expect(
        card.get_by_role("button", name=t("Switch %(module)s off", module=MODULE))
    ).to_be_visible()
    expect(html).to_have_attribute("dir", DIRECTIONS[lang])

    # Switched on without a restart: the navigation offers it and its page answers.
    sidebar.get_by_role("link", name=MODULE).click()
    expect(page).to_have_url(module_url)
    expect(page.locator("body")).to_contain_text("le-journal-de-sale")
