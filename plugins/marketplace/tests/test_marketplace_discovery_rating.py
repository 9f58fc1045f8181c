"""The stored average rating: it follows the reviews exactly, and the rating sort and the
minimum-rating filter read it (ties broken by count, then newest)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from ent_plugins.marketplace.tests.conftest import make_listing
from reviews_kit import BUYER_API, SELLER_API, completed_order

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock


def _average(listing: Any) -> Decimal | None:
    from ent_plugins.marketplace.models import Listing

    with sdk.all_workspaces():
        sdk.db.session.expire_all()
        row = sdk.db.session.get(Listing, listing.id)
    assert row is not None
    return row.rating_average


def test_the_average_rounds_half_up_like_decimal(app_ctx: Any, seller: Any) -> None:
    from ent_plugins.marketplace.listing_rating import set_rating

    listing = make_listing(seller)
    for count in (0, 1, 3, 7, 8, 16, 40):
        for total in sorted({0, count, 2 * count + 1, 3 * count - 1, 5 * count} - {-1}):
            if count == 0 and total:
                continue
            with sdk.all_workspaces():
                assert set_rating(listing.id, total, count)
                sdk.db.session.commit()
            expected = (
                (Decimal(total) / count).quantize(Decimal("0.01"), ROUND_HALF_UP) if count else None
            )
            assert _average(listing) == expected, (total, count)


def test_the_average_follows_published_and_removed_reviews(
    app_ctx: Any, seller: Any, user: Any, newsroom: Any, seller_api: Any, buyer_api: Any,
    seller_client: Any, operator_client: Any,
) -> None:  # fmt: skip
    from ent_plugins.marketplace.models import ReviewReport

    listing = make_listing(seller, rating_sum=8, rating_count=3)
    assert _average(listing) == Decimal("2.67")
    order = completed_order(seller, user, listing)
    resp = buyer_api.post(BUYER_API.format(id=order.id), json={"rating": 4, "text": "Bien"})
    assert _average(listing) == Decimal("2.67")  # hidden until the seller's review is in
    seller_api.post(SELLER_API.format(id=order.id), json={"rating": 5})
    assert _average(listing) == Decimal("3.00")

    report = f"/marketplace/reviews/{resp.json['id']}/report"
    assert seller_client.post(report, data={"text": "Faux"}).status_code == 303
    with sdk.all_workspaces():
        report_id = sdk.db.session.scalar(sdk.db.select(ReviewReport.id))
    decide = f"/admin/marketplace/reviews/reports/{report_id}"
    assert operator_client.post(decide, data={"action": "remove"}).status_code == 303
    assert _average(listing) == Decimal("2.67")


def _order(client: Any, query: str) -> list[int]:
    """The listings of the search page, in the page's order (each card links once or more)."""
    resp = client.get(f"/marketplace/search?{query}")
    assert resp.status_code == 200
    found = re.findall(r'href="/marketplace/listings/(\d+)"', resp.get_data(as_text=True))
    return list(dict.fromkeys(int(n) for n in found))


def test_the_rating_sort_and_filter_break_ties(app_ctx: Any, client: Any, seller: Any) -> None:
    now = sdk.utcnow()

    def rated(title: str, total: int, count: int, minutes: int) -> int:
        published = now - timedelta(minutes=minutes)
        if not count:
            return make_listing(seller, title, published_at=published).id
        return make_listing(
            seller, title, rating_sum=total, rating_count=count, published_at=published
        ).id

    top = rated("Top", 10, 2, 50)  # 5.00
    many = rated("Many", 18, 4, 40)  # 4.50 over 4
    older = rated("Older", 9, 2, 30)  # 4.50 over 2, published earlier
    newer = rated("Newer", 9, 2, 20)  # 4.50 over 2, published later
    almost = rated("Almost", 299, 100, 10)  # 2.99: stored 2.99, not "3 and more"
    three = rated("Three", 3, 1, 5)  # 3.00
    unrated = rated("Unrated", 0, 0, 1)
    assert _order(client, "sort=rating") == [top, many, newer, older, three, almost, unrated]
    assert _order(client, "sort=rating&min_rating=3") == [top, many, newer, older, three]
    assert _order(client, "min_rating=4") == [newer, older, many, top]  # newest first
    assert _order(client, "sort=rating&min_rating=5") == [top]
