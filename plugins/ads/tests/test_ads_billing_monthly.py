"""Monthly invoicing: early each month, one invoice per advertiser on monthly terms for what
the previous month delivered, once, even when two runs race; flat fees prorated by days."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from ent_plugins.ads import billing
from ent_plugins.ads.models import AdBillingPeriod, Campaign, CampaignStat
from ent_plugins.ads.tests.conftest import CAMPAIGNS, submitted_campaign
from hypothesis import given, settings
from hypothesis import strategies as st

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock
EARLY_JULY = datetime(2026, 7, 2, 6, 0, tzinfo=UTC)


@pytest.fixture
def monthly(advertiser: Any, moderator: Any) -> Any:
    billing.grant_monthly(advertiser.id, True, actor=moderator)
    return advertiser


def _delivered(
    advertiser: Any, campaign: dict[str, Any], hours: list[tuple[datetime, int, int, int]]
) -> None:
    """CampaignStat rows as the flush writes them: (hour, impressions, clicks, spend µMAD)."""
    with sdk.in_workspace(advertiser):
        for hour, impressions, clicks, spend in hours:
            sdk.db.session.add(
                CampaignStat(
                    campaign_id=campaign["id"],
                    creative_id=campaign["creatives"][0]["id"],
                    placement_id=1,
                    hour=hour,
                    impressions=impressions,
                    viewable=impressions // 2,
                    clicks=clicks,
                    spend_micros=spend,
                )
            )
        sdk.db.session.commit()


@pytest.fixture
def june(monthly: Any, advertiser_api: Any, moderator_api: Any) -> dict[str, Any]:
    """A CPM campaign delivering in June (and one hour of July, not this invoice's)."""
    campaign = submitted_campaign(advertiser_api)
    assert campaign["billing"] == "monthly"
    moderator_api.post(f"{CAMPAIGNS}/{campaign['id']}/transitions", json={"transition": "approve"})
    campaign = advertiser_api.get(f"{CAMPAIGNS}/{campaign['id']}").json
    _delivered(
        monthly,
        campaign,
        [
            (datetime(2026, 6, 16, 10, tzinfo=UTC), 5_000, 12, 200_000_000),
            (datetime(2026, 6, 30, 22, tzinfo=UTC), 1_000, 3, 40_000_000),
            # 00:00 on 1 July in Casablanca is 23:00 UTC on 30 June: July's, not June's.
            (datetime(2026, 6, 30, 23, tzinfo=UTC), 500, 0, 20_000_000),
        ],
    )
    return campaign


@pytest.fixture
def invoices(advertiser_api: Any) -> Callable[[], list[dict[str, Any]]]:
    """The advertiser's invoices of the régie, read through the billing API."""

    def read() -> list[dict[str, Any]]:
        found = advertiser_api.get("/api/v1/workspaces/atlas-telecom/invoices").json
        return [i for i in found["items"] if i["plan"] == "ads"]

    return read


def test_last_months_delivery_is_invoiced_once(june: dict[str, Any], invoices: Any) -> None:
    assert billing.invoice_all_months(now=EARLY_JULY) == 1
    assert billing.invoice_all_months(now=EARLY_JULY + timedelta(days=1)) == 0
    (invoice,) = invoices()
    assert Decimal(str(invoice["subtotal"])) == Decimal("240.00")  # 200 + 40 MAD, not July's
    assert Decimal(str(invoice["total"])) == Decimal("288.00")
    assert "6000 impressions" in invoice["lines"][0]["label"]
    with sdk.all_workspaces():
        (period,) = sdk.db.session.scalars(sdk.db.select(AdBillingPeriod)).all()
    assert (period.month, period.invoice_number) == ("2026-06", invoice["number"])
    assert period.spend_micros == 240_000_000


def test_the_month_waits_until_it_is_over(june: dict[str, Any], invoices: Any) -> None:
    assert billing.invoice_all_months(now=datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == 0
    assert invoices() == []


def _race(count: int, work: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = work()
        except Exception as exc:  # reported by the assertions
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_runs_racing_issue_one_invoice(
    app: Any, june: dict[str, Any], advertiser: Any, invoices: Any
) -> None:
    advertiser_id = advertiser.id

    def one_run() -> int:
        with app.app_context():
            try:
                return billing.invoice_all_months(now=EARLY_JULY)
            finally:
                sdk.db.session.remove()

    results = _race(2, one_run)
    assert sorted(results) == [0, 1], results
    assert len(invoices()) == 1
    with sdk.all_workspaces():
        periods = sdk.db.session.scalars(
            sdk.db.select(AdBillingPeriod).where(AdBillingPeriod.workspace_id == advertiser_id)
        ).all()
    assert len(periods) == 1


def test_prepaid_campaigns_are_not_in_the_monthly_invoice(
    advertiser: Any, advertiser_api: Any, moderator_api: Any, moderator: Any, invoices: Any
) -> None:
    campaign = submitted_campaign(advertiser_api)  # prepaid: no terms yet
    moderator_api.post(f"{CAMPAIGNS}/{campaign['id']}/transitions", json={"transition": "approve"})
    billing.grant_monthly(advertiser.id, True, actor=moderator)
    _delivered(advertiser, campaign, [(datetime(2026, 6, 20, 10, tzinfo=UTC), 100, 1, 4_000_000)])
    assert billing.invoice_all_months(now=EARLY_JULY) == 0
    assert invoices() == []


# -- flat fees: prorated by the time of the campaign in each month -----------------------------
def _flat(starts: datetime, ends: datetime, fee: str) -> Campaign:
    return Campaign(
        name="Flat",
        pricing="flat",
        rate=Decimal(fee),
        budget=Decimal(fee),
        starts_at=starts,
        ends_at=ends,
        workspace_id=1,
    )


def _months(first: datetime, last: datetime) -> list[tuple[datetime, datetime]]:
    bounds = []
    start = first.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    while start < last:
        end = (start + timedelta(days=32)).replace(day=1)
        bounds.append((start, end))
        start = end
    return bounds


def test_a_flat_fee_across_two_months_is_split_by_days() -> None:
    campaign = _flat(datetime(2026, 6, 21, tzinfo=UTC), datetime(2026, 7, 11, tzinfo=UTC), "600.00")
    june = billing.flat_share(
        campaign, datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)
    )
    july = billing.flat_share(
        campaign, datetime(2026, 7, 1, tzinfo=UTC), datetime(2026, 8, 1, tzinfo=UTC)
    )
    assert (june, july) == (Decimal("300.00"), Decimal("300.00"))


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31)),
    hours=st.integers(1, 24 * 200),
    fee=st.decimals(Decimal("1.00"), Decimal("99999.99"), places=2),
)
def test_a_flat_fees_months_add_up_to_the_fee(start: datetime, hours: int, fee: Decimal) -> None:
    begins = start.replace(tzinfo=UTC)
    ends = begins + timedelta(hours=hours)
    campaign = _flat(begins, ends, str(fee))
    parts = [billing.flat_share(campaign, a, b) for a, b in _months(begins, ends)]
    assert sum(parts) == fee
    assert all(part >= 0 for part in parts)
