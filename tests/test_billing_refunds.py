"""Refunds: credit notes whose workspace's share the invoice's provider pays back, through the
admin API and pages, with a provider written on the SDK (tests/fixture_plugins/gated.py)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from ent_core import sdk
from ent_core.audit import AuditEvent
from ent_core.billing import subscriptions as service
from ent_core.billing.invoices import get_invoice
from ent_core.billing.models import CreditNote
from ent_core.db import db
from ent_core.testing import all_workspaces, sign_in
from tests.fixture_plugins import gated
from tests.test_billing_concurrency import race

pytestmark = pytest.mark.frozen_clock


@pytest.fixture(autouse=True)
def _no_refunds_yet():
    gated.refunds_made.clear()
    yield
    gated.refunds_made.clear()


@pytest.fixture
def admin(make_user):
    return make_user("admin@example.ma", admin=True)


def _paid(make_workspace, user, *, provider="cheque", slug="atlas", kind="training_centre"):
    """A yearly invoice paid through ``provider``: basic (2 388,00 MAD, nobody's subsidy) for a
    training centre, association (1 188,00, half paid by the programme) for an association."""
    ws = make_workspace(slug, name="Atlas", kind=kind)
    plan = "association" if kind == "association" else "basic"
    _sub, invoice = service.subscribe(ws, plan, "year", actor=user)
    reference = "CHQ-1" if provider == "cheque" else "VIR-1"
    sdk.confirm_payment(invoice.number, provider, reference, actor=None)
    return invoice


def _refunds_url(invoice: Any) -> str:
    return f"/api/v1/admin/invoices/{invoice.number}/refunds"


def test_partial_refunds_through_the_api_up_to_the_paid_amount(
    make_workspace, user, admin, make_api_client
):
    invoice = _paid(make_workspace, user)
    assert (invoice.total, invoice.subscriber_share) == (Decimal("2388.00"), Decimal("2388.00"))
    api = make_api_client(admin)
    first = api.post(_refunds_url(invoice), {"amount": "388.00", "reason": "Two seats unused"})
    assert first.status_code == 201, first.json
    assert first.json["number"] == "AV-2026-000001"
    refund = first.json["refund"]
    assert refund["provider"] == "cheque" and refund["reference"] == "RCHQ-1"
    assert refund["amount"] == {"amount": "388.00", "currency": "MAD"}
    rest = api.post(_refunds_url(invoice), {"reason": "Closing the account"})  # all that remains
    assert rest.status_code == 201, rest.json
    assert rest.json["refund"]["amount"] == {"amount": "2000.00", "currency": "MAD"}
    over = api.post(_refunds_url(invoice), {"amount": "0.01", "reason": "One more"})
    assert over.status_code == 409 and over.json["error"]["code"] == "credit_exceeds_invoice"
    assert gated.refunds_made == [
        (invoice.number, sdk.Money("388.00"), "Two seats unused"),
        (invoice.number, sdk.Money("2000.00"), "Closing the account"),
    ]
    listed = api.get(f"/api/v1/admin/invoices/{invoice.number}/credit-notes").json["items"]
    assert [n["refund"]["reference"] for n in listed] == ["RCHQ-1", "RCHQ-2"]
    with all_workspaces():
        events = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "invoice.refunded")
        ).all()
    assert [e.details["amount"] for e in events] == [
        {"amount": "388.00", "currency": "MAD"},
        {"amount": "2000.00", "currency": "MAD"},
    ]
    assert {e.details["reference"] for e in events} == {"RCHQ-1", "RCHQ-2"}
    spec = api.get("/api/v1/openapi.json").json
    assert "/api/v1/admin/invoices/{number}/refunds" in spec["paths"]


def test_only_the_workspaces_share_is_refunded_when_a_sponsor_paid_half(
    make_workspace, user, admin, make_api_client
):
    invoice = _paid(make_workspace, user, kind="association")
    assert invoice.sponsor_share == Decimal("594.00")
    created = make_api_client(admin).post(
        _refunds_url(invoice), {"amount": "100.00", "reason": "Geste"}
    )
    assert created.status_code == 201, created.json
    assert created.json["sponsor_share"] == "50.00"
    assert created.json["refund"]["amount"] == {"amount": "50.00", "currency": "MAD"}
    assert gated.refunds_made == [(invoice.number, sdk.Money("50.00"), "Geste")]


def test_a_provider_that_cannot_refund_says_so_and_nothing_is_issued(
    make_workspace, user, admin, make_api_client, client
):
    invoice = _paid(make_workspace, user, provider="bank_transfer")
    refused = make_api_client(admin).post(_refunds_url(invoice), {"reason": "Please"})
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "refund_unsupported"
    with all_workspaces():
        assert db.session.scalar(db.select(db.func.count(CreditNote.id))) == 0
    sign_in(client, admin)
    page = client.get(f"/admin/billing/invoices/{invoice.number}?lang=en").get_data(as_text=True)
    assert "Issue a credit note" in page and 'name="refund"' not in page


def test_a_refusal_of_the_provider_rolls_the_credit_note_back(
    make_workspace, user, admin, make_api_client
):
    invoice = _paid(make_workspace, user)
    api = make_api_client(admin)
    refused = api.post(_refunds_url(invoice), {"amount": "10.00", "reason": "bounce"})
    assert refused.status_code == 409 and refused.json["error"]["code"] == "refund_refused"
    db.session.expire_all()
    assert get_invoice(invoice.number).credited == Decimal("0.00")
    done = api.post(_refunds_url(invoice), {"amount": "10.00", "reason": "Again"})
    assert done.json["number"] == "AV-2026-000001"  # the refused one took no number


def test_unpaid_invoices_and_bad_amounts_are_refused(make_workspace, user, admin, make_api_client):
    ws = make_workspace("unpaid", kind="training_centre")
    _sub, unpaid = service.subscribe(ws, "basic", "year", actor=user)
    api = make_api_client(admin)
    assert api.post(_refunds_url(unpaid), {"reason": "x"}).status_code == 409
    paid = _paid(make_workspace, user)
    bad = api.post(_refunds_url(paid), {"amount": "1.005", "reason": "x"})
    assert bad.status_code == 422 and bad.json["error"]["code"] == "validation_error"
    assert api.post(_refunds_url(paid), {"amount": "1"}).status_code == 422  # no reason
    owner = make_api_client(user)
    assert owner.post(_refunds_url(paid), {"reason": "mine"}).status_code == 403
    assert gated.refunds_made == []


def _pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    spaces = {"\u00a0": " ", "\u202f": " "}
    return text.translate(str.maketrans({**spaces, **dict.fromkeys("\u2066\u2067\u2068\u2069")}))


def test_admin_refunds_from_the_invoice_page_and_the_pdf_shows_it(
    make_workspace, user, admin, client
):
    invoice = _paid(make_workspace, user)
    sign_in(client, admin)
    url = f"/admin/billing/invoices/{invoice.number}"
    page = client.get(f"{url}?lang=fr").get_data(as_text=True)
    assert "Rembourser la part de l\u2019espace" in page and 'name="refund"' in page
    bounced = client.post(
        f"{url}/credit-notes?lang=en", data={"amount": "50", "reason": "bounce", "refund": "y"}
    )
    assert bounced.status_code == 422
    assert "The bank refused the cheque." in bounced.get_data(as_text=True)
    done = client.post(
        f"{url}/credit-notes?lang=fr", data={"amount": "50", "reason": "Erreur", "refund": "y"}
    )
    assert done.status_code == 302
    shown = client.get(done.headers["Location"] + "?lang=fr").get_data(as_text=True)
    assert "RCHQ-1" in shown and "50,00" in shown
    assert gated.refunds_made == [(invoice.number, sdk.Money("50.00"), "Erreur")]
    pdf = client.get("/admin/billing/credit-notes/AV-2026-000001.pdf?lang=fr")
    text = _pdf_text(pdf.data)
    assert "Remboursé par Cheque, référence RCHQ-1" in text and "50,00 MAD" in text


def test_two_refunds_racing_never_exceed_the_paid_amount(
    app_ctx, make_workspace, user, admin, make_api_client
):
    """Two refunds of 1 500,00 on a paid 2 388,00 invoice, at once: one is made, one refused.

    On PostgreSQL the loser waits on the invoice's row lock, then finds it no longer fits."""
    invoice = _paid(make_workspace, user)
    db.session.commit()
    token, number = make_api_client(admin).token, invoice.number

    def refund(_i: int) -> tuple[int, str | None]:
        from ent_core.testing import ApiClient

        response = ApiClient(app_ctx.test_client(), token).post(
            f"/api/v1/admin/invoices/{number}/refunds", {"amount": "1500.00", "reason": "race"}
        )
        return response.status_code, (response.json.get("error") or {}).get("code")

    results = race(app_ctx, 2, refund)
    assert sorted(results) == [(201, None), (409, "credit_exceeds_invoice")], results
    assert gated.refunds_made == [(number, sdk.Money("1500.00"), "race")]
    db.session.expire_all()
    assert get_invoice(number).credited == Decimal("1500.00")
