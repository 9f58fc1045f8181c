"""Campaigns: what an advertiser may set, the price it pays, and the moves of its workflow.

Every move is a guarded conditional ``UPDATE`` (``WHERE status IN (...)``): of two requests
racing, one wins and the other answers 409 ``invalid_transition``. Each move is recorded in the
campaign's history and the audit log, mailed to the advertiser, committed, and then the
delivery index is told (``index.invalidate``) when it changes what may be served: after the
commit, so that no process rebuilds its index from the state before it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from ent_plugins.ads import index
from ent_plugins.ads.catalogues import CATEGORIES, PACING, PRICING
from ent_plugins.ads.models import AdvertiserTerms, Campaign, CampaignHistory, Creative
from ent_plugins.ads.permissions import MANAGE_CAMPAIGNS
from ent_plugins.ads.settings import settings

from ent_core import sdk

_ = sdk._
CENT = Decimal("0.01")
LANGUAGES = ("fr", "ar", "en")
#: Advertisers choose these; ``sponsorship`` is the régie's, set on approval (a contract).
SELF_SERVE_PRIORITIES = ("standard", "remnant")
EDITABLE = ("draft", "rejected")
#: Running campaigns whose budget, dates, caps and targeting may still change (docs/ads.md).
ADJUSTABLE = ("approved", "paused")
#: What an advertiser may change on an approved or paused campaign; the rest went through
#: moderation (name, landing page, category, pricing) or is the régie's (priority, rate).
ADJUSTABLE_FIELDS = frozenset(
    {
        "ends_at",
        "budget",
        "daily_budget",
        "max_impressions",
        "max_daily_impressions",
        "max_clicks",
        "max_daily_clicks",
        "frequency_cap",
        "frequency_hours",
        "dayparts",
        "pacing",
        "weight",
        "target_sectors",
        "target_tags",
        "target_languages",
        "target_workspaces",
        "target_placements",
    }
)

#: name -> (statuses it leaves from, status it reaches, who may: "advertiser" or "moderator").
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "submit": (("draft", "rejected"), "pending", "advertiser"),
    "approve": (("pending",), "approved", "moderator"),
    "reject": (("pending",), "rejected", "moderator"),
    "pause": (("approved",), "paused", "advertiser"),
    "resume": (("paused",), "approved", "advertiser"),
}
#: Moves after which the delivery index must be rebuilt.
SERVING_MOVES = frozenset({"approve", "pause", "resume", "reject"})

#: The platform's sectors and workspaces, read by name: plugins do not import core models.
_SECTOR = sa.table("sector", sa.column("code"), sa.column("position"))
_WORKSPACE = sa.table(
    "workspace",
    sa.column("id"),
    sa.column("slug"),
    sa.column("name"),
    sa.column("kind"),
    sa.column("timezone"),
)


def workspace_of(workspace_id: int) -> Any:
    """The advertiser's workspace as a row with ``id``, ``slug``, ``name``, ``kind`` and
    ``timezone``: what mails, invoices, dates and the audit need, from pages that work across
    workspaces and from jobs too."""
    current = sdk.current_workspace()
    if current is not None and current.id == workspace_id:
        return current
    return sdk.db.session.execute(
        sa.select(_WORKSPACE).where(_WORKSPACE.c.id == workspace_id)
    ).one()


# -- what the form offers ---------------------------------------------------------------------
def sector_codes() -> list[str]:
    """The platform's sector codes, in their display order."""
    rows = sdk.db.session.execute(sa.select(_SECTOR.c.code).order_by(_SECTOR.c.position))
    return [code for (code,) in rows]


def publishers() -> list[tuple[str, str]]:
    """``(slug, name)`` of the approved workspaces where ads is on: where campaigns may run."""
    with sdk.all_workspaces():  # a platform-wide listing: no workspace limits it
        rows = sdk.db.session.execute(
            sa.select(_WORKSPACE.c.slug, _WORKSPACE.c.name)
            .where(_WORKSPACE.c.id.in_(sdk.public_workspace_ids("ads")))
            .order_by(_WORKSPACE.c.name)
        ).all()
    return [(slug, name) for slug, name in rows]


