"""Invoice PDFs in French and Arabic: shaped, in logical order, in the page's formats, with both
parties' legal identifiers; read back with pypdf (which orders right-to-left runs as a reader)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from ent_core.billing import subscriptions as service
from ent_core.testing import all_workspaces
from ent_core.workspaces.vetting import approve, submit_application

pytestmark = pytest.mark.frozen_clock

ICE = "001234567000089"


def _text(data: bytes) -> str:
    """The PDF's text with every kind of space made a plain one."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture
def invoice(app, make_workspace, user):
    """A yearly Basic invoice (1 990,00 MAD net) of a vetted media workspace with a Latin name."""
    app.config.update(
        ENT_OPERATOR_NAME="Smart Médias SARL",
        ENT_OPERATOR_ADDRESS="12, rue Ibn Battouta — Rabat",
        ENT_OPERATOR_ICE="002345678000011",
        ENT_OPERATOR_RC="98765",
        ENT_OPERATOR_IF="4455667",
    )
    workspace = make_workspace("media", name="Atlas Média", kind="media", status="pending")
    with all_workspaces():
        submit_application(
            workspace,
            identifiers={"ice": ICE, "rc_number": "12345"},
            actor=user,
            require_documents=False,
        )
        approve(workspace, actor=None)
        _, issued = service.subscribe(workspace, "basic", "year", actor=user)
    return issued


def _pdf(client, invoice, lang: str) -> str:
    response = client.get(f"/w/media/billing/invoices/{invoice.number}.pdf?lang={lang}")
    assert response.status_code == 200
    return _text(response.data)


def test_french_invoice_uses_the_pages_number_format(signed_in_client, invoice):
    text = _pdf(signed_in_client, invoice, "fr")
    assert "1 990,00" in text
    assert "1 990.00" not in text
    assert "?" not in text
    assert "Rabat" in text and "12, rue Ibn Battouta — Rabat" in text


def test_invoice_names_seller_and_buyer_with_their_legal_identifiers(signed_in_client, invoice):
    text = _pdf(signed_in_client, invoice, "fr")
    for expected in ("Smart Médias SARL", "002345678000011", "98765", "4455667"):
        assert expected in text
    assert "Atlas Média" in text
    assert ICE in text and "12345" in text


def test_arabic_invoice_reads_in_logical_order(signed_in_client, invoice):
    text = _pdf(signed_in_client, invoice, "ar")
    assert "?" not in text
    assert "فاتورة" in text  # shaped Arabic comes back in logical order, not reversed
    assert invoice.number in text  # 2026-000001, not 000001-2026
    assert invoice.number.split("-")[1] + "-" + invoice.number.split("-")[0] not in text
    assert "Atlas Média" in text  # a Latin name inside Arabic text keeps its order
    assert "Smart Médias SARL" in text
    assert "—" in text  # non-Latin-1 punctuation is printed, not replaced


def test_paid_invoice_says_when_and_asks_nobody_to_pay(signed_in_client, invoice):
    assert invoice.status == "paid"  # the State's programme pays a media startup's whole share
    text = _pdf(signed_in_client, invoice, "fr")
    assert "Payée le" in text
    assert "À la charge de l'abonné" not in text  # "to be paid by the subscriber"
    assert "À régler avant" not in text
    arabic = _pdf(signed_in_client, invoice, "ar")
    assert "paid" not in arabic.lower()


def test_the_page_of_a_paid_invoice_asks_nobody_to_pay(signed_in_client, invoice):
    page = signed_in_client.get(f"/w/media/billing/invoices/{invoice.number}?lang=en")
    html = page.get_data(as_text=True)
    assert "To be paid by the subscriber" not in html
    assert "Subscriber&#39;s share" in html or "Subscriber's share" in html
