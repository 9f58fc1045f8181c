"""Paying for campaigns: a prepaid invoice per campaign, or one invoice a month per advertiser.

Prepaid: "Pay" issues the campaign's invoice (budget HT + VAT) through ``sdk.issue_invoice``,
once per campaign (``key="campaign:<id>"``); the workspace pays it from its invoices page
through the platform's providers, and ``invoice.paid`` marks the campaign paid. Monthly (the
régie grants it per advertiser, ``AdvertiserTerms``): a daily schedule invoices, early each
month, what the previous month delivered, once per advertiser and month (``AdBillingPeriod``
and the invoice key ``month:YYYY-MM``). docs/ads.md, "Paying for a campaign".
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from ent_plugins.ads import index
from ent_plugins.ads.campaigns import CENT, estimate, record_paid, workspace_of
from ent_plugins.ads.models import AdBillingPeriod, AdvertiserTerms, Campaign, CampaignStat
from ent_plugins.ads.settings import settings
from sqlalchemy.exc import IntegrityError

from ent_core import sdk

_ = sdk._
log = logging.getLogger(__name__)
KIND = "ads"
PAYABLE = ("pending", "approved", "paused")
#: Hours after a month ends before it is invoiced: the statistics flush (every minute) has
#: long caught up by then, so the invoice holds the month's last hour.
SETTLE = timedelta(hours=2)


# -- prepaid ----------------------------------------------------------------------------------
def pay(campaign: Campaign, *, actor: Any) -> Any:
    """The campaign's prepaid invoice, issued now or earlier (commits); its number is kept on
    the campaign, whose budget is then fixed."""
    if campaign.billing != "prepaid":
        raise sdk.UserError(
            "monthly_billing",
            _("This campaign is invoiced monthly for what it delivers."),
            409,
        )
    if campaign.status not in PAYABLE:
        raise sdk.UserError(
            "invalid_transition",
            _("Submit the campaign before paying for it."),
            409,
            details={"allowed": ["submit"] if campaign.status in ("draft", "rejected") else []},
        )
    quote = estimate(campaign)
    line = sdk.ChargeLine(
        _(
            "Advertising campaign “%(name)s” (no. %(id)s): budget",
            name=campaign.name,
            id=campaign.id,
        ),
        1,
        quote.budget,
        quote.vat_rate,
    )
    invoice, created = sdk.issue_invoice(
        workspace_of(campaign.workspace_id),
        [line],
        key=f"campaign:{campaign.id}",
        kind=KIND,
        period_start=campaign.starts_at,
        period_end=campaign.ends_at,
        actor=actor,
    )
    table = Campaign.__table__
    sdk.db.session.execute(
        table.update()
        .where(table.c.id == campaign.id, table.c.invoice_number.is_(None))
        .values(invoice_number=invoice.number)
    )
    if created:
        sdk.audit(
            "ads.campaign.invoiced",
            subject=f"campaign:{campaign.id}",
            details={"invoice": invoice.number, "total": str(quote.total)},
        )
    sdk.db.session.commit()
    return invoice


def invoice_paid(event: sdk.Event) -> None:
    """``invoice.paid`` (after commit): the campaign that invoice paid for may run."""
    number = event.payload["number"]
    campaign_id = sdk.db.session.scalar(
        sa.select(Campaign.id).where(Campaign.invoice_number == number)
    )
    if campaign_id is None:  # another module's invoice, or a month already delivered
        return
    if record_paid(campaign_id, sdk.utcnow()):
        sdk.db.session.commit()
        index.invalidate()


def subscriptions() -> list[Any]:
    return [sdk.Subscription("invoice.paid", invoice_paid, sdk.AFTER_COMMIT)]


# -- monthly ----------------------------------------------------------------------------------
def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(today: date) -> date:
    """The first day of the month before ``today``'s."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _month_bounds(first: date, workspace: Any) -> tuple[datetime, datetime]:
    """The month as UTC instants, its days those of the advertiser's time zone."""
    following = (first + timedelta(days=32)).replace(day=1)
    return sdk.start_of_day(first, workspace), sdk.start_of_day(following, workspace)


