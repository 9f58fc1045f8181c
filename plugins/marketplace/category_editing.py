"""The operator edits the platform's categories: names, sector, commission, order, on or off.

One function for the admin pages, the admin API and ``ent marketplace category``, so the
rules (a commission between 0 and 50 %, a name in every language, a unique code) and the
audit record are the same whichever way the change comes.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ent_plugins.marketplace.categories import category_by_code
from ent_plugins.marketplace.models import MarketplaceCategory

from ent_core import sdk

LANGUAGES = ("fr", "en", "ar")
#: The highest commission the operator may set: beyond it sellers would leave.
MAX_PERCENT = Decimal("50")
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


def percent_to_rate(value: Any) -> Decimal:
    """``8`` or ``"7.5"`` (a percentage) as the stored fraction (0.0800, 0.0750); refused
    (422 ``validation_error`` on ``commission_percent``) outside 0 to 50 or past 2 decimals."""
    try:
        percent = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        percent = Decimal("NaN")
    if not percent.is_finite() or percent < 0 or percent > MAX_PERCENT:
        raise sdk.UserError(
            "validation_error",
            sdk._("The commission is a percentage between 0 and 50."),
            field="commission_percent",
        )
    if percent != percent.quantize(Decimal("0.01")):
        raise sdk.UserError(
            "validation_error",
            sdk._("The commission has at most two decimals."),
            field="commission_percent",
        )
    return (percent / 100).quantize(Decimal("0.0001"))


def rate_to_percent(rate: Decimal) -> Decimal:
    """The stored fraction as the percentage people read (0.0800 -> 8)."""
    return (rate * 100).quantize(Decimal("0.01")).normalize()


def _names(values: dict[str, Any], current: dict[str, Any]) -> dict[str, str]:
    names = dict(current)
    for language in LANGUAGES:
        if language in values and values[language] is not None:
            names[language] = str(values[language]).strip()
        if not names.get(language):
            raise sdk.UserError(
                "validation_error",
                sdk._("Give the category a name in every language."),
                field=f"name_{language}",
            )
        if len(names[language]) > 120:
            raise sdk.UserError(
                "validation_error",
                sdk._("A category's name has at most 120 characters."),
                field=f"name_{language}",
            )
    return names


def create_category(code: str, values: dict[str, Any], *, actor: Any) -> MarketplaceCategory:
    """A new category (not committed). ``values``: ``fr``, ``en``, ``ar``, ``sector``,
    ``commission_percent``, optionally ``position`` and ``active``."""
    code = code.strip().lower()
    if not CODE.match(code):
        raise sdk.UserError(
            "validation_error",
            sdk._("A code has 2 to 40 lowercase letters, digits or hyphens."),
            field="code",
        )
    if category_by_code(code) is not None:
        raise sdk.UserError(
            "already_exists", sdk._("A category has this code already."), 409, field="code"
        )
    category = MarketplaceCategory(code=code, names={}, commission_rate=Decimal("0.10"))
    return _apply(category, {"position": _next_position(), "active": True, **values}, actor)


def update_category(
    category: MarketplaceCategory, values: dict[str, Any], *, actor: Any
) -> MarketplaceCategory:
    """Change what ``values`` names (the others stay); audited with before and after."""
    return _apply(category, values, actor)


def _apply(
    category: MarketplaceCategory, values: dict[str, Any], actor: Any
) -> MarketplaceCategory:
    before = _state(category) if category.id else None
    category.names = _names(values, category.names or {})
    if values.get("sector") is not None:
        sector = str(values["sector"]).strip()
        if not sector:
            raise sdk.UserError(
                "validation_error", sdk._("Choose the category's sector."), field="sector"
            )
        category.sector = sector
    elif not category.sector:
        raise sdk.UserError(
            "validation_error", sdk._("Choose the category's sector."), field="sector"
        )
    if values.get("commission_percent") is not None:
        category.commission_rate = percent_to_rate(values["commission_percent"])
    if values.get("position") is not None:
        category.position = int(values["position"])
    if values.get("active") is not None:
        category.active = bool(values["active"])
    sdk.db.session.add(category)
    sdk.db.session.flush()
    after = _state(category)
    if before != after:
        sdk.audit(
            "marketplace.category.created" if before is None else "marketplace.category.updated",
            subject=f"marketplace_category:{category.code}",
            actor=actor,
            details={"before": before, "after": after} if before else {"after": after},
        )
    return category


def _state(category: MarketplaceCategory) -> dict[str, Any]:
    return {
        "names": dict(category.names or {}),
        "sector": category.sector,
        "commission_rate": str(category.commission_rate),
        "position": category.position,
        "active": bool(category.active),
    }


def _next_position() -> int:
    highest = sdk.db.session.scalar(sdk.db.select(sdk.db.func.max(MarketplaceCategory.position)))
    return (highest or 0) + 1


def all_categories() -> list[MarketplaceCategory]:
    """Every category, active or not, in the operator's order."""
    return list(
        sdk.db.session.scalars(
            sdk.db.select(MarketplaceCategory).order_by(
                MarketplaceCategory.position, MarketplaceCategory.code
            )
        )
    )


def category_name(category: MarketplaceCategory, language: str) -> str:
    """The name in ``language``, else French, else the code."""
    names = category.names or {}
    return str(names.get(language) or names.get("fr") or category.code)
