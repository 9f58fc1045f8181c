"""Reports: exact figures, days in the workspace's time zone, charts, CSV, the statistics API,
and each side seeing only its own rows."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from ent_plugins.ads.tests.ads_reports_kit import traffic

from ent_core.testing import operator_settings

pytestmark = pytest.mark.frozen_clock  # 2026-06-15 09:00 UTC: 10:00 in Casablanca

ADS = "/w/atlas-telecom/ads/reports"
PUB = "/w/matin-tech/ads/reports"
API_ADS = "/api/v1/workspaces/atlas-telecom/ads"
API_PUB = "/api/v1/workspaces/matin-tech/ads"
DAY14 = "from=2026-06-14&to=2026-06-14"


@pytest.fixture
def served(publisher: Any, advertiser: Any) -> Any:
    return traffic(publisher, advertiser)


@pytest.fixture
def publisher_api(make_api_client: Any, publisher: Any, user: Any) -> Any:
    return make_api_client(user)


def _csv(response: Any) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


# -- advertisers -----------------------------------------------------------------------------
def test_a_campaigns_day_counts_the_hours_of_that_local_day(
    advertiser_api: Any, served: Any
) -> None:
    url = f"{API_ADS}/campaigns/{served.campaign.id}/stats?{DAY14}"
    body = advertiser_api.get(url).get_json()
    assert body["timezone"] == "Africa/Casablanca"
    assert (body["from"], body["to"], body["by"]) == ("2026-06-14", "2026-06-14", "day")
    # 23:00 UTC on the 13th is midnight on the 14th in Casablanca (UTC+1 in June).
    assert body["items"] == [
        {
            "day": "2026-06-14",
            "impressions": 700,
            "viewable": 440,
            "viewable_rate": 0.6286,
            "clicks": 8,
            "ctr": 0.0114,
            "spend": {"amount": "28.00", "currency": "MAD"},
            "creative_id": None,
            "placement_id": None,
            "name": None,
            "publisher": None,
        }
    ]
    before = advertiser_api.get(
        f"{API_ADS}/campaigns/{served.campaign.id}/stats?from=2026-06-13&to=2026-06-13"
    ).get_json()
    assert before["totals"]["impressions"] == 100
    assert before["totals"]["viewable_rate"] == 0.6 and before["totals"]["ctr"] == 0.02
    assert before["totals"]["spend"]["amount"] == "4.00"


def test_stats_by_creative_and_by_placement(advertiser_api: Any, served: Any) -> None:
    base = f"{API_ADS}/campaigns/{served.campaign.id}/stats?from=2026-06-13&to=2026-06-15"
    by_creative = advertiser_api.get(f"{base}&by=creative").get_json()["items"]
    assert [(i["name"], i["impressions"], i["clicks"]) for i in by_creative] == [
        ("Bannière fibre", 400, 5),
        ("Pavé été", 400, 5),
    ]
    assert by_creative[0]["viewable_rate"] == 0.525 and by_creative[0]["spend"]["amount"] == "16.00"
    by_placement = advertiser_api.get(f"{base}&by=placement").get_json()
    assert [(i["name"], i["publisher"]) for i in by_placement["items"]] == [
        ("Article: à côté du texte", "Le Matin Tech"),
        ("Blog partenaire", "Le Matin Tech"),
    ]
    assert by_placement["totals"]["impressions"] == 800
    days = advertiser_api.get(base).get_json()["items"]
    assert [d["day"] for d in days] == ["2026-06-13", "2026-06-14", "2026-06-15"]
    assert [d["impressions"] for d in days] == [100, 700, 0]
    assert days[2]["viewable_rate"] is None and days[2]["ctr"] is None


def test_stats_refuse_a_reversed_or_too_long_range(advertiser_api: Any, served: Any) -> None:
    url = f"{API_ADS}/campaigns/{served.campaign.id}/stats"
    reversed_ = advertiser_api.get(f"{url}?from=2026-06-14&to=2026-06-01")
    assert reversed_.status_code == 422
    assert reversed_.get_json()["error"]["code"] == "invalid_range"
    too_long = advertiser_api.get(f"{url}?from=2025-01-01&to=2026-06-14")
    assert too_long.get_json()["error"]["details"]["max_days"] == 366
    assert advertiser_api.get(f"{url}?by=hour").status_code == 422


def test_the_campaign_report_page_has_charts_and_tables(
    advertiser_client: Any, served: Any
) -> None:
    page = advertiser_client.get(
        f"{ADS}/campaigns/{served.campaign.id}?from=2026-06-13&to=2026-06-14&lang=en"
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    svgs = re.findall(r'<svg [^>]*role="img" aria-labelledby="([\w-]+)-title \1-desc"', html)
    assert svgs == ["chart-impressions", "chart-clicks"]
    assert '<title id="chart-impressions-title">Impressions per day</title>' in html
    assert "800 impressions in the period; the most on 14 Jun: 700." in html
    assert "<title>14 Jun: 700</title>" in html
    assert '<table class="table" id="daily-table">' in html
    assert "62.86%" in html and "1.14%" in html  # viewable rate and CTR on the 14th
    assert "Bannière fibre" in html and "Blog partenaire" in html


def test_charts_run_right_to_left_in_arabic(advertiser_client: Any, served: Any) -> None:
    url = f"{ADS}/campaigns/{served.campaign.id}?from=2026-06-13&to=2026-06-14"
    ltr = advertiser_client.get(f"{url}&lang=en").get_data(as_text=True)
    rtl = advertiser_client.get(f"{url}&lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in rtl

    def first_bar_x(html: str) -> float:
        chart = html[html.index('<svg viewBox="0 0 640 220"') :]
        return float(re.search(r'<rect x="([\d.]+)"', chart).group(1))

    # two days: the first one is at the start of the time line, left or right
    assert (first_bar_x(ltr), first_bar_x(rtl)) == (58.0, 294.0)


def test_the_campaigns_csv_neutralises_formulas(
    advertiser_client: Any, advertiser: Any, served: Any
) -> None:
    from ent_plugins.ads.tests.ads_reports_kit import make_campaign

    from ent_core import sdk

    make_campaign(advertiser, name='=HYPERLINK("http://evil")')
    sdk.db.session.commit()
    response = advertiser_client.get(f"{ADS}/campaigns.csv?by=campaign&{DAY14}")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:4] == ["campaign", "name", "detail", "impressions"]
    names = [r[1] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in names
    fibre = next(r for r in rows if r[1] == "Fibre 2026")
    assert fibre[3:] == ["700", "440", "0.6286", "8", "0.0114", "28.00"]
    assert rows[-1][:2] == ["total", "total"]
    assert advertiser_client.get(f"{ADS}/campaigns.csv?from=nope").status_code == 400


def test_the_campaign_csv_by_day(advertiser_client: Any, served: Any) -> None:
    url = f"{ADS}/campaigns/{served.campaign.id}.csv?by=day&from=2026-06-13&to=2026-06-14"
    rows = _csv(advertiser_client.get(url))
    assert [r[0] for r in rows] == ["date", "2026-06-13", "2026-06-14", "total"]
    assert rows[-1][3] == "800" and rows[-1][-1] == "32.00"


# -- publishers ------------------------------------------------------------------------------
def test_fill_rate_and_earnings_with_the_configured_share(publisher_api: Any, served: Any) -> None:
    aside = served.placements[0]
    with operator_settings("ads", publisher_share="0.55"):
        body = publisher_api.get(f"{API_PUB}/placements/{aside.id}/stats?{DAY14}").get_json()
    assert body["publisher_share"] == "0.55"
    assert body["items"] == [
        {
            "day": "2026-06-14",
            "requests": 600,
            "impressions": 400,
            "fill_rate": 0.6667,
            "viewable": 200,
            "viewable_rate": 0.5,
            "clicks": 3,
            "ctr": 0.0075,
            # 15.333333 MAD spent x 0.55 = 8.4333 → 8.43
            "earnings": {"amount": "8.43", "currency": "MAD"},
        }
    ]


def test_the_placements_page_and_csv(signed_in_client: Any, served: Any) -> None:
    with operator_settings("ads", publisher_share="0.55"):
        html = signed_in_client.get(f"{PUB}/placements/?{DAY14}&lang=en").get_data(as_text=True)
        rows = _csv(signed_in_client.get(f"{PUB}/placements.csv?by=placement&{DAY14}"))
    assert "Your share of what advertisers spend on your placements: 55%." in html
    assert '<title id="chart-earnings-title">Earnings per day (MAD)</title>' in html
    assert rows[0] == [
        "placement", "name", "requests", "impressions", "fill_rate", "viewable",
        "viewable_rate", "clicks", "ctr", "earnings_mad",
    ]  # fmt: skip
    assert rows[1][1:] == [
        "Article: à côté du texte",
        "600",
        "400",
        "0.6667",
        "200",
        "0.5000",
        "3",
        "0.0075",
        "8.43",
    ]
    assert rows[2][1:5] == ["Blog partenaire", "500", "400", "0.8000"]
    assert rows[2][-1] == "8.80"
    # the total is the share of the whole spend (31.333333 x 0.55 = 17.2333), not a sum of
    # rounded lines
    assert rows[-1][2:5] == ["1100", "800", "0.7273"] and rows[-1][-1] == "17.23"


# -- each side its own rows ------------------------------------------------------------------
def test_a_publisher_never_sees_an_advertisers_campaign(
    signed_in_client: Any, publisher_api: Any, served: Any
) -> None:
    cid = served.campaign.id
    assert signed_in_client.get(f"{PUB}/campaigns/{cid}").status_code == 404
    assert signed_in_client.get(f"{PUB}/campaigns/{cid}.csv").status_code == 404
    assert publisher_api.get(f"{API_PUB}/campaigns/{cid}/stats").status_code == 404
    rows = _csv(signed_in_client.get(f"{PUB}/campaigns.csv?by=day&{DAY14}"))
    assert rows[1][3] == "0"  # the publisher's own (empty) campaign figures
    html = signed_in_client.get(f"{PUB}/?{DAY14}&lang=en").get_data(as_text=True)
    assert "Fibre 2026" not in html


def test_an_advertiser_never_sees_a_publishers_placement(
    advertiser_client: Any, advertiser_api: Any, served: Any
) -> None:
    pid = served.placements[0].id
    assert advertiser_client.get(f"{ADS}/placements/{pid}").status_code == 404
    assert advertiser_api.get(f"{API_ADS}/placements/{pid}/stats").status_code == 404
    rows = _csv(advertiser_client.get(f"{ADS}/placements.csv?by=placement&{DAY14}"))
    assert rows[1:] == [["total", "total", "0", "0", "", "0", "", "0", "", "0.00"]]
