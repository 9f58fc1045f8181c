"""A report's days are the workspace's days, across Morocco's Ramadan clock changes: every
hourly row is counted once, in the local day its hour starts in (property test)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from ent_plugins.ads import reports
from ent_plugins.ads.models import CampaignStat
from ent_plugins.ads.tests.ads_reports_kit import make_campaign, make_creative, served
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ent_core import sdk

CASABLANCA = ZoneInfo("Africa/Casablanca")
#: February to April 2026: Morocco leaves UTC+1 for Ramadan and comes back.
START = datetime(2026, 2, 1, tzinfo=UTC)
HOURS = 24 * 70

hours = st.dictionaries(
    st.integers(min_value=0, max_value=HOURS), st.integers(min_value=1, max_value=50), max_size=40
)
ranges = st.tuples(st.integers(0, 69), st.integers(0, 69)).map(sorted)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=hours, span=ranges)
def test_every_hour_counts_once_in_its_local_day(
    app_ctx: Any, publisher: Any, advertiser: Any, rows: dict[int, int], span: list[int]
) -> None:
    with sdk.all_workspaces():
        sdk.db.session.execute(sdk.db.delete(CampaignStat))
    campaign = make_campaign(advertiser)
    creative = make_creative(campaign, "Bannière")
    placement = SimpleNamespace(id=1)  # an advertiser's row names a placement id only
    for offset, impressions in rows.items():
        served(creative, placement, START + timedelta(hours=offset), impressions=impressions)
    sdk.db.session.commit()
    first, last = (date(2026, 2, 1) + timedelta(days=n) for n in span)
    expected: Counter[date] = Counter()
    for offset, impressions in rows.items():
        day = (START + timedelta(hours=offset)).astimezone(CASABLANCA).date()
        if first <= day <= last:
            expected[day] += impressions
    with sdk.working_in(advertiser):
        report = reports.campaign_report(reports.period(first, last), "day", campaign)
    assert {
        line.key: line.figures.impressions for line in report.lines if line.figures.impressions
    } == dict(expected)
    assert report.lines[0].key == first and report.lines[-1].key == last
    assert report.totals.impressions == sum(expected.values())
