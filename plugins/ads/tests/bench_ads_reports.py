"""How long the reports take over a year of hourly rows (not collected by the suite: run it by
name, ``pytest -s plugins/ads/tests/bench_ads_reports.py``, with ``ENT_TEST_DATABASE_URL``
pointing at PostgreSQL). One campaign, 3 creatives on 5 placements, every hour of 2026:
131,760 advertiser rows and 43,920 publisher rows; figures in docs/ads.md, "Reports"."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from ent_plugins.ads.models import CampaignStat, PlacementStat
from ent_plugins.ads.tests.ads_reports_kit import make_campaign, make_creative, make_placement

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock(datetime(2026, 12, 31, 12, tzinfo=UTC))


def test_reports_over_a_year(advertiser_client, signed_in_client, publisher, advertiser):
    c = make_campaign(
        advertiser,
        starts_at=datetime(2026, 1, 1, tzinfo=UTC),
        ends_at=datetime(2027, 1, 1, tzinfo=UTC),
    )
    creatives = [make_creative(c, f"c{i}") for i in range(3)]
    places = [
        make_placement(publisher, f"external.{i}", f"p{i}", kind="external") for i in range(5)
    ]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    cs, ps = [], []
    for h in range(366 * 24):
        at = start + timedelta(hours=h)
        for cr in creatives:
            for p in places:
                cs.append(
                    dict(
                        workspace_id=advertiser.id,
                        campaign_id=c.id,
                        creative_id=cr.id,
                        placement_id=p.id,
                        hour=at,
                        impressions=10,
                        viewable=6,
                        clicks=1,
                        spend_micros=400000,
                    )
                )
        for p in places:
            ps.append(
                dict(
                    workspace_id=publisher.id,
                    placement_id=p.id,
                    hour=at,
                    requests=40,
                    impressions=30,
                    viewable=18,
                    clicks=3,
                    spend_micros=1200000,
                )
            )
    with sdk.all_workspaces():
        sdk.db.session.execute(sdk.db.insert(CampaignStat), cs)
        sdk.db.session.execute(sdk.db.insert(PlacementStat), ps)
    sdk.db.session.commit()
    print(f"\nrows: campaign {len(cs)}, placement {len(ps)}")
    for label, client, url in [
        (
            "campaign report page, 30 days",
            advertiser_client,
            f"/w/atlas-telecom/ads/reports/campaigns/{c.id}",
        ),
        (
            "campaign report page, 366 days",
            advertiser_client,
            f"/w/atlas-telecom/ads/reports/campaigns/{c.id}?from=2026-01-01&to=2026-12-31",
        ),
        (
            "campaigns overview, 366 days",
            advertiser_client,
            "/w/atlas-telecom/ads/reports/?from=2026-01-01&to=2026-12-31",
        ),
        (
            "placements report page, 366 days",
            signed_in_client,
            "/w/matin-tech/ads/reports/placements/?from=2026-01-01&to=2026-12-31",
        ),
        (
            "campaign CSV by day, 366 days",
            advertiser_client,
            f"/w/atlas-telecom/ads/reports/campaigns/{c.id}.csv?by=day&from=2026-01-01&to=2026-12-31",
        ),
    ]:
        client.get(url)
        times = []
        for _ in range(5):
            t = time.perf_counter()
            r = client.get(url)
            times.append(time.perf_counter() - t)
            assert r.status_code == 200
        times.sort()
        print(f"{label}: median {times[2] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")
