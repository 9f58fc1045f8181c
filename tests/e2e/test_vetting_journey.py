"""Issue #3's journey in a real browser: from sign-up to a subsidised subscription.

An auto-entrepreneur signs up, meets the charter gate and signs, applies for a workspace with
the legal identifiers of the kind and a supporting document (a fake one is refused first), a
platform administrator reviews the application and approves it in the browser, and the owner
subscribes to Basic, which the state SME programme pays, sees the sponsor's share on the invoice
and switches on a module the plan entitles.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from ent_core.testing import DEFAULT_PASSWORD, sample_pdf
from tests.e2e.conftest import (
    ACTION_TIMEOUT_MS,
    LiveServer,
    SmtpServer,
    message_text,
    translate,
)

PASSWORD = "argan-et-safran-2026"
WORKSPACE = "Atelier Yasmine Design"
SLUG = "atelier-yasmine-design"
SPONSOR = "État — programme d'appui aux TPME"  # seeded programme pme_etat (billing.md)
MODULE = "Gated"  # tests/fixture_plugins/gated: entitled by the plans that include publishing


def expect_status(page: Any, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text).first).to_be_visible()


def sign_up(page: Any, t: Any, email: str) -> None:
    page.get_by_role("main").get_by_role("link", name=t("Create an account")).click()
    page.get_by_label(t("Full name")).fill("Yasmine Alaoui")
    page.get_by_label(t("Email address")).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(t("Confirm the password")).fill(PASSWORD)
    page.get_by_role("button", name=t("Create my account")).click()


def sign_in(page: Any, t: Any, email: str, password: str) -> None:
    page.goto("/auth/sign-in")
    page.get_by_label(t("Email address")).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(password)
    page.get_by_role("main").get_by_role("button", name=t("Sign in")).click()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_apply_get_approved_subscribe_with_the_subsidy_and_switch_a_module_on(
    page: Any,
    browser: Any,
    live_server: LiveServer,
    smtp: SmtpServer,
    make_user: Any,
    tmp_path: Path,
    lang: str,
) -> None:
    t = partial(translate, live_server.app, lang)
    email = f"yasmine.{lang}@example.ma"
    admin = make_user(f"admin.{lang}@example.ma", admin=True, name="Platform Admin")

    # Sign up; the members' area is behind the ethics charter until it is signed.
    page.goto(f"/?lang={lang}")
    sign_up(page, t, email)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Check your email"))
    sign_in(page, t, email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/charter/"))
    page.goto("/workspaces/new")
    expect(page).to_have_url(re.compile(r"/charter/"))
    page.get_by_label(t("I have read this charter and I commit to respecting it.")).check()
    page.get_by_role("button", name=t("Sign the charter")).click()
    expect(page).to_have_url(re.compile(r"/workspaces/new$"))  # back where the gate stopped
    link = re.search(
        re.escape(live_server.url) + r"/auth/verify/\S+", message_text(smtp.wait_for(email))
    )
    assert link, "no confirmation link in the sign-up mail"
    page.goto(link.group(0))

    # Apply for a workspace as an auto-entrepreneur.
    page.goto("/workspaces/new")
    page.wait_for_load_state()
    page.get_by_label(t("Name"), exact=True).fill(WORKSPACE)
    page.get_by_label(t("Kind of organisation")).select_option("auto_entrepreneur")
    # Only the chosen kind's identifiers show (the others are hidden by the page's script).
    expect(page.get_by_label(t("ICE (Identifiant commun de l'entreprise)"))).to_be_hidden()
    page.get_by_label(t("Auto-entrepreneur registration number")).fill("2024 123 456")
    page.get_by_label(t("National identity card number (CIN)")).fill("BE12345678")
    fake = tmp_path / "carte-ae.pdf"
    fake.write_text("<html><script>alert('not a pdf')</script></html>")
    page.get_by_label(t("Supporting documents")).set_input_files(str(fake))
    page.get_by_role("button", name=t("Apply for the workspace")).click()

    # The form says what to fix: the CIN's format and the fake document; nothing is created.
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(
        page.get_by_text(t("The CIN is one or two letters followed by 3 to 6 digits."))
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"carte-ae\.pdf: "))).to_be_visible()
    page.get_by_label(t("National identity card number (CIN)")).fill("BE123456")
    document = tmp_path / "carte-auto-entrepreneur.pdf"
    document.write_bytes(sample_pdf("Carte auto-entrepreneur 2024123456"))
    page.get_by_label(t("Supporting documents")).set_input_files(str(document))
    page.get_by_role("button", name=t("Apply for the workspace")).click()
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/$"))
    expect(
        page.get_by_role("heading", name=t("Your application is awaiting approval"))
    ).to_be_visible()

    # Until approval, no module can be switched on.
    page.goto(f"/w/{SLUG}/modules")
    expect(
        page.get_by_text(t("This workspace must be approved before modules can be switched on."))
    ).to_be_visible()

    # A platform administrator reviews the application and approves it, in another browser.
    admin_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    admin_context.set_default_timeout(ACTION_TIMEOUT_MS)
    admin_page = admin_context.new_page()
    try:
        a = partial(translate, live_server.app, "fr")
        sign_in(admin_page, a, admin.email, DEFAULT_PASSWORD)
        admin_page.goto("/admin/")
        admin_page.get_by_role("link", name=a("Workspace applications")).click()
        row = admin_page.locator(f"#application-{SLUG}")
        expect(row).to_contain_text("2024123456 · BE123456")
        row.get_by_role("link", name=WORKSPACE).click()
        expect(admin_page.get_by_role("heading", level=1)).to_contain_text(WORKSPACE)
        doc_link = admin_page.get_by_role("link", name="carte-auto-entrepreneur.pdf")
        response = admin_page.request.get(live_server(doc_link.get_attribute("href")))
        assert response.status == 200 and response.body().startswith(b"%PDF-")
        admin_page.get_by_role("button", name=a("Approve"), exact=True).click()
        expect(admin_page.get_by_role("status").first).to_contain_text(WORKSPACE)
    finally:
        admin_context.close()

    # The owner is told by mail, in the language of the account.
    mail = smtp.wait_for(email)
    assert str(mail["Subject"]) == t("Your workspace %(name)s is approved", name=WORKSPACE)

    # Subscribe to Basic: the state SME programme pays all of it for auto-entrepreneurs.
    page.goto(f"/w/{SLUG}/")
    page.get_by_role("navigation", name=WORKSPACE).get_by_role(
        "link", name=t("Subscription")
    ).click()
    page.get_by_role("combobox", name=t("Plan"), exact=True).select_option("basic")
    page.get_by_role("button", name=t("Confirm")).click()
    expect(page).to_have_url(re.compile(rf"/w/{SLUG}/billing/invoices/"))
    totals = page.locator("#totals")
    expect(totals).to_contain_text(t("Paid by %(sponsor)s", sponsor=SPONSOR))
    zero = re.compile(r"^[\s\u200e\u200f]*0[,.]00\D")  # direction marks lead in Arabic
    expect(page.locator("#sponsor-share")).not_to_have_text(zero)
    expect(page.locator("#subscriber-share")).to_have_text(zero)

    # Switch on a module the plan entitles.
    page.goto(f"/w/{SLUG}/modules")
    card = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=MODULE, exact=True)
    )
    card.get_by_role("button", name=t("Switch %(module)s on", module=MODULE)).click()
    expect(card.get_by_text(t("On"), exact=True)).to_be_visible()
