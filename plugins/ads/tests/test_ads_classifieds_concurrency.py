"""The free quota under concurrent posting: requests racing for the last units through the
API, each in its own thread, session and transaction. On PostgreSQL
(``ENT_TEST_DATABASE_URL``) this exercises the guarded ``UPDATE`` of ``sdk.consume_quota``
under row locks; on SQLite the writers are serialised by the database lock."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.ads.models import ClassifiedAd
from ent_plugins.ads.tests.conftest import classified_payload

from ent_core import sdk
from ent_core.testing import race

pytestmark = pytest.mark.frozen_clock
ROOT = "/api/v1/workspaces/atlas-telecom/ads/classifieds"


def _ads() -> list[ClassifiedAd]:
    sdk.db.session.expire_all()
    with sdk.all_workspaces():
        return list(sdk.db.session.scalars(sdk.db.select(ClassifiedAd)))


def test_two_posts_racing_for_the_last_unit_one_gets_it(
    advertiser_api: Any, make_api_client: Any, advertiser_owner: Any, advertiser: Any
) -> None:
    for n in range(4):
        assert advertiser_api.post(ROOT, json=classified_payload(title=f"N{n}")).status_code == 201
    clients = [make_api_client(advertiser_owner) for _ in range(2)]
    sdk.db.session.commit()

    statuses = race(
        2,
        lambda i: clients[i].post(ROOT, json=classified_payload(title=f"Course {i}")).status_code,
    )
    assert sorted(statuses) == [201, 409], statuses
    assert len(_ads()) == 5
    assert sdk.quota_remaining(advertiser, "classified_ads_per_month") == 0


def test_many_posts_racing_never_exceed_the_quota(
    make_api_client: Any, advertiser_owner: Any, advertiser: Any
) -> None:
    clients = [make_api_client(advertiser_owner) for _ in range(8)]
    sdk.db.session.commit()
    statuses = race(
        8,
        lambda i: clients[i].post(ROOT, json=classified_payload(title=f"Course {i}")).status_code,
    )
    assert statuses.count(201) == 5, statuses
    assert statuses.count(409) == 3, statuses
    ads = _ads()
    assert len(ads) == 5
    assert all(ad.free for ad in ads)
