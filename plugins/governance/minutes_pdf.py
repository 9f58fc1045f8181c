"""The minutes as a PDF, in their own language (Arabic right to left), with their fingerprint."""

from __future__ import annotations

import re

from ent_plugins.governance.models import Member, Minutes, MinutesSignature
from flask_babel import force_locale

from ent_core import sdk

_t = sdk.translations_for(__name__)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_EMPHASIS = re.compile(r"(?<!\w)[*_](.+?)[*_](?!\w)")
HEADING_SIZES = {1: 16, 2: 13, 3: 12}


def minutes_pdf(minutes: Minutes) -> bytes:
    """The minutes on A4 pages in ``minutes.language``, whatever the reader's language."""
    with force_locale(minutes.language):
        return _document(minutes)


def _plain(text: str) -> str:
    return _EMPHASIS.sub(r"\1", _BOLD.sub(r"\1", text)).replace("`", "")


def _document(minutes: Minutes) -> bytes:
    kit = sdk.pdf
    gettext = _t.gettext
    pdf = kit.new_document(format="A4")
    family, align = kit.FONT_FAMILY, kit.start_align()
    pdf.set_title(gettext("Minutes: %(title)s", title=minutes.meeting.title))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font(family, "B", 10)
    pdf.cell(0, 6, kit.isolate(minutes.workspace.name), align=align, new_x="LMARGIN", new_y="NEXT")
    if minutes.status != "approved":
        pdf.set_font(family, "B", 12)
        pdf.cell(0, 8, gettext("DRAFT: not approved"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for line in minutes.body.splitlines():
        _write_line(pdf, line, family, align)
    pdf.ln(6)
    pdf.set_font(family, "", 9)
    for line in _approval_lines(minutes):
        pdf.multi_cell(0, 5, line, align=align, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _write_line(pdf: object, line: str, family: str, align: str) -> None:
    stripped = line.strip()
    if not stripped:
        pdf.ln(3)  # type: ignore[attr-defined]
        return
    heading = re.match(r"^(#{1,6})\s+(.*)$", stripped)
    if heading:
        level = len(heading.group(1))
        pdf.ln(2)  # type: ignore[attr-defined]
        pdf.set_font(family, "B", HEADING_SIZES.get(level, 11))  # type: ignore[attr-defined]
        text = _plain(heading.group(2))
    else:
        bullet = re.match(r"^[-*+]\s+(.*)$", stripped)
        bold = stripped.startswith("**") and stripped.endswith("**")
        pdf.set_font(family, "B" if bold else "", 11)  # type: ignore[attr-defined]
        indent = "    " if line.startswith("    ") else ""
        text = f"{indent}• {_plain(bullet.group(1))}" if bullet else _plain(stripped)
    pdf.multi_cell(0, 6, text, align=align, new_x="LMARGIN", new_y="NEXT")  # type: ignore[attr-defined]


def _approval_lines(minutes: Minutes) -> list[str]:
    kit = sdk.pdf
    gettext = _t.gettext
    lines = []
    if minutes.approved_at is not None:
        lines.append(gettext("Approved on %(date)s.", date=kit.pdf_date(minutes.approved_at)))
    if minutes.approved_by_vote_id is not None:
        lines.append(gettext("Approved by a vote of a later meeting."))
    for signature in sorted(minutes.signatures, key=lambda s: s.office_role):
        lines.append(_signature_line(signature))
    if minutes.frozen_hash:
        lines.append(gettext("SHA-256 of the text: %(hash)s", hash=kit.ltr(minutes.frozen_hash)))
    return lines


def _signature_line(signature: MinutesSignature) -> str:
    kit = sdk.pdf
    gettext = _t.gettext
    office = (
        gettext("President")
        if signature.office_role == "president"
        else gettext("Secretary general")
    )
    return gettext(
        "Signed by %(name)s, %(office)s, on %(date)s.",
        name=kit.isolate(_member_name(signature.member_id)),
        office=office,
        date=kit.pdf_date(signature.signed_at),
    )


def _member_name(member_id: int) -> str:
    return sdk.db.session.get(Member, member_id).name
