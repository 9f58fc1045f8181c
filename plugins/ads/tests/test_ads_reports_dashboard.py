"""The ads card of the workspace dashboard: yesterday's figures, each side its own."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from ent_plugins.ads.tests.ads_reports_kit import traffic

# 10:00 on the 15th in Casablanca: "yesterday" is the 14th there.
pytestmark = pytest.mark.frozen_clock(datetime(2026, 6, 15, 9, 0, tzinfo=UTC))


def test_an_advertiser_sees_live_campaigns_and_yesterdays_figures(
    advertiser_client: Any, publisher: Any, advertiser: Any
) -> None:
    traffic(publisher, advertiser)
    html = advertiser_client.get("/w/atlas-telecom/?lang=en").get_data(as_text=True)
    assert "1 live campaign" in html
    assert "700 impressions, 8 clicks (CTR 1.14%)" in html
    assert "placement in the network" not in html


def test_a_publisher_sees_its_placements_earnings(
    signed_in_client: Any, publisher: Any, advertiser: Any
) -> None:
    traffic(publisher, advertiser)
    html = signed_in_client.get("/w/matin-tech/?lang=en").get_data(as_text=True)
    assert "2 placements in the network" in html
    # 31.333333 MAD spent on the 14th x 0.60
    assert "MAD18.80 earned, fill rate 72.73%." in html
    assert "live campaign" not in html


def test_an_empty_card_points_to_the_module(signed_in_client: Any, publisher: Any) -> None:
    html = signed_in_client.get("/w/matin-tech/?lang=en").get_data(as_text=True)
    assert "No live campaign and no placement in the network." in html
