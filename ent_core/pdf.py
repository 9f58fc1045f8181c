"""PDF documents that read right in French, English and Arabic (fpdf2 + HarfBuzz shaping).

Every PDF of the platform starts from :func:`new_document`: it embeds IBM Plex Sans Arabic
(vendored in ``ent_core/fonts``, SIL OFL 1.1), which draws Arabic and Latin-1 with the same
design, and turns on fpdf2's text shaping (``uharfbuzz``): Arabic letters join and right-to-left
runs are ordered by the Unicode bidirectional algorithm. fpdf2's bidi pass reverses a number
such as ``2026-000004`` inside Arabic text, so numbers, dates and user-supplied names go through
:func:`ltr` / :func:`isolate` (Unicode isolates, which it honours).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import get_locale

from ent_core.money import format_money

FONT_DIR = Path(__file__).with_name("fonts")
FONT_FAMILY = "PlexArabic"
RTL_LANGUAGES = frozenset({"ar"})

_LRI, _FSI, _PDI = "\u2066", "\u2068", "\u2069"
# Babel's marks that the font has no glyph for: the narrow no-break space becomes a no-break
# space (same bidi class), and direction marks go, since the run is isolated as a whole.
_FOR_THE_FONT = str.maketrans({"\u202f": "\u00a0", "\u200e": None, "\u200f": None})


def document_locale() -> Locale:
    """The language the document is written in: the request's (or job's) current locale."""
    return get_locale() or Locale.parse("fr")


def is_rtl(locale: Locale | None = None) -> bool:
    return (locale or document_locale()).language in RTL_LANGUAGES


def new_document(**options: Any) -> Any:
    """An ``FPDF`` with the platform's font (regular and ``B``) set, shaping on, in the
    direction of the current language; ``options`` go to ``FPDF`` (``format``, ``orientation``).
    """
    # fpdf2 brings Pillow and fontTools (~20 MB): loaded only when a PDF is asked for.
    from fpdf import FPDF

    pdf = FPDF(**options)
    pdf.add_font(FONT_FAMILY, "", str(FONT_DIR / "IBMPlexSansArabic-Regular.ttf"))
    pdf.add_font(FONT_FAMILY, "B", str(FONT_DIR / "IBMPlexSansArabic-Bold.ttf"))
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if is_rtl() else "ltr")
    pdf.set_creator("Smart Médias ENT")
    return pdf


def start_align() -> str:
    """Where a line of text starts: the right edge in Arabic, the left one otherwise."""
    return "R" if is_rtl() else "L"


def end_align() -> str:
    return "L" if is_rtl() else "R"


def ltr(text: Any) -> str:
    """A run that always reads left to right (a number, a date, an invoice number, a URL)."""
    return f"{_LRI}{str(text).translate(_FOR_THE_FONT)}{_PDI}"


def isolate(text: Any) -> str:
    """A user-supplied string isolated from the text around it, in its own direction."""
    return f"{_FSI}{text}{_PDI}"


def pdf_date(value: date | datetime) -> str:
    """A date as the page shows it in the current language, isolated as a left-to-right run."""
    return ltr(format_date(value, format="medium", locale=document_locale()))


def pdf_decimal(value: Decimal | int) -> str:
    return ltr(format_decimal(value, locale=document_locale()))


def pdf_money(value: Decimal, currency: str) -> str:
    """An amount as the page shows it (``1 990,00 MAD`` in French), isolated."""
    return ltr(format_money(value, currency, document_locale()))
