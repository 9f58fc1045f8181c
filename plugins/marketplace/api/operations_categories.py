"""The categories for platform administrators (``/api/v1/admin/marketplace/categories``):
every category with its commission, active or not, and ``PATCH`` to change one.

Rates travel as percentages (``"8.00"`` = 8 %), as the admin page shows them; the public
list of categories is ``/api/v1/marketplace/categories``.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import category_editing as editing
from ent_plugins.marketplace.categories import category_by_code
from ent_plugins.marketplace.models import MarketplaceCategory
from flask import Blueprint
from pydantic import Field

from ent_core import sdk

admin_api = Blueprint(
    "marketplace_admin_api", __name__, url_prefix="/api/v1/admin/marketplace/categories"
)
TAGS = ("marketplace",)


class CategoryNames(sdk.ApiModel):
    fr: str
    en: str
    ar: str


class AdminCategoryOut(sdk.ApiModel):
    code: str
    sector: str
    names: CategoryNames
    commission_percent: str = Field(description="The platform's share, HT: `8.00` = 8 %.")
    position: int
    active: bool = Field(description="Open to new listings.")


class AdminCategoryList(sdk.ApiModel):
    items: list[AdminCategoryOut]
    next_cursor: str | None = Field(default=None, description="Always null: one page.")


class CategoryPatch(sdk.ApiModel):
    names: dict[str, str] | None = Field(
        default=None, description="Names to change, by language (`fr`, `en`, `ar`)."
    )
    sector: str | None = None
    commission_percent: str | float | None = Field(
        default=None, description="0 to 50, at most two decimals (`8`, `7.5`)."
    )
    position: int | None = Field(default=None, ge=0)
    active: bool | None = None


def category_json(category: MarketplaceCategory) -> AdminCategoryOut:
    names = category.names or {}
    return AdminCategoryOut(
        code=category.code,
        sector=category.sector,
        names=CategoryNames(**{lang: str(names.get(lang, "")) for lang in editing.LANGUAGES}),
        commission_percent=f"{category.commission_rate * 100:.2f}",
        position=category.position,
        active=bool(category.active),
    )


def _operator() -> None:
    if not sdk.current_user.is_authenticated:
        raise sdk.ApiError("unauthorized", sdk._("A valid bearer token is required."), 401)
    if not sdk.current_user.is_admin:
        raise sdk.ApiError("forbidden", sdk._("Only platform administrators may do this."), 403)


@admin_api.get("")
@sdk.api_operation(
    operation_id="listMarketplaceCategoriesAdmin",
    summary="Every marketplace category with its commission (platform administrators)",
    response=AdminCategoryList,
    tags=TAGS,
    errors=(403,),
)
def list_categories() -> Any:
    _operator()
    return AdminCategoryList(items=[category_json(c) for c in editing.all_categories()])


@admin_api.patch("/<code>")
@sdk.api_operation(
    operation_id="updateMarketplaceCategory",
    summary="Change a category's names, sector, commission, position or state "
    "(platform administrators)",
    description="Only the members given change; the change is audited. A commission outside "
    "0 to 50 % answers 422 `validation_error` on `commission_percent`.",
    body=CategoryPatch,
    response=AdminCategoryOut,
    tags=TAGS,
    errors=(403, 404, 422),
)
def update_category(code: str, body: CategoryPatch) -> Any:
    _operator()
    category = category_by_code(code)
    if category is None:
        raise sdk.ApiError("not_found", sdk._("No category has this code."), 404)
    values: dict[str, Any] = {
        "sector": body.sector,
        "commission_percent": body.commission_percent,
        "position": body.position,
        "active": body.active,
        **{lang: text for lang, text in (body.names or {}).items() if lang in editing.LANGUAGES},
    }
    editing.update_category(category, values, actor=sdk.current_user)
    sdk.db.session.commit()
    return category_json(category)