def invoice_all_months(now: datetime | None = None) -> int:
    """The schedule: invoice last month for each advertiser on monthly terms, once each;
    how many invoices were issued. Safe to run at any time and in several workers."""
    now = now or sdk.utcnow()
    issued = 0
    with sdk.all_workspaces():
        advertisers = list(
            sdk.db.session.scalars(
                sa.select(AdvertiserTerms.workspace_id)
                .where(AdvertiserTerms.monthly_billing.is_(True))
                .distinct()
            )
        )
    for workspace_id in advertisers:
        try:
            with sdk.in_workspace(workspace_id):
                if invoice_month(workspace_id, now=now) is not None:
                    issued += 1
        except Exception:  # one advertiser's failure must not stop the others' invoices
            sdk.db.session.rollback()
            log.exception("ads: monthly invoice of workspace %s failed", workspace_id)
    return issued


def invoice_month(workspace_id: int, *, now: datetime, month: date | None = None) -> Any:
    """Invoice ``month`` (default: the last one over) for one advertiser, once: the
    ``AdBillingPeriod`` row is claimed first (unique per workspace and month), so of two runs
    racing one invoices and the other finds the claim. Returns the invoice, or ``None``."""
    workspace = workspace_of(workspace_id)
    zone_today = now.astimezone(sdk.workspace_zone(workspace)).date()
    first = month or previous_month(zone_today)
    start, end = _month_bounds(first, workspace)
    if now < end + SETTLE:
        return None
    key = month_key(first)
    claim = sdk.db.session.begin_nested()
    period = AdBillingPeriod(workspace_id=workspace_id, month=key, spend_micros=0)
    sdk.db.session.add(period)
    try:
        sdk.db.session.flush()
    except IntegrityError:
        claim.rollback()
        return None
    claim.commit()
    lines, spend = month_lines(workspace_id, start, end)
    period.spend_micros = spend
    invoice = None
    if lines:
        invoice, _created = sdk.issue_invoice(
            workspace,
            lines,
            key=f"month:{key}",
            kind=KIND,
            period_start=start,
            period_end=end,
            now=now,
        )
        period.invoice_number = invoice.number
    sdk.audit(
        "ads.month.invoiced",
        subject=f"month:{key}",
        workspace=workspace,
        details={"invoice": invoice.number if invoice else None, "spend_micros": spend},
    )
    try:
        sdk.db.session.commit()
    except IntegrityError:  # the other run committed its claim first
        sdk.db.session.rollback()
        return None
    return invoice


