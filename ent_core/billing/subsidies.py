"""Subsidy programmes: who qualifies, and taking a share from the budget atomically.

Coverage is *partial*: when the remaining budget cannot pay the whole share, the programme pays
what is left and the subscriber pays the rest; once it is spent, the subscriber pays it all.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _

from ent_core.audit import record
from ent_core.billing.errors import BillingError
from ent_core.billing.models import SubsidyProgramme
from ent_core.billing.money import ZERO, to_money
from ent_core.db import db

DEFAULT_PROGRAMMES: tuple[dict[str, Any], ...] = (
    {
        "code": "pme_etat",
        "name": "Programme PME (État)",
        "sponsor": "État — programme d'appui aux TPME",
        "share_percent": Decimal("100"),
        "months": 12,
        "kinds": ["auto_entrepreneur", "media"],
        "plans": ["basic"],
        "budget": Decimal("1000000.00"),
    },
    {
        "code": "associations",
        "name": "Programme associations",
        "sponsor": "Fonds d'appui à la société civile",
        "share_percent": Decimal("50"),
        "months": 12,
        "kinds": ["association"],
        "plans": ["association"],
        "budget": Decimal("200000.00"),
    },
)

#: How many times a reservation retries when another transaction spent the budget meanwhile.
_ATTEMPTS = 8


def ensure_programmes() -> None:
    """Create the default programmes once; admins adjust budgets afterwards."""
    existing = set(db.session.scalars(db.select(SubsidyProgramme.code)))
    for values in DEFAULT_PROGRAMMES:
        if values["code"] not in existing:
            db.session.add(SubsidyProgramme(spent=ZERO, **values))
    db.session.flush()


def list_programmes() -> list[SubsidyProgramme]:
    return list(db.session.scalars(db.select(SubsidyProgramme).order_by(SubsidyProgramme.id)))


def eligible_programme(
    *, kind: str, plan_code: str, started_at: datetime, period_start: datetime
) -> SubsidyProgramme | None:
    """The first active programme covering this kind and plan for a period starting then.

    An invoice is covered when its period starts within ``months`` of the subscription's start.
    """
    for programme in db.session.scalars(
        db.select(SubsidyProgramme)
        .where(SubsidyProgramme.active.is_(True))
        .order_by(SubsidyProgramme.id)
    ):
        if kind not in (programme.kinds or []) or plan_code not in (programme.plans or []):
            continue
        if period_start < started_at + relativedelta(months=programme.months):
            return programme
    return None


def reserve(programme: SubsidyProgramme, wanted: Decimal) -> Decimal:
    """Take up to ``wanted`` from the budget; returns what was granted (maybe 0.00).

    The guarded ``UPDATE ... WHERE spent + :amount <= budget`` succeeds for exactly one of two
    transactions racing for the last of the budget; the loser reads again and takes what is left.
    """
    wanted = to_money(wanted)
    table = SubsidyProgramme.__table__
    for _attempt in range(_ATTEMPTS):
        budget, spent = db.session.execute(
            db.select(table.c.budget, table.c.spent).where(table.c.id == programme.id)
        ).one()
        grant = min(wanted, max(budget - spent, ZERO))
        if grant <= ZERO:
            return ZERO
        result = db.session.execute(
            table.update()
            .where(table.c.id == programme.id, table.c.spent + grant <= table.c.budget)
            .values(spent=table.c.spent + grant)
        )
        if result.rowcount == 1:
            db.session.expire(programme, ["spent"])
            return grant
    return ZERO


def give_back(programme_id: int, amount: Decimal) -> None:
    """Return a voided invoice's sponsor share to the budget (the caller voided it, once).

    Guarded like :func:`reserve`: ``spent`` never goes below zero; a share that was never taken
    cannot be given back, and the transaction fails instead of corrupting the books.
    """
    amount = to_money(amount)
    if amount <= ZERO:
        return
    table = SubsidyProgramme.__table__
    result = db.session.execute(
        table.update()
        .where(table.c.id == programme_id, table.c.spent >= amount)
        .values(spent=table.c.spent - amount)
    )
    if result.rowcount != 1:
        raise RuntimeError(f"programme {programme_id} has not spent the {amount} given back")


def _set_budget(programme: SubsidyProgramme, budget: Decimal) -> None:
    """Guarded like :func:`reserve`: a budget is never set below what was already spent."""
    table = SubsidyProgramme.__table__
    result = db.session.execute(
        table.update()
        .where(table.c.id == programme.id, table.c.spent <= budget)
        .values(budget=budget)
    )
    db.session.expire(programme, ["budget", "spent"])
    if result.rowcount != 1:
        message = _(
            "The budget cannot be less than what the programme has already spent (%(spent)s).",
            spent=programme.spent,
        )
        raise BillingError("validation_error", message, details={"fields": {"budget": [message]}})


def update_programme(programme: SubsidyProgramme, *, actor: Any, **values: Any) -> None:
    """Change a programme (budget, share, active...) and audit ``subsidy.updated``."""
    changes = {}
    if "budget" in values:  # first: a refused budget leaves nothing half changed
        values = {"budget": to_money(values.pop("budget")), **values}
    for name, value in values.items():
        old = getattr(programme, name)
        if old != value:
            changes[name] = {
                "from": str(old) if isinstance(old, Decimal) else old,
                "to": str(value) if isinstance(value, Decimal) else value,
            }
            if name == "budget":
                _set_budget(programme, value)
            else:
                setattr(programme, name, value)
    if changes:
        record(
            "subsidy.updated", subject=f"programme:{programme.code}", actor=actor, details=changes
        )
    db.session.commit()
