"""Credit notes (avoirs) on paid invoices: amounts, numbering, the sponsor's share, pages, API,
and PDFs read back with pypdf."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

from ent_core.audit import AuditEvent
from ent_core.billing import subscriptions as service
from ent_core.billing.credit_notes import issue_credit_note
from ent_core.billing.errors import BillingError
from ent_core.billing.invoices import get_invoice, void_invoice
from ent_core.billing.models import CreditNote, CreditNoteCounter, SubsidyProgramme
from ent_core.billing.payments import confirm_payment
from ent_core.db import db
from ent_core.testing import all_workspaces, sign_in

pytestmark = pytest.mark.frozen_clock


@pytest.fixture
def admin(make_user):
    return make_user("admin@example.ma", admin=True)


def _paid_invoice(make_workspace, user, slug: str = "assoc"):
    """A yearly association invoice, 1 188,00 MAD of which the programme paid 594,00, paid."""
    ws = make_workspace(slug, name="Association Atlas", kind="association")
    _sub, invoice = service.subscribe(ws, "association", "year", actor=user)
    confirm_payment(invoice, "bank_transfer", f"VIR-{slug}", actor=None)
    db.session.commit()
    return invoice


@pytest.fixture
def paid(make_workspace, user):
    return _paid_invoice(make_workspace, user)


def _spent(code: str = "associations") -> Decimal:
    db.session.expire_all()
    return db.session.scalar(db.select(SubsidyProgramme.spent).where(SubsidyProgramme.code == code))


def test_partial_then_full_credit_notes_split_in_proportion_and_add_up(paid, admin):
    assert _spent() == Decimal("594.00")
    with all_workspaces():
        first = issue_credit_note(paid, Decimal("100.00"), "Geste commercial", actor=admin)
        assert (first.number, first.total, first.vat_total, first.subtotal) == (
            "AV-2026-000001",
            Decimal("100.00"),
            Decimal("16.67"),  # 198 * 100 / 1188, rounded half up
            Decimal("83.33"),
        )
        assert (first.sponsor_share, first.subscriber_share) == (Decimal("50.00"), Decimal("50.00"))
        assert _spent() == Decimal("544.00")  # the sponsor's share went back once
        rest = issue_credit_note(get_invoice(paid.number), None, "Résiliation", actor=admin)
        db.session.commit()
    assert rest.number == "AV-2026-000002"
    assert rest.total == Decimal("1088.00")
    # the last one takes exactly what remains: the notes add up to the invoice, centime for centime
    assert first.vat_total + rest.vat_total == paid.vat_total
    assert first.subtotal + rest.subtotal == paid.subtotal
    assert first.sponsor_share + rest.sponsor_share == paid.sponsor_share
    assert _spent() == Decimal("0.00")  # the programme's books: no live share left
    invoice = get_invoice(paid.number)
    assert invoice.credited == invoice.total and invoice.status == "paid"
    with all_workspaces():
        audited = db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.action == "invoice.credited")
        ).all()
    assert len(audited) == 2


def test_over_credit_and_unpaid_invoices_are_refused(paid, admin, make_workspace, user):
    with all_workspaces():
        issue_credit_note(paid, Decimal("1000.00"), "Erreur", actor=admin)
        db.session.commit()
        with pytest.raises(BillingError) as over:
            issue_credit_note(paid, Decimal("188.01"), "Encore", actor=admin)
    assert (over.value.code, over.value.status) == ("credit_exceeds_invoice", 409)
    assert over.value.details == {"remaining": "188.00", "currency": "MAD"}
    db.session.rollback()
    assert _spent() == Decimal("94.00")  # 594 - 500: the refused one gave nothing back
    ws = make_workspace("unpaid", kind="association")
    unpaid = service.subscribe(ws, "association", "year", actor=user)[1]
    with all_workspaces(), pytest.raises(BillingError) as refused:
        issue_credit_note(unpaid, Decimal("10.00"), "Erreur", actor=admin)
    assert (refused.value.code, refused.value.status) == ("invalid_transition", 409)
    with all_workspaces(), pytest.raises(BillingError) as no_reason:
        issue_credit_note(paid, Decimal("10.00"), "  ", actor=admin)
    assert no_reason.value.code == "validation_error"


def test_voiding_a_paid_invoice_points_at_the_credit_note(paid, admin):
    with all_workspaces(), pytest.raises(BillingError) as refused:
        void_invoice(paid, actor=admin, reason="erreur")
    assert "avoir" in refused.value.message and "administration" in refused.value.message


def test_credit_notes_are_numbered_apart_gapless_and_per_year(
    make_workspace, user, admin, frozen_clock
):
    first = _paid_invoice(make_workspace, user, "one")
    second = _paid_invoice(make_workspace, user, "two")
    with all_workspaces():
        issue_credit_note(first, Decimal("10.00"), "a", actor=admin)
        db.session.commit()
        with pytest.raises(BillingError):  # refused: its number is not taken
            issue_credit_note(second, Decimal("5000.00"), "b", actor=admin)
        db.session.rollback()
        issue_credit_note(get_invoice(second.number), Decimal("10.00"), "c", actor=admin)
        db.session.commit()
        frozen_clock.move_to(datetime(2027, 1, 2, 9, tzinfo=UTC))
        issue_credit_note(get_invoice(first.number), Decimal("10.00"), "d", actor=admin)
        db.session.commit()
        numbers = db.session.scalars(db.select(CreditNote.number).order_by(CreditNote.id)).all()
    assert numbers == ["AV-2026-000001", "AV-2026-000002", "AV-2027-000001"]
    assert first.number.startswith("2026-")  # invoices keep their own series
    counters = dict(
        db.session.execute(db.select(CreditNoteCounter.year, CreditNoteCounter.last)).all()
    )
    assert counters == {2026: 2, 2027: 1}


def test_admin_issues_a_credit_note_from_the_invoice_page(client, paid, admin, user):
    sign_in(client, admin)
    page = client.get(f"/admin/billing/invoices/{paid.number}?lang=fr")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Émettre un avoir" in html and "csrf_token" in html
    url = f"/admin/billing/invoices/{paid.number}/credit-notes?lang=en"
    refused = client.post(url, data={"amount": "10", "reason": "x"}, csrf=False)
    assert refused.status_code == 400  # no CSRF token: nothing issued
    too_much = client.post(url, data={"amount": "2000", "reason": "Error"})
    assert too_much.status_code == 422  # the form shows it again, the message on top
    assert "1,188.00" in too_much.get_data(as_text=True)
    bad = client.post(url, data={"amount": "1.005", "reason": "Error"})
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.get_data(as_text=True)
    done = client.post(url, data={"amount": "", "reason": "Duplicate payment"})
    assert done.status_code == 302
    shown = client.get(done.headers["Location"] + "?lang=ar").get_data(as_text=True)
    assert "AV-2026-000001" in shown and "Duplicate payment" in shown
    # the workspace sees it in its billing history and on the invoice
    sign_in(client, user)
    history = client.get("/w/assoc/billing/?lang=fr").get_data(as_text=True)
    assert "AV-2026-000001" in history
    assert "AV-2026-000001" in client.get(f"/w/assoc/billing/invoices/{paid.number}").get_data(
        as_text=True
    )


def test_only_platform_admins_issue_credit_notes(client, paid, user, make_api_client):
    sign_in(client, user)  # the workspace's owner
    url = f"/admin/billing/invoices/{paid.number}/credit-notes"
    assert client.post(url, data={"reason": "mine"}).status_code == 403
    api = make_api_client(user)
    response = api.post(f"/api/v1/admin/invoices/{paid.number}/credit-notes", {"reason": "x"})
    assert response.status_code == 403
    assert _spent() == Decimal("594.00")


def test_credit_notes_through_the_api(paid, admin, make_api_client):
    api = make_api_client(admin)
    url = f"/api/v1/admin/invoices/{paid.number}/credit-notes"
    created = api.post(url, {"amount": "99.50", "reason": "Remise"})
    assert created.status_code == 201, created.json
    assert created.json["number"] == "AV-2026-000001"
    assert created.json["total"] == "99.50" and created.json["currency"] == "MAD"
    over = api.post(url, {"amount": "1088.51", "reason": "Trop"})
    assert over.status_code == 409
    assert over.json["error"]["code"] == "credit_exceeds_invoice"
    listed = api.get(url).json
    assert [n["number"] for n in listed["items"]] == ["AV-2026-000001"]
    assert api.get("/api/v1/admin/invoices/2026-999999/credit-notes").status_code == 404
    spec = api.get("/api/v1/openapi.json").json
    assert "/api/v1/admin/invoices/{number}/credit-notes" in spec["paths"]


def _pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_credit_note_pdf_names_the_invoice_and_the_amounts(signed_in_client, paid, admin, lang):
    with all_workspaces():
        note = issue_credit_note(paid, Decimal("1000.00"), "Remboursement partiel", actor=admin)
        db.session.commit()
    response = signed_in_client.get(f"/w/assoc/billing/credit-notes/{note.number}.pdf?lang={lang}")
    assert response.status_code == 200
    text = _pdf_text(response.data)
    assert "?" not in text
    assert note.number in text and paid.number in text
    assert "Association Atlas" in text and "Remboursement partiel" in text
    if lang == "fr":
        assert "Avoir" in text and "1 000,00" in text and "166,67" in text
    else:
        assert "إشعار دائن" in text
    invoice_pdf = signed_in_client.get(f"/w/assoc/billing/invoices/{paid.number}.pdf?lang={lang}")
    assert note.number in _pdf_text(invoice_pdf.data)


def test_sdk_credit_invoice_takes_a_number_and_money(paid, admin):
    """``sdk.credit_invoice``: what a plugin calls to correct an invoice it issued."""
    from ent_core import sdk

    with all_workspaces():
        note = sdk.credit_invoice(paid.number, sdk.Money("118.80"), "Remise", admin)
        db.session.commit()
        assert (note.total, note.invoice_id, note.reason) == (Decimal("118.80"), paid.id, "Remise")
        with pytest.raises(TypeError):
            sdk.credit_invoice(paid, sdk.Money("1", "EUR"), "Remise", admin)
        with pytest.raises(BillingError) as refused:
            sdk.credit_invoice(paid, Decimal("5000"), "Trop", admin)
        assert refused.value.code == "credit_exceeds_invoice"
        with pytest.raises(BillingError) as refused:
            sdk.credit_invoice(paid, Decimal("1"), "Remise", admin, refund=True)
        assert refused.value.code == "refund_unsupported"  # a bank transfer does not refund


def test_sdk_payment_providers_lists_the_bank_transfer_first(app_ctx):
    from ent_core import sdk

    found = sdk.payment_providers()
    assert next(iter(found)) == "bank_transfer"
    assert isinstance(found["bank_transfer"], sdk.PaymentProvider)
