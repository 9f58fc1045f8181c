"""The PDF of an invoice, in the reader's language (Arabic shaped and right to left).

Seller (the platform operator, from the configuration) and buyer (the workspace, with the legal
identifiers it gave for vetting) are both named, as a Moroccan invoice requires. Amounts and
dates use the same formats as the invoice's page (Babel, the current locale).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ent_core.billing.models import CreditNote, Invoice
from ent_core.billing.providers import providers
from ent_core.billing.settings import text_setting
from ent_core.db import all_workspaces, db
from ent_core.pdf import end_align, isolate, ltr, new_document, pdf_date, pdf_money, start_align

#: Identifiers printed under the buyer's name (the personal CIN and the receipt's date are not).
BUYER_IDENTIFIERS = ("ice", "rc_number", "ae_number", "receipt_number", "accreditation_number")
#: ``(setting, label)`` of the seller's lines, in print order; empty settings are left out.
SELLER_IDENTIFIERS = (
    ("ENT_OPERATOR_ICE", "ICE"),
    ("ENT_OPERATOR_RC", "RC"),
    ("ENT_OPERATOR_IF", "IF"),
)


def _status(invoice: Invoice) -> str:
    if invoice.status == "paid" and invoice.paid_at is not None:
        return _("Paid on %(date)s", date=pdf_date(invoice.paid_at))
    labels = {"issued": _("Unpaid"), "paid": _("Paid"), "void": _("Void")}
    return labels.get(invoice.status, invoice.status)


def seller_lines() -> list[str]:
    """The operator's name, address and legal identifiers (docs/configuration.md)."""
    name = text_setting("ENT_OPERATOR_NAME") or text_setting("ENT_BILLING_SELLER")
    lines = [isolate(name)]
    address = text_setting("ENT_OPERATOR_ADDRESS")
    if address:
        lines.append(isolate(address))
    for setting, label in SELLER_IDENTIFIERS:
        value = text_setting(setting)
        if value:
            lines.append(f"{label}: {ltr(value)}")
    return lines


def buyer_lines(invoice: Invoice) -> list[str]:
    """The customer's legal name and the identifiers its vetting application holds."""
    from ent_core.workspaces.models import WorkspaceApplication
    from ent_core.workspaces.vetting import identifier_label

    with all_workspaces():  # rendered for the workspace's members and for platform admins alike
        identifiers = db.session.scalar(
            select(WorkspaceApplication.identifiers).where(
                WorkspaceApplication.workspace_id == invoice.workspace_id
            )
        )
    lines = [isolate(invoice.customer_name)]
    for name in BUYER_IDENTIFIERS:
        value = (identifiers or {}).get(name)
        if value:
            lines.append(f"{identifier_label(name)}: {ltr(value)}")
    return lines


