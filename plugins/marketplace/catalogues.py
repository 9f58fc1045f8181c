"""The marketplace's vocabularies, with the labels people read (one place for every page)."""

from __future__ import annotations

from typing import Any

from ent_core import sdk

_l = sdk._l

KINDS: dict[str, Any] = {
    "product": _l("Product"),
    "service": _l("Service"),
    "booking": _l("Booking"),
}
#: Products: shipped or handed over, or a file downloaded.
DELIVERIES: dict[str, Any] = {
    "physical": _l("Physical product"),
    "digital": _l("Digital download"),
}
#: Services are priced by one of these.
UNITS: dict[str, Any] = {
    "hour": _l("per hour"),
    "day": _l("per day"),
    "package": _l("package"),
}
LISTING_STATUSES: dict[str, Any] = {
    "draft": _l("Draft"),
    "pending": _l("Awaiting approval"),
    "published": _l("Published"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
    "removed": _l("Removed by the platform"),
}
REPORT_REASONS: dict[str, Any] = {
    "misleading": _l("Misleading or false"),
    "prohibited": _l("Prohibited product or service"),
    "intellectual_property": _l("Infringes someone's rights"),
    "spam": _l("Spam"),
    "other": _l("Other"),
}
#: How a listing is bought: a fixed price in a cart, a quote, or a slot.
PROCESSES: dict[str, Any] = {
    "purchase": _l("Purchase"),
    "inquiry": _l("Quote request"),
    "booking": _l("Booking"),
}
ORDER_STATUSES: dict[str, Any] = {
    "inquiry": _l("Awaiting a quote"),
    "quoted": _l("Quote sent"),
    "awaiting_payment": _l("Awaiting payment"),
    "payment_pending": _l("Payment being confirmed"),
    "paid": _l("Paid"),
    "delivered": _l("Delivered"),
    "completed": _l("Completed"),
    "declined": _l("Declined"),
    "cancelled": _l("Cancelled"),
    "expired": _l("Expired"),
    "disputed": _l("In dispute"),
    "refunded": _l("Refunded"),
}
TRANSITION_LABELS: dict[str, Any] = {
    "quote": _l("Send a quote"),
    "decline": _l("Decline"),
    "accept": _l("Accept the quote"),
    "pay": _l("Pay"),
    "confirm_payment": _l("Confirm the payment"),
    "deliver": _l("Mark delivered"),
    "complete": _l("Confirm receipt"),
    "cancel": _l("Cancel"),
    "dispute": _l("Open a dispute"),
    "refund": _l("Refund"),
    "resolve": _l("Close the dispute without refund"),
    "expire": _l("Expire"),
}
SIDES: dict[str, Any] = {
    "buyer": _l("Buyer"),
    "seller": _l("Seller"),
    "operator": _l("Platform"),
    "system": _l("Automatic"),
}

#: Categories the platform starts with: (code, sector, fr, en, ar, commission rate).
DEFAULT_CATEGORIES: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "cms-themes",
        "it",
        "Thèmes et extensions CMS",
        "CMS themes and extensions",
        "قوالب وإضافات أنظمة إدارة المحتوى",
        "0.10",
    ),
    (
        "newsroom-software",
        "it",
        "Logiciels de rédaction",
        "Newsroom software",
        "برمجيات غرف الأخبار",
        "0.10",
    ),
    ("fact-checking", "it", "Vérification des faits", "Fact-checking", "التحقق من الأخبار", "0.08"),
    ("photo-video", "it", "Photo et vidéo", "Photo and video", "التصوير والفيديو", "0.12"),
    (
        "podcast-studio",
        "it",
        "Studios de podcast",
        "Podcast studios",
        "استوديوهات البودكاست",
        "0.12",
    ),
    ("training-seats", "it", "Places de formation", "Training seats", "مقاعد التكوين", "0.05"),
    (
        "green-reporting",
        "green",
        "Reportages environnement",
        "Environmental reporting",
        "روبورتاجات البيئة",
        "0.08",
    ),
    (
        "ngo-communication",
        "civil_society",
        "Communication associative",
        "Communication for associations",
        "تواصل الجمعيات",
        "0.05",
    ),
)


def category_name(category: Any, language: str | None = None) -> str:
    """A category's name in the page's language (French when it has none in that one)."""
    from flask_babel import get_locale

    names = category.names or {}
    lang = language or str(get_locale() or "fr")[:2]
    return str(names.get(lang) or names.get("fr") or category.code)