def placement_codes() -> list[tuple[str, str]]:
    """``(code, label)`` of every place the platform's modules declared (``sdk.ad_slots``)."""
    return [(code, str(slot.label)) for code, slot in sorted(sdk.ad_slots().items())]


# -- the price --------------------------------------------------------------------------------
def flat_days(starts_at: datetime, ends_at: datetime) -> int:
    """Days a flat campaign is sold for: each started day counts."""
    return max(1, math.ceil((ends_at - starts_at) / timedelta(days=1)))


def card_rate(pricing: str, starts_at: datetime, ends_at: datetime) -> Decimal:
    """The operator's rate card: per 1,000 impressions, per click, or the flat fee."""
    card = settings()
    if pricing == "cpc":
        return card.cpc_price
    if pricing == "flat":
        return (card.flat_day_price * flat_days(starts_at, ends_at)).quantize(CENT)
    return card.cpm_price


@dataclass(frozen=True)
class Estimate:
    """What the budget buys and what it costs with VAT: shown before paying."""

    pricing: str
    rate: Decimal
    budget: Decimal
    #: Impressions (CPM), clicks (CPC) or days (flat) the budget buys.
    units: int
    vat_rate: Decimal
    vat: Decimal
    total: Decimal


def estimate(campaign: Campaign) -> Estimate:
    budget = Decimal(campaign.budget)
    rate = Decimal(campaign.rate)
    if campaign.pricing == "cpm":
        units = int((budget * 1000 / rate).to_integral_value(ROUND_DOWN)) if rate else 0
    elif campaign.pricing == "cpc":
        units = int((budget / rate).to_integral_value(ROUND_DOWN)) if rate else 0
    else:
        units = flat_days(campaign.starts_at, campaign.ends_at)
    vat_rate = settings().vat_rate
    vat = (budget * vat_rate).quantize(CENT, ROUND_HALF_UP)
    return Estimate(campaign.pricing, rate, budget, units, vat_rate, vat, budget + vat)


# -- checking what people typed ---------------------------------------------------------------
def _refuse(field: str, message: str) -> sdk.UserError:
    return sdk.UserError("invalid_campaign", message, 422, field=field)


