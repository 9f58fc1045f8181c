"""The PDF of an invoice, with fpdf2 (pure Python).

The PDF uses the standard Helvetica font, which covers French and English but not Arabic:
characters outside Latin-1 are replaced, and the HTML page remains the reference in Arabic.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from fpdf import FPDF

from ent_core.billing.models import Invoice
from ent_core.billing.settings import text_setting


def _latin1(text: Any) -> str:
    return str(text).encode("latin-1", "replace").decode("latin-1")


def _amount(value: Any, currency: str) -> str:
    return f"{value:,.2f} {currency}".replace(",", " ")


def invoice_pdf(invoice: Invoice) -> bytes:
    """Render ``invoice`` as A4 PDF bytes."""
    seller = text_setting("ENT_BILLING_SELLER")
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(_("Invoice %(number)s", number=invoice.number)))
    pdf.set_creator("Smart Médias ENT")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(
        0,
        10,
        _latin1(_("Invoice %(number)s", number=invoice.number)),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 10)
    for line in (
        seller,
        _("Customer: %(name)s", name=invoice.customer_name),
        _("Issued on %(date)s", date=invoice.issued_at.strftime("%Y-%m-%d")),
        _("Due on %(date)s.", date=invoice.due_at.strftime("%Y-%m-%d")),
        _("Status: %(status)s", status=invoice.status),
    ):
        pdf.cell(0, 6, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    widths = (86, 14, 30, 30, 30)
    pdf.set_font("Helvetica", "B", 9)
    for width, title in zip(
        widths, (_("Item"), _("Qty"), _("Unit price"), _("VAT"), _("Total")), strict=True
    ):
        pdf.cell(width, 7, _latin1(title), border=1)
    pdf.ln()
    pdf.set_font("Helvetica", "", 9)
    for item in invoice.lines:
        cells = (
            item.label[:60],
            str(item.quantity),
            _amount(item.unit_price, invoice.currency),
            _amount(item.vat, invoice.currency),
            _amount(item.total, invoice.currency),
        )
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 7, _latin1(text), border=1)
        pdf.ln()
    pdf.ln(3)
    rows = [
        (_("Total excluding VAT"), invoice.subtotal),
        (_("VAT"), invoice.vat_total),
        (_("Total including VAT"), invoice.total),
    ]
    if invoice.sponsor_name:
        rows.append((_("Paid by %(sponsor)s", sponsor=invoice.sponsor_name), invoice.sponsor_share))
    rows.append((_("To be paid by the subscriber"), invoice.subscriber_share))
    for label, value in rows:
        pdf.cell(130, 7, _latin1(label), align="R")
        pdf.cell(
            60,
            7,
            _latin1(_amount(value, invoice.currency)),
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())
