"""The régie's vocabularies, with the labels people read (one place for every form and page)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms.fields.choices import SelectChoice

from ent_core import sdk

_l = sdk._l

PRIORITIES: dict[str, Any] = {
    "sponsorship": _l("Sponsorship (contract, served first)"),
    "standard": _l("Standard"),
    "remnant": _l("Remnant (house ads, what is left)"),
}
#: Served in this order: a lower class gets only what a higher one leaves.
PRIORITY_ORDER = ("sponsorship", "standard", "remnant")

PRICING: dict[str, Any] = {
    "cpm": _l("Per 1,000 impressions (CPM)"),
    "cpc": _l("Per click (CPC)"),
    "flat": _l("Flat fee for the dates"),
}

PACING: dict[str, Any] = {
    "even": _l("Evenly over the day"),
    "asap": _l("As fast as possible"),
}

BILLING: dict[str, Any] = {
    "prepaid": _l("Prepaid"),
    "monthly": _l("Invoiced monthly"),
}

CAMPAIGN_STATUSES: dict[str, Any] = {
    "draft": _l("Draft"),
    "pending": _l("Awaiting approval"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "paused": _l("Paused"),
    "ended": _l("Ended"),
}

CREATIVE_STATUSES: dict[str, Any] = {
    "pending": _l("Awaiting approval"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
}

FORMATS: dict[str, Any] = {
    "image": _l("Image"),
    "html5": _l("HTML5 (zipped bundle)"),
    "native": _l("Native text ad"),
}

#: Advertiser categories: what publishers may refuse on their placements (brand safety).
CATEGORIES: dict[str, Any] = {
    "technology": _l("Technology and telecoms"),
    "media": _l("Media and communication"),
    "education": _l("Education and training"),
    "finance": _l("Banking, insurance and finance"),
    "real_estate": _l("Real estate"),
    "automotive": _l("Automotive"),
    "retail": _l("Retail and consumer goods"),
    "food": _l("Food and drink"),
    "health": _l("Health and pharmacy"),
    "travel": _l("Travel and tourism"),
    "energy": _l("Energy and environment"),
    "public": _l("Public sector and institutions"),
    "associations": _l("Associations and NGOs"),
    "politics": _l("Politics and advocacy"),
    "dating": _l("Dating"),
    "gambling": _l("Games of chance and betting"),
    "other": _l("Other"),
}

CLASSIFIED_KINDS: dict[str, Any] = {
    "job": _l("Job"),
    "service": _l("Service"),
    "event": _l("Event"),
    "equipment": _l("Equipment"),
    "property": _l("Premises and property"),
    "other": _l("Other"),
}

CLASSIFIED_STATUSES: dict[str, Any] = {
    "pending": _l("Awaiting moderation"),
    "published": _l("Published"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
    "expired": _l("Expired"),
    "removed": _l("Removed by a moderator"),
}

REPORT_REASONS: dict[str, Any] = {
    "scam": _l("Scam or fraud"),
    "offensive": _l("Offensive or unlawful"),
    "wrong_board": _l("Wrong board or category"),
    "other": _l("Something else"),
}


def choices(pairs: Iterable[tuple[Any, Any]] | dict[str, Any]) -> list[SelectChoice]:
    """A select's choices from a catalogue or ``(value, label)`` pairs (WTForms 3.3 wants
    ``SelectChoice``)."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]
