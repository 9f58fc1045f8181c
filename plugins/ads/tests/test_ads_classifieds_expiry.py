"""Expiry and renewal of classified ads on a frozen clock, and boosts paid by invoice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ent_plugins.ads.classifieds import expire_classifieds
from ent_plugins.ads.models import ClassifiedAd
from ent_plugins.ads.tests.conftest import post_classified

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock
#: Early in a month, so that 28 days later it is the same month (the same quota).
FIRST_OF_JUNE = pytest.mark.frozen_clock(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))


def _ad() -> ClassifiedAd:
    sdk.db.session.expire_all()
    with sdk.all_workspaces():
        return sdk.db.session.scalars(sdk.db.select(ClassifiedAd).order_by(ClassifiedAd.id)).first()


def _remaining(workspace: Any) -> int:
    return sdk.quota_remaining(workspace, "classified_ads_per_month")


def test_an_ad_expires_after_its_days_and_its_author_is_told(
    signed_in_client: Any, publisher: Any, frozen_clock: Any, mail_outbox: list[Any]
) -> None:
    post_classified(signed_in_client)
    ad = _ad()
    assert ad.expires_at - ad.published_at == timedelta(days=30)
    frozen_clock.shift(timedelta(days=29, hours=23))
    assert expire_classifieds() == 0
    assert signed_in_client.get(f"/classifieds/it/{ad.id}").status_code == 200
    frozen_clock.shift(timedelta(hours=2))
    # gone from the board even before the schedule runs
    assert signed_in_client.get(f"/classifieds/it/{ad.id}").status_code == 404
    assert expire_classifieds() == 1
    assert expire_classifieds() == 0  # once
    assert _ad().status == "expired"
    assert [m["subject"] for m in mail_outbox] == ["Votre petite annonce a expiré"]


def test_renewing_an_expired_ad_puts_it_back_and_counts_against_the_quota(
    signed_in_client: Any, publisher: Any, frozen_clock: Any
) -> None:
    post_classified(signed_in_client)
    ad_id = _ad().id
    assert _remaining(publisher) == 4
    frozen_clock.shift(timedelta(days=31))
    expire_classifieds()
    answer = signed_in_client.post(f"/w/matin-tech/ads/classifieds/{ad_id}/renew")
    assert answer.status_code == 303
    ad = _ad()
    assert (ad.status, ad.renewals) == ("published", 1)
    assert ad.expires_at - sdk.utcnow() > timedelta(days=29)
    assert _remaining(publisher) == 4  # a new month began: 5, less the renewal


@FIRST_OF_JUNE
def test_a_published_ad_is_renewable_only_in_its_last_days(
    signed_in_client: Any, publisher: Any, frozen_clock: Any
) -> None:
    post_classified(signed_in_client)
    ad = _ad()
    too_early = signed_in_client.post(f"/w/matin-tech/ads/classifieds/{ad.id}/renew")
    assert too_early.status_code == 303
    assert _ad().renewals == 0
    first_expiry = ad.expires_at
    frozen_clock.shift(timedelta(days=28))
    signed_in_client.post(f"/w/matin-tech/ads/classifieds/{ad.id}/renew")
    renewed = _ad()
    assert renewed.renewals == 1
    assert renewed.expires_at == first_expiry + timedelta(days=30)  # days left are kept
    assert _remaining(publisher) == 3


@FIRST_OF_JUNE
def test_a_renewal_beyond_the_quota_waits_for_its_invoice(
    signed_in_client: Any, publisher: Any, frozen_clock: Any, moderator: Any
) -> None:
    for n in range(5):
        post_classified(signed_in_client, title=f"Annonce {n}")
    ad_id = _ad().id
    frozen_clock.shift(timedelta(days=28))  # still June: no free unit left
    refused = signed_in_client.post(f"/w/matin-tech/ads/classifieds/{ad_id}/renew")
    assert refused.status_code == 303
    assert _ad().renewals == 0
    paid = signed_in_client.post(f"/w/matin-tech/ads/classifieds/{ad_id}/renew", data={"pay": "y"})
    assert "/billing/invoices/" in paid.headers["Location"]
    number = paid.headers["Location"].rsplit("/", 1)[1]
    assert _ad().renewals == 0
    sdk.confirm_payment(number, "bank_transfer", "VIR-9", actor=moderator)
    assert _ad().renewals == 1


def test_a_boost_keeps_the_ad_on_top_once_paid(
    signed_in_client: Any, publisher: Any, frozen_clock: Any, moderator: Any
) -> None:
    post_classified(signed_in_client, title="Première annonce")
    first = _ad()
    frozen_clock.shift(timedelta(hours=1))
    post_classified(signed_in_client, title="Seconde annonce")
    board = signed_in_client.get("/classifieds/it/").text
    assert board.index("Seconde annonce") < board.index("Première annonce")
    answer = signed_in_client.post(f"/w/matin-tech/ads/classifieds/{first.id}/boost")
    number = answer.headers["Location"].rsplit("/", 1)[1]
    again = signed_in_client.post(f"/w/matin-tech/ads/classifieds/{first.id}/boost")
    assert again.headers["Location"].endswith(number)  # the same invoice until it is paid
    sdk.confirm_payment(number, "bank_transfer", "VIR-10", actor=moderator)
    boosted = _ad()
    assert boosted.boosted_until - sdk.utcnow() > timedelta(days=6)
    board = signed_in_client.get("/classifieds/it/").text
    assert board.index("Première annonce") < board.index("Seconde annonce")
    frozen_clock.shift(timedelta(days=8))
    board = signed_in_client.get("/classifieds/it/").text
    assert board.index("Seconde annonce") < board.index("Première annonce")