def check_url(url: str, field: str = "landing_url") -> str:
    """An http(s) address with a host: never ``javascript:``, ``data:`` or a relative path."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _refuse(field, _("Give an address starting with http:// or https://."))
    return url


def _words(values: Iterable[str], *, lower: bool = True) -> list[str]:
    found: list[str] = []
    for value in values:
        word = value.strip().lower() if lower else value.strip()
        if word and word not in found:
            found.append(word[:60])
    return found


def _subset(field: str, values: Iterable[str], known: Iterable[str]) -> list[str]:
    values, known = list(values or []), set(known)
    unknown = [v for v in values if v not in known]
    if unknown:
        raise _refuse(field, _("Unknown choice: %(values)s.", values=", ".join(unknown)))
    return values


def _positive(field: str, value: Any) -> int | None:
    if value in (None, ""):
        return None
    if int(value) < 1:
        raise _refuse(field, _("Give a number of at least 1, or leave it empty."))
    return int(value)


def clean(data: dict[str, Any], *, current: Campaign | None = None) -> dict[str, Any]:
    """The fields of ``data`` checked and normalised (times already aware UTC); raises a
    ``UserError`` blaming the field at fault."""
    out: dict[str, Any] = {}
    merged = {**_fields_of(current), **data} if current is not None else dict(data)
    if "name" in data:
        name = (data["name"] or "").strip()
        if not name:
            raise _refuse("name", _("Give the campaign a name."))
        out["name"] = name[:200]
    if "landing_url" in data:
        out["landing_url"] = check_url(data["landing_url"])
    if "priority" in data:
        if data["priority"] not in SELF_SERVE_PRIORITIES:
            raise _refuse("priority", _("Choose standard or remnant."))
        out["priority"] = data["priority"]
    if "weight" in data:
        if not 1 <= int(data["weight"]) <= 100:
            raise _refuse("weight", _("The weight goes from 1 to 100."))
        out["weight"] = int(data["weight"])
    if "category" in data:
        out["category"] = _subset("category", [data["category"]], CATEGORIES)[0]
    if "pricing" in data:
        out["pricing"] = _subset("pricing", [data["pricing"]], PRICING)[0]
    if "pacing" in data:
        out["pacing"] = _subset("pacing", [data["pacing"]], PACING)[0]
    starts, ends = merged.get("starts_at"), merged.get("ends_at")
    if "starts_at" in data or "ends_at" in data:
        if starts is None:
            raise _refuse("starts_at", _("Give the first day of the campaign."))
        if ends is None:
            raise _refuse("ends_at", _("Give the last day of the campaign."))
        if ends <= starts:
            raise _refuse("ends_at", _("The campaign must end after it starts."))
        if ends <= sdk.utcnow():
            raise _refuse("ends_at", _("The end is in the past."))
        out.update({k: data[k] for k in ("starts_at", "ends_at") if k in data})
    for name in (
        "max_impressions",
        "max_daily_impressions",
        "max_clicks",
        "max_daily_clicks",
        "frequency_cap",
    ):
        if name in data:
            out[name] = _positive(name, data[name])
    if "frequency_hours" in data:
        hours = int(data["frequency_hours"] or 24)
        if not 1 <= hours <= 24 * 30:
            raise _refuse("frequency_hours", _("Between 1 hour and 30 days."))
        out["frequency_hours"] = hours
    if "dayparts" in data:
        out["dayparts"] = check_dayparts(data["dayparts"])
    if "target_sectors" in data:
        out["target_sectors"] = _subset("target_sectors", data["target_sectors"], sector_codes())
    if "target_languages" in data:
        out["target_languages"] = _subset("target_languages", data["target_languages"], LANGUAGES)
    if "target_workspaces" in data:
        slugs = [slug for slug, _name in publishers()]
        out["target_workspaces"] = _subset("target_workspaces", data["target_workspaces"], slugs)
    if "target_placements" in data:
        codes = [code for code, _label in placement_codes()]
        out["target_placements"] = _subset("target_placements", data["target_placements"], codes)
    if "target_tags" in data:
        out["target_tags"] = _words(data["target_tags"])[:30]
    _check_money(data, merged, out)
    return out


def _check_money(data: dict[str, Any], merged: dict[str, Any], out: dict[str, Any]) -> None:
    """Budget at least the operator's minimum (for flat pricing: the fee, from the card);
    a daily budget within the total."""
    card = settings()
    pricing = merged.get("pricing") or "cpm"
    if (
        merged.get("starts_at")
        and merged.get("ends_at")
        and ({"pricing", "starts_at", "ends_at"} & set(data))
    ):
        out["rate"] = card_rate(pricing, merged["starts_at"], merged["ends_at"])
    budget = merged.get("budget")
    if pricing == "flat" and "rate" in out:
        budget = out["rate"]
        out["budget"] = budget
    elif "budget" in data:
        if budget is None:
            raise _refuse("budget", _("Give the campaign's budget."))
        budget = Decimal(str(budget)).quantize(CENT, ROUND_HALF_UP)
        out["budget"] = budget
    checked = "budget" in out or "pricing" in data
    if checked and budget is not None and Decimal(budget) < card.minimum_budget:
        field = "starts_at" if pricing == "flat" else "budget"
        raise _refuse(
            field,
            _(
                "The budget must be at least %(amount)s.",
                amount=sdk.Money(card.minimum_budget).format(),
            ),
        )
    if "daily_budget" in data:
        daily = data["daily_budget"]
        if daily in (None, ""):
            out["daily_budget"] = None
        else:
            daily = Decimal(str(daily)).quantize(CENT, ROUND_HALF_UP)
            if daily <= 0 or (budget is not None and daily > Decimal(budget)):
                raise _refuse("daily_budget", _("A daily budget above zero and within the total."))
            out["daily_budget"] = daily


def check_dayparts(values: Iterable[str]) -> list[str]:
    """``"weekday:hour"`` strings (0 is Monday), each once, in week order; empty: every hour."""
    found: set[tuple[int, int]] = set()
    for value in values or []:
        try:
            day, hour = (int(part) for part in str(value).split(":"))
        except ValueError:
            raise _refuse("dayparts", _("Unknown hour of the week: %(v)s.", v=value)) from None
        if not (0 <= day <= 6 and 0 <= hour <= 23):
            raise _refuse("dayparts", _("Unknown hour of the week: %(v)s.", v=value))
        found.add((day, hour))
    if len(found) == 7 * 24:
        return []
    return [f"{d}:{h}" for d, h in sorted(found)]


def _fields_of(campaign: Campaign | None) -> dict[str, Any]:
    if campaign is None:
        return {}
    names = ("pricing", "starts_at", "ends_at", "budget", "daily_budget", "rate")
    values = {name: getattr(campaign, name) for name in names}
    for name in ("starts_at", "ends_at"):
        if values[name] is not None and values[name].tzinfo is None:
            values[name] = values[name].replace(tzinfo=sdk.utcnow().tzinfo)
    return values


# -- creating and changing --------------------------------------------------------------------
def monthly_granted(workspace_id: int) -> bool:
    """Whether the régie lets this advertiser pay at the end of each month."""
    return bool(
        sdk.db.session.scalar(
            sa.select(AdvertiserTerms.monthly_billing)
            .where(AdvertiserTerms.workspace_id == workspace_id)
            .order_by(AdvertiserTerms.id.desc())
            .limit(1)
        )
    )


def create(data: dict[str, Any], *, actor: Any, source: str = "") -> Campaign:
    """A draft campaign of the current workspace (the caller commits)."""
    defaults = {"priority": "standard", "weight": 10, "pricing": "cpm", "category": "other"}
    values = clean({**defaults, **data})
    campaign = Campaign(
        **values,
        status="draft",
        source=source[:120],
        created_by_id=getattr(actor, "id", None),
    )
    campaign.billing = "monthly" if monthly_granted(campaign.workspace_id) else "prepaid"
    sdk.db.session.add(campaign)
    sdk.db.session.flush()
    _history(campaign, "create", "", "draft", actor)
    sdk.audit("ads.campaign.created", subject=f"campaign:{campaign.id}")
    return campaign


def update(campaign: Campaign, data: dict[str, Any], *, actor: Any) -> Campaign:
    """Change a draft or rejected campaign freely; an approved or paused one within the rule
    of docs/ads.md ("Changing a running campaign"). Commits; a race answers 409."""
    status = campaign.status
    if status in ADJUSTABLE:
        refused = sorted(set(data) - ADJUSTABLE_FIELDS)
        if refused:
            raise sdk.UserError(
                "not_adjustable",
                _("Once approved, only the end, budget, caps and targeting may change."),
                409,
                field=refused[0],
                details={"refused": refused},
            )
        if campaign.pricing == "flat" and {"ends_at", "budget"} & set(data):
            raise sdk.UserError(
                "not_adjustable",
                _("A flat fee was sold for its dates: they and the fee stay as approved."),
                409,
                field="ends_at" if "ends_at" in data else "budget",
                details={"refused": sorted({"ends_at", "budget"} & set(data))},
            )
    elif status not in EDITABLE:
        raise _not_now(campaign, "edit")
    values = clean(data, current=campaign)
    if status in ADJUSTABLE:
        _check_adjustment(campaign, values)
        values.pop("rate", None)  # the price of an approved campaign is settled
    changed = {k: v for k, v in values.items() if getattr(campaign, k) != v}
    if not changed:
        return campaign
    table = Campaign.__table__
    done = sdk.db.session.execute(
        table.update()
        .where(table.c.id == campaign.id, table.c.status == status)
        .values(**changed, updated_at=sdk.utcnow())
    ).rowcount
    if done != 1:
        sdk.db.session.rollback()
        raise _not_now(campaign, "edit")
    sdk.db.session.refresh(campaign)
    note = ", ".join(sorted(changed)) if status in ADJUSTABLE else ""
    _history(campaign, "edit", status, status, actor, note)
    sdk.audit("ads.campaign.updated", subject=f"campaign:{campaign.id}", details={"fields": note})
    sdk.db.session.commit()
    if status in ADJUSTABLE:
        index.invalidate()
    return campaign


def _check_adjustment(campaign: Campaign, values: dict[str, Any]) -> None:
    """An approved campaign: the end not before now, a prepaid budget fixed once invoiced
    (it was paid for), never below what was spent."""
    now = sdk.utcnow()
    if "ends_at" in values and values["ends_at"] <= now:
        raise _refuse("ends_at", _("The end is in the past."))
    if "budget" in values and Decimal(values["budget"]) != Decimal(campaign.budget):
        if campaign.billing == "prepaid" and campaign.invoice_number:
            raise _refuse(
                "budget",
                _(
                    "The budget was invoiced: it cannot change. "
                    "Start another campaign to spend more."
                ),
            )
        if Decimal(values["budget"]) < Decimal(campaign.spent or 0):
            raise _refuse("budget", _("The budget cannot go below what was already spent."))


# -- the workflow -----------------------------------------------------------------------------
def allowed(campaign: Campaign, *, moderator: bool, advertiser: bool = True) -> list[str]:
    """The moves the caller may make now, by name."""
    roles = {"moderator"} if moderator else set()
    if advertiser:
        roles.add("advertiser")
    return [
        name
        for name, (sources, _target, who) in TRANSITIONS.items()
        if campaign.status in sources and who in roles
    ]


def _not_now(campaign: Campaign, name: str, allowed_names: list[str] | None = None) -> Any:
    return sdk.UserError(
        "invalid_transition",
        _("This change is not possible while the campaign is %(status)s.", status=campaign.status),
        409,
        details={"allowed": allowed_names or [], "status": campaign.status},
    )


def transition(
    campaign: Campaign,
    name: str,
    *,
    actor: Any,
    moderator: bool = False,
    advertiser: bool = True,
    reason: str = "",
    priority: str | None = None,
    rate: Decimal | None = None,
) -> Campaign:
    """Make move ``name`` (guarded), record, audit, mail, commit, then tell delivery."""
    names = allowed(campaign, moderator=moderator, advertiser=advertiser)
    if name not in names:
        raise _not_now(campaign, name, names)
    sources, target, _who = TRANSITIONS[name]
    now = sdk.utcnow()
    values: dict[str, Any] = {"status": target, "updated_at": now}
    reason = (reason or "").strip()
    if name == "submit":
        if not campaign.creatives:
            raise sdk.UserError(
                "no_creative", _("Add at least one creative before submitting."), 409
            )
        values.update(submitted_at=now, rejection_reason="")
        if not campaign.invoice_number:
            values["billing"] = "monthly" if monthly_granted(campaign.workspace_id) else "prepaid"
    elif name == "reject":
        if not reason:
            raise sdk.UserError(
                "reason_required", _("Say why the campaign is rejected."), 422, field="reason"
            )
        values["rejection_reason"] = reason[:2000]
    elif name == "approve":
        values.update(approved_at=now, approved_by_id=getattr(actor, "id", None))
        if priority:
            if priority not in ("sponsorship", *SELF_SERVE_PRIORITIES):
                raise _refuse("priority", _("Unknown priority."))
            values["priority"] = priority
        if rate is not None:
            if Decimal(rate) <= 0:
                raise _refuse("rate", _("The rate must be above zero."))
            values["rate"] = Decimal(rate).quantize(CENT, ROUND_HALF_UP)
    table = Campaign.__table__
    done = sdk.db.session.execute(
        table.update()
        .where(table.c.id == campaign.id, table.c.status.in_(sources))
        .values(**values)
    ).rowcount
    if done != 1:  # another request moved it a moment ago
        sdk.db.session.rollback()
        sdk.db.session.refresh(campaign)
        raise _not_now(campaign, name, allowed(campaign, moderator=moderator))
    previous = campaign.status
    if name == "approve":
        _approve_pending_creatives(campaign, actor, now)
    sdk.db.session.refresh(campaign)
    _history(campaign, name, previous, target, actor, reason)
    sdk.audit(
        f"ads.campaign.{name}",
        subject=f"campaign:{campaign.id}",
        workspace=workspace_of(campaign.workspace_id),
        details={"from": previous, "to": target, "reason": reason},
    )
    notify(campaign, name, reason)
    sdk.db.session.commit()
    if name in SERVING_MOVES:
        index.invalidate()
    return campaign


def _approve_pending_creatives(campaign: Campaign, actor: Any, now: datetime) -> None:
    """Approving a campaign approves the creatives still waiting (those a moderator rejected
    one by one stay rejected)."""
    table = Creative.__table__
    sdk.db.session.execute(
        table.update()
        .where(table.c.campaign_id == campaign.id, table.c.status == "pending")
        .values(status="approved", moderated_by_id=getattr(actor, "id", None), moderated_at=now)
    )


def record_paid(campaign_id: int, when: datetime, actor: Any = None) -> bool:
    """Mark the campaign paid (once: the UPDATE is guarded on ``paid_at IS NULL``)."""
    table = Campaign.__table__
    done = sdk.db.session.execute(
        table.update()
        .where(table.c.id == campaign_id, table.c.paid_at.is_(None))
        .values(paid_at=when, updated_at=when)
    ).rowcount
    if done == 1:
        campaign = sdk.db.session.get(Campaign, campaign_id)
        _history(campaign, "paid", campaign.status, campaign.status, actor)
        sdk.audit("ads.campaign.paid", subject=f"campaign:{campaign_id}")
    return done == 1


def _history(
    campaign: Campaign, action: str, before: str, after: str, actor: Any, note: str = ""
) -> None:
    sdk.db.session.add(
        CampaignHistory(
            workspace_id=campaign.workspace_id,
            campaign_id=campaign.id,
            action=action,
            from_status=before,
            to_status=after,
            note=note,
            actor_id=getattr(actor, "id", None)
            if getattr(actor, "is_authenticated", True)
            else None,
        )
    )


def history(campaign: Campaign) -> list[CampaignHistory]:
    return list(
        sdk.db.session.scalars(
            sa.select(CampaignHistory)
            .where(CampaignHistory.campaign_id == campaign.id)
            .order_by(CampaignHistory.id)
        )
    )


# -- telling the advertiser -------------------------------------------------------------------
def notify(campaign: Campaign, name: str, reason: str = "") -> None:
    """Mail the advertiser's owners and advertisers about a move made by someone else (or
    the submission they made, as a receipt)."""
    subjects = {
        "submit": _("Campaign “%(name)s” is awaiting approval", name=campaign.name),
        "approve": _("Campaign “%(name)s” is approved", name=campaign.name),
        "reject": _("Campaign “%(name)s” is rejected", name=campaign.name),
        "pause": _("Campaign “%(name)s” is paused", name=campaign.name),
        "resume": _("Campaign “%(name)s” runs again", name=campaign.name),
    }
    workspace = workspace_of(campaign.workspace_id)
    link = sdk.external_url("ads.campaign", workspace=workspace.slug, campaign_id=campaign.id)
    lines = [subjects[name] + "."]
    if name == "reject":
        lines.append(_("Reason: %(reason)s", reason=reason))
        lines.append(_("Change the campaign and submit it again."))
    if name == "approve" and campaign.billing == "prepaid" and not campaign.paid_at:
        lines.append(_("It starts running once its invoice is paid."))
    lines.append(link)
    text = "\n\n".join(str(line) for line in lines)
    recipients = {user.email for user in sdk.workspace_members(workspace, MANAGE_CAMPAIGNS)}
    sdk.send_mails(sdk.Mail(email, subjects[name], text) for email in sorted(recipients))
