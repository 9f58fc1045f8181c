"""The delivery index: what may be served, worked out before any request asks.

Arranged through the models (the campaign pages are built elsewhere), asserted through
``decide`` and the index's snapshot.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from ent_plugins.ads import index
from ent_plugins.ads.decide import AdRequest, decide
from ent_plugins.ads.models import Campaign, Creative
from ent_plugins.ads.tests.conftest import live_campaign, live_placement

from ent_core import sdk
from ent_core.testing import operator_settings, sql_statements

pytestmark = pytest.mark.frozen_clock


def served(placement: Any, times: int = 1, **request: Any) -> set[int]:
    """The campaigns ``times`` decisions on ``placement`` chose (None when nothing served)."""
    found = set()
    for _ in range(times):
        decision = decide(AdRequest(placement.public_id, sdk.utcnow(), **request))
        found.add(decision.campaign_id if decision else None)
    return found


def candidates(placement: Any, size: str | None = None) -> set[int]:
    classes = index.current().candidates.get((placement.public_id, size), ())
    return {rule.id for entries in classes for rule, _ in entries}


def test_an_approved_paid_campaign_is_served_with_what_rendering_needs(
    publisher, advertiser
) -> None:
    place = live_placement(publisher)
    campaign = live_campaign(advertiser)
    decision = decide(AdRequest(place.public_id, sdk.utcnow()))
    assert decision is not None
    assert (decision.campaign_id, decision.placement_id) == (campaign.id, place.id)
    assert (decision.advertiser_id, decision.publisher_id) == (advertiser.id, publisher.id)
    assert decision.format == "image" and decision.size == "300x250"
    assert decision.pricing == "cpm" and decision.impression_micros == 40_000
    assert decision.click_url == "https://atlas-telecom.example/fibre"
    assert decision.asset_path == f"/ads/creatives/{decision.creative_id}/"
    assert decision.priority == "standard"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "draft"},
        {"status": "pending"},
        {"status": "paused"},
        {"status": "ended"},
        {"paid_at": None},
        {"starts_at": "tomorrow"},
        {"ends_at": "an hour ago"},
    ],
    ids=["draft", "pending", "paused", "ended", "unpaid", "not-started", "over"],
)
def test_what_may_not_be_served_is_not_in_the_index(publisher, advertiser, fields) -> None:
    now = sdk.utcnow()
    dates = {"tomorrow": now + timedelta(days=1), "an hour ago": now - timedelta(hours=1)}
    place = live_placement(publisher)
    live_campaign(advertiser, **{k: dates.get(v, v) for k, v in fields.items()})
    assert served(place, 5) == {None}


def test_monthly_billing_serves_without_payment(publisher, advertiser) -> None:
    place = live_placement(publisher)
    campaign = live_campaign(advertiser, billing="monthly", paid_at=None)
    assert served(place) == {campaign.id}


@pytest.mark.parametrize("creative_status", ["pending", "rejected"])
def test_a_creative_waiting_for_or_refused_by_the_moderator_is_not_served(
    publisher, advertiser, creative_status
) -> None:
    place = live_placement(publisher)
    live_campaign(advertiser, creative_status=creative_status)
    assert served(place, 3) == {None}


def test_a_creative_paused_by_the_advertiser_is_not_served(publisher, advertiser) -> None:
    place = live_placement(publisher)
    campaign = live_campaign(advertiser, creatives=(("image", "300x250"), ("native", None)))
    with sdk.all_workspaces():
        first = sdk.db.session.get(Creative, campaign.creatives[0].id)
        first.active = False
        sdk.db.session.commit()
    index.invalidate()
    assert {decide(AdRequest(place.public_id, sdk.utcnow())).format for _ in range(20)} == {
        "native"
    }


def test_formats_and_sizes_must_fit_the_placement(publisher, advertiser) -> None:
    place = live_placement(publisher, sizes=["300x250", "728x90"], formats=["image", "native"])
    banner = live_campaign(advertiser, "Banner", creatives=(("image", "728x90"),))
    square = live_campaign(advertiser, "Square", creatives=(("image", "300x250"),))
    native = live_campaign(advertiser, "Native", creatives=(("native", None),))
    html5 = live_campaign(advertiser, "HTML5", creatives=(("html5", "300x250"),))
    skyscraper = live_campaign(advertiser, "Sky", creatives=(("image", "160x600"),))
    assert candidates(place) == {banner.id, square.id, native.id}
    assert candidates(place, "728x90") == {banner.id, native.id}
    assert candidates(place, "300x250") == {square.id, native.id}
    assert html5.id not in candidates(place) and skyscraper.id not in candidates(place)
    assert served(place, 3, size="160x600") == {None}  # not a size of this place


def test_an_inactive_placement_serves_nothing(publisher, advertiser) -> None:
    place = live_placement(publisher, active=False)
    live_campaign(advertiser)
    assert served(place) == {None}


def test_brand_safety_the_publisher_refuses_a_category(publisher, advertiser) -> None:
    place = live_placement(publisher, excluded_categories=["gambling", "dating"])
    betting = live_campaign(advertiser, "Paris sportifs", category="gambling")
    telecom = live_campaign(advertiser, "Fibre", category="technology")
    assert candidates(place) == {telecom.id}
    assert served(place, 30) == {telecom.id}
    assert betting.id not in served(place, 30)


def test_a_campaign_targets_publications_and_placements(
    publisher, advertiser, make_workspace
) -> None:
    other = make_workspace("green-news", sectors=("green",), plugins=("publishing", "ads"))
    aside = live_placement(publisher, "publishing.article.aside")
    home = live_placement(publisher, "publishing.home.top")
    elsewhere = live_placement(other, "publishing.article.aside")
    only_matin = live_campaign(advertiser, "Matin only", target_workspaces=["matin-tech"])
    only_aside = live_campaign(
        advertiser, "Aside only", target_placements=["publishing.article.aside"]
    )
    by_public_id = live_campaign(advertiser, "Home by id", target_placements=[home.public_id])
    assert candidates(aside) == {only_matin.id, only_aside.id}
    assert candidates(home) == {only_matin.id, by_public_id.id}
    assert candidates(elsewhere) == {only_aside.id}


def test_a_disabled_module_takes_campaigns_and_placements_out_of_the_index(
    publisher, advertiser, advertiser_api, api_client
) -> None:
    place = live_placement(publisher)
    campaign = live_campaign(advertiser)
    assert served(place) == {campaign.id}

    assert advertiser_api.delete("/api/v1/workspaces/atlas-telecom/plugins/ads").status_code == 204
    assert candidates(place) == set()
    assert served(place) == {None}

    assert advertiser_api.put("/api/v1/workspaces/atlas-telecom/plugins/ads").status_code == 200
    assert served(place) == {campaign.id}

    assert api_client.delete("/api/v1/workspaces/matin-tech/plugins/ads").status_code == 204
    assert place.public_id not in index.current().placements
    assert served(place) == {None}


def test_the_regie_serves_its_own_placements(publisher, advertiser, make_workspace) -> None:
    portal = make_workspace("smart-medias", name="Smart Médias")
    place = live_placement(portal, "portal.sidebar")
    campaign = live_campaign(advertiser)
    assert served(place) == {None}  # no régie named: the portal carries no ads
    with operator_settings("ads", regie_workspace="smart-medias"):
        index.invalidate()
        assert served(place) == {campaign.id}


def test_a_decision_sends_no_sql_once_the_index_is_built(publisher, advertiser) -> None:
    place = live_placement(publisher)
    for n in range(5):
        live_campaign(advertiser, f"Campaign {n}", max_daily_impressions=100, frequency_cap=3)
    assert served(place, reader="first") != {None}
    with sql_statements() as statements:
        for n in range(50):
            assert decide(AdRequest(place.public_id, sdk.utcnow(), reader=f"r{n}")) is not None
    assert statements == []


def test_a_change_reaches_the_index_when_invalidated(publisher, advertiser) -> None:
    place = live_placement(publisher)
    campaign = live_campaign(advertiser)
    assert served(place) == {campaign.id}
    with sdk.all_workspaces():
        sdk.db.session.get(Campaign, campaign.id).status = "paused"
        sdk.db.session.commit()
    index.invalidate()
    assert served(place) == {None}


def test_other_processes_see_the_new_version_within_a_second(
    publisher, advertiser, frozen_clock, monkeypatch
) -> None:
    place = live_placement(publisher)
    campaign = live_campaign(advertiser)
    assert served(place) == {campaign.id}
    built = index.current()
    # Another process changed the version: this one looks at most once a second.
    monkeypatch.setattr(index, "version", lambda: "from-another-process")
    assert index.current() is built
    time.sleep(1.1)  # the process looks at the version once a second (a monotonic clock)
    assert index.current() is not built
    assert index.current().version == "from-another-process"


def test_a_campaign_starting_within_the_minute_starts_on_time(
    publisher, advertiser, frozen_clock
) -> None:
    place = live_placement(publisher)
    campaign = live_campaign(advertiser, starts_at=sdk.utcnow() + timedelta(seconds=30))
    assert served(place) == {None}
    assert campaign.id in index.current().campaigns  # in the snapshot already
    frozen_clock.shift(timedelta(seconds=31))
    assert served(place) == {campaign.id}


def test_a_spent_campaign_is_left_out(publisher, advertiser) -> None:
    from decimal import Decimal

    place = live_placement(publisher)
    live_campaign(advertiser, budget=Decimal("200.00"), spent=Decimal("200.00"))
    assert served(place) == {None}


def test_invalidating_inside_a_transaction_bumps_again_at_its_commit(publisher, advertiser) -> None:
    """Another process may rebuild between the bump and the commit, from the old rows: the
    commit bumps the version once more, so that it rebuilds again."""
    campaign = live_campaign(advertiser)
    with sdk.all_workspaces():
        sdk.db.session.get(Campaign, campaign.id).status = "paused"
        index.invalidate()
        index.invalidate()  # twice in one transaction: one more bump at its commit
        before_commit = index.version()
        sdk.db.session.commit()
    after_commit = index.version()
    assert after_commit != before_commit
    sdk.db.session.commit()  # a later commit of the same session bumps nothing
    assert index.version() == after_commit


def test_a_failed_rebuild_keeps_the_last_snapshot(publisher, advertiser, monkeypatch) -> None:
    place = live_placement(publisher)
    campaign = live_campaign(advertiser)
    assert served(place) == {campaign.id}

    def unreachable(*args: Any) -> Any:
        raise ConnectionError("the database is restarting")

    monkeypatch.setattr(index, "load", unreachable)
    index.invalidate()
    assert served(place) == {campaign.id}
