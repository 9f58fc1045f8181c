"""The plan catalogue: seeding, reading and editing (an edit never touches issued invoices)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from ent_core.audit import record
from ent_core.billing.errors import BillingError
from ent_core.billing.models import Plan
from ent_core.billing.money import to_money
from ent_core.db import all_workspaces, db
from ent_core.lazytext import lazy_gettext as _l

#: Quotas the core itself counts; plugins declare theirs in ``PluginMeta.quotas``.
CORE_QUOTAS: dict[str, Any] = {"seats": _l("Members (seats)")}

MOROCCO_VAT = Decimal("0.20")

#: Seeded once by ``ensure_reference_data``; admins change prices and contents afterwards.
DEFAULT_PLANS: tuple[dict[str, Any], ...] = (
    {
        "code": "basic",
        "name_fr": "Basique",
        "name_en": "Basic",
        "name_ar": "الأساسي",
        "price_month": Decimal("199.00"),
        "price_year": Decimal("1990.00"),
        "plugins": ["publishing", "training", "ads"],
        "quotas": {"classified_ads_per_month": 5, "seats": 3},
        "position": 0,
    },
    {
        "code": "association",
        "name_fr": "Association",
        "name_en": "Association",
        "name_ar": "جمعية",
        "price_month": Decimal("99.00"),
        "price_year": Decimal("990.00"),
        "plugins": ["governance", "publishing"],
        "quotas": {"seats": 10},
        "position": 1,
    },
    {
        "code": "marketplace",
        "name_fr": "Place de marché (option)",
        "name_en": "Marketplace (add-on)",
        "name_ar": "السوق (إضافة)",
        "price_month": Decimal("149.00"),
        "price_year": Decimal("1490.00"),
        "plugins": ["marketplace"],
        "quotas": {"marketplace_listings_per_month": 50},
        "addon": True,
        "position": 2,
    },
)


def ensure_plans() -> None:
    """Create the default plans that do not exist yet; existing ones keep the admins' edits."""
    existing = set(db.session.scalars(db.select(Plan.code)))
    for values in DEFAULT_PLANS:
        if values["code"] not in existing:
            db.session.add(Plan(vat_rate=MOROCCO_VAT, currency="MAD", **values))
    db.session.flush()


def list_plans(*, include_inactive: bool = False) -> list[Plan]:
    statement = db.select(Plan).order_by(Plan.position, Plan.code)
    if not include_inactive:
        statement = statement.where(Plan.active.is_(True))
    return list(db.session.scalars(statement))


def get_plan(code: str, *, active_only: bool = True, for_sale: bool = False) -> Plan:
    """The plan named ``code``; ``BillingError`` ``unknown_plan`` otherwise.

    ``for_sale``: a plan that sells nothing installed here is unknown too (subscribing).
    """
    plan = db.session.scalar(db.select(Plan).where(Plan.code == code))
    if plan is None or (active_only and not plan.active) or (for_sale and not on_sale(plan)):
        raise BillingError(
            "unknown_plan",
            _("No such plan: %(code)s.", code=code),
            status=422,
            details={"fields": {"plan": [_("Unknown plan.")]}},
        )
    return plan


def plan_modules(plan: Plan) -> list[tuple[str, Any]]:
    """The plan's features an installed plugin needs, with that plugin's translated label.

    A feature no installed plugin needs stays in the plan's data but is neither shown nor sold.
    """
    labels = current_app.extensions["ent"].feature_labels()
    return [(code, labels[code]) for code in plan.plugins or [] if code in labels]


def plan_limits(plan: Plan) -> list[tuple[str, Any, int]]:
    """The plan's quotas the core or an installed plugin counts: name, label and limit."""
    labels = CORE_QUOTAS | current_app.extensions["ent"].quota_labels()
    return [
        (name, labels[name], int(limit))
        for name, limit in sorted((plan.quotas or {}).items())
        if name in labels
    ]


def on_sale(plan: Plan) -> bool:
    """A plan that names features sells something only if one of them is installed."""
    return not plan.plugins or bool(plan_modules(plan))


def plans_on_sale() -> list[Plan]:
    """Active plans that sell something installed here, in the catalogue's order."""
    return [plan for plan in list_plans() if on_sale(plan)]


def plan_item(plan: Plan, language: str = "fr") -> dict[str, Any]:
    """The API shape of a plan (CONVENTIONS): Decimals become strings, never floats.

    ``plugins`` and ``quotas`` list only what is installed; ``modules`` and ``limits`` carry
    their translated names.
    """
    modules = plan_modules(plan)
    limits = plan_limits(plan)
    return {
        "code": plan.code,
        "name": plan.name_for(language),
        "plugins": [code for code, _label in modules],
        "modules": [{"code": code, "name": str(label)} for code, label in modules],
        "quotas": {name: limit for name, _label, limit in limits},
        "limits": [
            {"quota": name, "label": str(label), "limit": limit} for name, label, limit in limits
        ],
        "price_month": str(plan.price_month),
        "price_year": str(plan.price_year),
        "currency": plan.currency,
        "vat_rate": str(plan.vat_rate.normalize()),
        "addon": plan.addon,
        "active": plan.active,
    }


EDITABLE = (
    "name_fr",
    "name_en",
    "name_ar",
    "price_month",
    "price_year",
    "vat_rate",
    "plugins",
    "quotas",
    "active",
)


def update_plan(plan: Plan, *, actor: Any, **values: Any) -> dict[str, Any]:
    """Change a plan and audit ``plan.updated`` with what changed; returns the changes."""
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if name not in EDITABLE:
            raise ValueError(f"plan field {name!r} cannot be edited")
        if name in ("price_month", "price_year"):
            value = to_money(value)
            if value < 0:
                raise BillingError("validation_error", _("A price cannot be negative."))
        if name == "vat_rate":
            value = Decimal(value)
            if not Decimal(0) <= value < Decimal(1):
                raise BillingError("validation_error", _("A VAT rate is between 0 and 1."))
        old = getattr(plan, name)
        if old != value:
            changes[name] = {"from": _jsonable(old), "to": _jsonable(value)}
            setattr(plan, name, value)
    if changes:
        record("plan.updated", subject=f"plan:{plan.code}", actor=actor, details=changes)
    db.session.commit()
    if "plugins" in changes:
        _switch_off_what_it_no_longer_sells(plan)
    return changes


def _switch_off_what_it_no_longer_sells(plan: Plan) -> None:
    """A feature taken out of a plan is lost at once by the workspaces the plan entitles."""
    from ent_core.billing.models import Subscription
    from ent_core.billing.subscriptions import switch_off_unentitled

    with all_workspaces():  # the plan's subscribers, whatever workspace is current
        for subscription in list(db.session.scalars(db.select(Subscription))):
            if subscription.plan_id == plan.id or plan.code in (subscription.addons or []):
                switch_off_unentitled(subscription.workspace)


def _jsonable(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value