def month_lines(workspace_id: int, start: datetime, end: datetime) -> tuple[list[Any], int]:
    """One line per monthly-billed campaign: CPM and CPC at what delivery counted
    (``CampaignStat.spend_micros``), flat fees prorated by days (see :func:`flat_share`)."""
    vat = settings().vat_rate
    campaigns = list(
        sdk.db.session.scalars(
            sa.select(Campaign)
            .where(
                Campaign.workspace_id == workspace_id,
                Campaign.billing == "monthly",
                Campaign.approved_at.is_not(None),
                Campaign.starts_at < end,
                Campaign.ends_at > start,
            )
            .order_by(Campaign.id)
        )
    )
    spent = dict(
        sdk.db.session.execute(
            sa.select(CampaignStat.campaign_id, sa.func.sum(CampaignStat.spend_micros))
            .where(
                CampaignStat.workspace_id == workspace_id,
                CampaignStat.hour >= start,
                CampaignStat.hour < end,
            )
            .group_by(CampaignStat.campaign_id)
        ).all()
    )
    counts = dict(
        (row[0], (row[1], row[2]))
        for row in sdk.db.session.execute(
            sa.select(
                CampaignStat.campaign_id,
                sa.func.sum(CampaignStat.impressions),
                sa.func.sum(CampaignStat.clicks),
            )
            .where(
                CampaignStat.workspace_id == workspace_id,
                CampaignStat.hour >= start,
                CampaignStat.hour < end,
            )
            .group_by(CampaignStat.campaign_id)
        ).all()
    )
    lines: list[Any] = []
    total = 0
    for campaign in campaigns:
        if campaign.pricing == "flat":
            amount = flat_share(campaign, start, end)
            micros = int(amount * 1_000_000)
            label = _(
                "“%(name)s” (no. %(id)s): flat fee, %(days)s days this month",
                name=campaign.name,
                id=campaign.id,
                days=_days_within(campaign, start, end),
            )
        else:
            micros = int(spent.get(campaign.id) or 0)
            amount = (Decimal(micros) / 1_000_000).quantize(CENT, ROUND_HALF_UP)
            impressions, clicks = counts.get(campaign.id, (0, 0))
            if campaign.pricing == "cpc":
                label = _(
                    "“%(name)s” (no. %(id)s): %(n)s clicks (CPC)",
                    name=campaign.name,
                    id=campaign.id,
                    n=int(clicks or 0),
                )
            else:
                label = _(
                    "“%(name)s” (no. %(id)s): %(n)s impressions (CPM)",
                    name=campaign.name,
                    id=campaign.id,
                    n=int(impressions or 0),
                )
        if amount <= 0:
            continue
        total += micros
        lines.append(sdk.ChargeLine(label, 1, amount, vat))
    return lines, total


def _days(moment_from: datetime, moment_to: datetime) -> Decimal:
    seconds = max(0.0, (moment_to - moment_from).total_seconds())
    return Decimal(str(seconds)) / Decimal(86400)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=sdk.utcnow().tzinfo)


def _days_within(campaign: Campaign, start: datetime, end: datetime) -> int:
    first = max(_aware(campaign.starts_at), start)
    last = min(_aware(campaign.ends_at), end)
    return max(0, round(_days(first, last)))


def flat_share(campaign: Campaign, start: datetime, end: datetime) -> Decimal:
    """A flat fee prorated by the time of the campaign inside ``[start, end)``: what was due
    by the month's end minus what was due by its start, each rounded to the centime, so the
    months of one campaign add up to its fee exactly."""
    fee = Decimal(campaign.rate)
    begins, ends = _aware(campaign.starts_at), _aware(campaign.ends_at)
    length = _days(begins, ends)

    def due_by(moment: datetime) -> Decimal:
        if moment <= begins:
            return Decimal("0.00")
        if moment >= ends:
            return fee
        return (fee * _days(begins, moment) / length).quantize(CENT, ROUND_HALF_UP)

    return due_by(end) - due_by(start)


# -- the régie's terms ------------------------------------------------------------------------
def grant_monthly(workspace_id: int, granted: bool, *, actor: Any) -> AdvertiserTerms:
    """A platform moderator grants (or withdraws) monthly invoicing to an advertiser; its
    campaigns not yet invoiced follow at their next submission."""
    with sdk.in_workspace(workspace_id):
        terms = sdk.db.session.scalar(
            sa.select(AdvertiserTerms)
            .where(AdvertiserTerms.workspace_id == workspace_id)
            .order_by(AdvertiserTerms.id)
            .limit(1)
        )
        if terms is None:
            terms = AdvertiserTerms(workspace_id=workspace_id)
            sdk.db.session.add(terms)
        terms.monthly_billing = granted
        terms.granted_by_id = getattr(actor, "id", None)
        terms.granted_at = sdk.utcnow()
        sdk.audit(
            "ads.terms.monthly_granted" if granted else "ads.terms.monthly_withdrawn",
            subject=f"workspace:{workspace_id}",
            workspace=workspace_of(workspace_id),
        )
        sdk.db.session.commit()
    return terms
