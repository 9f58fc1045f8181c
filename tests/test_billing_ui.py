"""Billing pages for workspace owners and platform admins, in French, English and Arabic."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ent_core.billing import subscriptions as service
from ent_core.billing.models import Invoice, Plan, SubsidyProgramme
from ent_core.billing.plans import get_plan, update_plan
from ent_core.db import db
from ent_core.testing import add_member, all_workspaces, sign_in

# Trials, periods and invoice years follow the calendar: never the day the suite runs.
pytestmark = pytest.mark.frozen_clock


@pytest.mark.parametrize(
    ("lang", "price", "direction"),
    [("fr", "199,00", "ltr"), ("en", "199.00", "ltr"), ("ar", "199", "rtl")],
)
def test_overview_renders_in_each_language(signed_in_client, workspace, lang, price, direction):
    response = signed_in_client.get(f"/w/acme/billing/?lang={lang}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'dir="{direction}"' in html
    assert price in html
    assert 'id="plan-basic"' in html


def test_subscribe_with_subsidy_then_see_the_invoice_and_pdf(signed_in_client, make_workspace):
    make_workspace("media", kind="media")
    response = signed_in_client.post(
        "/w/media/billing/subscribe?lang=en", data={"plan": "basic", "period": "month"}
    )
    assert response.status_code == 302
    invoice_url = response.headers["Location"]
    page = signed_in_client.get(invoice_url + "?lang=en").get_data(as_text=True)
    assert "Paid by <bdi>État" in page
    assert 'id="sponsor-share">MAD238.80' in page.replace("\xa0", "")
    assert 'id="subscriber-share"><strong>MAD0.00' in page.replace("\xa0", "")
    pdf = signed_in_client.get(invoice_url + ".pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    for lang in ("fr", "ar"):
        assert signed_in_client.get(f"{invoice_url}?lang={lang}").status_code == 200


def test_cancel_from_the_page(signed_in_client, workspace, user):
    service.subscribe(workspace, "basic", actor=user)
    response = signed_in_client.post("/w/acme/billing/cancel")
    assert response.status_code == 302
    db.session.expire_all()
    assert service.get_subscription(workspace).state == "canceled"


def test_members_without_billing_permission_are_refused(client, make_user, workspace):
    editor = make_user("editor@example.ma")
    add_member(workspace, editor, "editor")
    sign_in(client, editor)
    assert client.get("/w/acme/billing/").status_code == 403


def test_admin_pages_edit_plans_programmes_and_mark_invoices_paid(
    client, make_user, make_workspace, user
):
    ws = make_workspace("payer", kind="training_centre")
    _sub, invoice = service.subscribe(ws, "basic", actor=user)
    admin = make_user("admin@example.ma", admin=True)
    sign_in(client, admin)
    for path in ("plans", "plans/basic", "programmes", "invoices"):
        for lang in ("fr", "en", "ar"):
            assert client.get(f"/admin/billing/{path}?lang={lang}").status_code == 200, path
    edited = client.post(
        "/admin/billing/plans/basic",
        data={
            "name_fr": "Basique",
            "name_en": "Basic",
            "name_ar": "الأساسي",
            "price_month": "249.00",
            "price_year": "2490.00",
            "vat_rate": "0.20",
            "plugins": "publishing, training, ads",
            "quotas": "classified_ads_per_month = 10\nseats = 3",
            "active": "y",
        },
    )
    assert edited.status_code == 302
    plan = db.session.scalar(db.select(Plan).where(Plan.code == "basic"))
    assert plan.price_month == Decimal("249.00")
    assert plan.quotas == {"classified_ads_per_month": 10, "seats": 3}
    bad = client.post("/admin/billing/plans/basic", data={"quotas": "ten ads"})
    assert bad.status_code == 422
    saved = client.post(
        "/admin/billing/programmes/pme_etat",
        data={
            "pme_etat-budget": "5000.00",
            "pme_etat-share_percent": "80",
            "pme_etat-months": "12",
            "pme_etat-active": "y",
        },
    )
    assert saved.status_code == 302
    programme = db.session.scalar(
        db.select(SubsidyProgramme).where(SubsidyProgramme.code == "pme_etat")
    )
    assert programme.budget == Decimal("5000.00")
    assert invoice.number in client.get("/admin/billing/invoices").get_data(as_text=True)
    paid = client.post(
        f"/admin/billing/invoices/{invoice.number}/paid", data={"reference": "VIR-9"}
    )
    assert paid.status_code == 302
    db.session.expire_all()
    with all_workspaces():
        assert db.session.get(Invoice, invoice.id).status == "paid"
    assert service.get_subscription(ws).state == "active"


def test_admin_pages_are_for_admins_only(signed_in_client):
    assert signed_in_client.get("/admin/billing/plans").status_code == 403


def test_admin_pages_send_strangers_to_sign_in(client):
    response = client.get("/admin/billing/invoices")
    assert response.status_code == 302
    assert "/auth/sign-in" in response.headers["Location"]


def test_owners_see_the_subscription_in_the_workspace_navigation(signed_in_client, workspace):
    html = signed_in_client.get("/w/acme/?lang=en").get_data(as_text=True)
    assert 'href="/w/acme/billing/"' in html


def test_plans_show_installed_modules_and_quotas_by_their_names(signed_in_client, workspace):
    html = signed_in_client.get("/w/acme/billing/?lang=en").get_data(as_text=True)
    assert "Includes: Publishing, Training, Advertising</p>" in html
    assert "<li>Members (seats): 3</li>" in html
    assert "<li>Free classified ads a month: 5</li>" in html
    assert "classified_ads_per_month" not in html and "seats:" not in html
    arabic = signed_in_client.get("/w/acme/billing/?lang=ar").get_data(as_text=True)
    assert "الأعضاء (المقاعد)" in arabic


def test_the_admin_plans_page_marks_features_not_installed(client, make_user):
    admin = make_user("admin@example.ma", admin=True)
    plan = get_plan("basic")
    update_plan(plan, actor=admin, plugins=[*plan.plugins, "weather"])
    sign_in(client, admin)
    html = client.get("/admin/billing/plans?lang=en").get_data(as_text=True)
    assert "Publishing (<code>publishing</code>)" in html
    assert '<code>weather</code> <span class="badge muted">not installed</span>' in html