def _party(pdf: Any, title: str, lines: list[str]) -> None:
    pdf.set_font(style="B", size=10)
    pdf.cell(0, 6, title, align=start_align(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(style="", size=10)
    for line in lines:
        pdf.cell(0, 5, line, align=start_align(), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def invoice_pdf(invoice: Invoice) -> bytes:
    """Render ``invoice`` as A4 PDF bytes, in the current language."""
    number = ltr(invoice.number)
    pdf = new_document(format="A4")
    pdf.set_title(_("Invoice %(number)s", number=invoice.number))
    pdf.add_page()
    pdf.set_font("PlexArabic", "B", 16)
    title = _("Invoice %(number)s", number=number)
    pdf.cell(0, 10, title, align=start_align(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(style="", size=10)
    for line in (
        _("Issued on %(date)s", date=pdf_date(invoice.issued_at)),
        _("Status: %(status)s", status=_status(invoice)),
    ):
        pdf.cell(0, 6, line, align=start_align(), new_x="LMARGIN", new_y="NEXT")
    if invoice.status == "issued":
        pdf.cell(
            0,
            6,
            _("Due on %(date)s.", date=pdf_date(invoice.due_at)),
            align=start_align(),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(3)
    _party(pdf, _("Seller"), seller_lines())
    _party(pdf, _("Customer"), buyer_lines(invoice))
    _lines_table(pdf, invoice)
    _totals(pdf, invoice)
    if invoice.credit_notes:
        pdf.ln(2)
        _amount_rows(
            pdf,
            [
                (_("Credit note %(number)s", number=ltr(note.number)), note.total)
                for note in invoice.credit_notes
            ],
            invoice.currency,
        )
    return bytes(pdf.output())


def credit_note_pdf(note: CreditNote) -> bytes:
    """Render a credit note as A4 PDF bytes: the invoice it corrects, why, and the amounts."""
    invoice = note.invoice
    pdf = new_document(format="A4")
    pdf.set_title(_("Credit note %(number)s", number=note.number))
    pdf.add_page()
    pdf.set_font("PlexArabic", "B", 16)
    title = _("Credit note %(number)s", number=ltr(note.number))
    pdf.cell(0, 10, title, align=start_align(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(style="", size=10)
    for line in (
        _("Issued on %(date)s", date=pdf_date(note.issued_at)),
        _(
            "Corrects invoice %(number)s of %(date)s",
            number=ltr(invoice.number),
            date=pdf_date(invoice.issued_at),
        ),
        _("Reason: %(reason)s", reason=isolate(note.reason)),
    ):
        pdf.cell(0, 6, line, align=start_align(), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _party(pdf, _("Seller"), seller_lines())
    _party(pdf, _("Customer"), buyer_lines(invoice))
    rows = [
        (_("Credited excluding VAT"), note.subtotal),
        (_("VAT"), note.vat_total),
        (_("Credited including VAT"), note.total),
    ]
    if note.sponsor_share:
        rows.append(
            (
                _("Given back to %(sponsor)s", sponsor=isolate(invoice.sponsor_name)),
                note.sponsor_share,
            )
        )
    if note.refund_reference:
        provider = providers().get(note.refund_provider or "")
        label = ltr(note.refund_reference)
        rows.append(
            (
                _(
                    "Refunded through %(provider)s, reference %(reference)s",
                    provider=isolate(provider.label if provider else note.refund_provider),
                    reference=label,
                ),
                note.subscriber_share,
            )
        )
    else:
        rows.append((_("Owed back to the subscriber"), note.subscriber_share))
    _amount_rows(pdf, rows, note.currency)
    return bytes(pdf.output())


def _lines_table(pdf: Any, invoice: Invoice) -> None:
    widths = [86, 14, 30, 30, 30]
    titles = [_("Item"), _("Qty"), _("Unit price"), _("VAT"), _("Total")]
    rows = [
        [
            isolate(item.label[:60]),
            ltr(item.quantity),
            pdf_money(item.unit_price, invoice.currency),
            pdf_money(item.vat, invoice.currency),
            pdf_money(item.total, invoice.currency),
        ]
        for item in invoice.lines
    ]
    if start_align() == "R":  # columns run from the right in Arabic
        widths.reverse()
        titles.reverse()
        for row in rows:
            row.reverse()
    pdf.set_font(style="B", size=9)
    for width, title in zip(widths, titles, strict=True):
        pdf.cell(width, 7, title, border=1, align="C")
    pdf.ln()
    pdf.set_font(style="", size=9)
    for row in rows:
        for width, text in zip(widths, row, strict=True):
            pdf.cell(width, 7, text, border=1, align="C")
        pdf.ln()
    pdf.ln(3)


def _totals(pdf: Any, invoice: Invoice) -> None:
    rows = [
        (_("Total excluding VAT"), invoice.subtotal),
        (_("VAT"), invoice.vat_total),
        (_("Total including VAT"), invoice.total),
    ]
    if invoice.sponsor_name:
        rows.append(
            (_("Paid by %(sponsor)s", sponsor=isolate(invoice.sponsor_name)), invoice.sponsor_share)
        )
    if invoice.status == "issued":  # a paid (or void) invoice asks nobody to pay
        rows.append((_("To be paid by the subscriber"), invoice.subscriber_share))
    else:
        rows.append((_("Subscriber's share"), invoice.subscriber_share))
    _amount_rows(pdf, rows, invoice.currency)


def _amount_rows(pdf: Any, rows: list[tuple[str, Any]], currency: str) -> None:
    """Labelled amounts, the amount at the line's end (its start in Arabic)."""
    for label, value in rows:
        if start_align() == "R":
            pdf.cell(60, 7, pdf_money(value, currency), align="L")
            pdf.cell(130, 7, label, align="R", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.cell(130, 7, label, align=end_align())
            pdf.cell(
                60,
                7,
                pdf_money(value, currency),
                align="R",
                new_x="LMARGIN",
                new_y="NEXT",
            )
