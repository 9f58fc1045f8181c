"""Double-blind reviews: each side reviews once, reads the other only when both are in or
when the review window closes (the schedule publishes them, once)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from ent_plugins.marketplace.tests.conftest import make_listing
from reviews_kit import BUYER_API, SELLER_API, completed_order, figures

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock


@pytest.fixture
def order(seller: Any, user: Any, newsroom: Any) -> Any:
    return completed_order(seller, user, make_listing(seller))


def test_a_review_is_hidden_until_both_are_in(
    order: Any, seller_api: Any, buyer_api: Any, mail_outbox: list[Any]
) -> None:
    resp = seller_api.post(SELLER_API.format(id=order.id), json={"rating": 5, "text": "Payé vite"})
    assert resp.status_code == 201, resp.json
    assert resp.json["published_at"] is None

    mine = seller_api.get(SELLER_API.format(id=order.id)).json
    assert [r["side"] for r in mine["items"]] == ["seller"]
    theirs = buyer_api.get(BUYER_API.format(id=order.id)).json
    assert theirs["items"] == [] and theirs["can_review"] is True
    (mail,) = [m for m in mail_outbox if "MP-2026-000001" in m["subject"]]
    assert "Payé vite" not in mail["text"]

    resp = buyer_api.post(BUYER_API.format(id=order.id), json={"rating": 4, "text": "Rigoureux"})
    assert resp.status_code == 201
    both = buyer_api.get(BUYER_API.format(id=order.id)).json["items"]
    assert [(r["side"], r["text"]) for r in both] == [
        ("buyer", "Rigoureux"),
        ("seller", "Payé vite"),
    ]
    assert all(r["published_at"] for r in both)


def test_the_schedule_publishes_at_the_deadline_once(
    order: Any, seller_api: Any, buyer_api: Any, frozen_clock: Any
) -> None:
    from ent_plugins.marketplace.reviews import publish_due

    buyer_api.post(BUYER_API.format(id=order.id), json={"rating": 3, "text": "Correct"})
    assert publish_due() == 0  # the window is open: still hidden
    assert seller_api.get(SELLER_API.format(id=order.id)).json["items"] == []

    frozen_clock.shift(timedelta(days=14, minutes=1))
    assert publish_due() == 1
    assert publish_due() == 0
    (review,) = seller_api.get(SELLER_API.format(id=order.id)).json["items"]
    assert review["side"] == "buyer" and review["published_at"]
    assert figures(order_listing(order)) == (3, 1, 3, 1)

    late = seller_api.post(SELLER_API.format(id=order.id), json={"rating": 5})
    assert late.status_code == 409 and late.json["error"]["code"] == "review_closed"


def order_listing(order: Any) -> Any:
    from ent_plugins.marketplace.models import Listing

    with sdk.all_workspaces():
        return sdk.db.session.get(Listing, order.lines[0].listing_id)


def test_one_review_per_side(order: Any, buyer_api: Any) -> None:
    assert buyer_api.post(BUYER_API.format(id=order.id), json={"rating": 5}).status_code == 201
    again = buyer_api.post(BUYER_API.format(id=order.id), json={"rating": 1})
    assert again.status_code == 409
    assert again.json["error"]["code"] == "already_reviewed"


def test_only_a_completed_order_is_reviewed(
    seller: Any, user: Any, newsroom: Any, buyer_api: Any
) -> None:
    paid = completed_order(seller, user, make_listing(seller), status="paid")
    resp = buyer_api.post(BUYER_API.format(id=paid.id), json={"rating": 5})
    assert resp.status_code == 409 and resp.json["error"]["code"] == "not_reviewable"


def test_a_rating_is_from_1_to_5(order: Any, buyer_api: Any) -> None:
    resp = buyer_api.post(BUYER_API.format(id=order.id), json={"rating": 6})
    assert resp.status_code == 422


def test_someone_else_cannot_read_or_review_the_order(
    order: Any, make_user: Any, make_api_client: Any
) -> None:
    stranger = make_api_client(make_user("curieux@example.ma"))
    assert stranger.get(BUYER_API.format(id=order.id)).status_code == 404
    assert stranger.post(BUYER_API.format(id=order.id), json={"rating": 1}).status_code == 404


def test_the_reviewed_side_replies_once_after_publication(
    order: Any, seller_api: Any, buyer_api: Any
) -> None:
    reply = BUYER_API.format(id=order.id) + "/reply"
    seller_api.post(SELLER_API.format(id=order.id), json={"rating": 2, "text": "Payé en retard"})
    early = buyer_api.post(reply, json={"text": "Votre facture était fausse"})
    assert early.status_code == 409 and early.json["error"]["code"] == "not_published"

    buyer_api.post(BUYER_API.format(id=order.id), json={"rating": 5})
    first = buyer_api.post(reply, json={"text": "Votre facture était fausse"})
    assert first.status_code == 200 and first.json["reply"] == "Votre facture était fausse"
    second = buyer_api.post(reply, json={"text": "Encore"})
    assert second.status_code == 409 and second.json["error"]["code"] == "already_replied"


def test_ratings_count_once(order: Any, seller_api: Any, buyer_api: Any) -> None:
    from ent_plugins.marketplace.reviews import publish, publish_due

    buyer_api.post(BUYER_API.format(id=order.id), json={"rating": 4})
    assert figures(order_listing(order)) == (0, 0, 0, 0)  # hidden: not counted yet
    seller_api.post(SELLER_API.format(id=order.id), json={"rating": 5})
    assert figures(order_listing(order)) == (4, 1, 4, 1)
    with sdk.in_workspace(order.workspace_id):
        assert publish(order) == 0
    publish_due()
    assert figures(order_listing(order)) == (4, 1, 4, 1)


def test_the_reviewed_side_is_mailed_in_its_own_language(
    order: Any, seller_api: Any, user: Any, mail_outbox: list[Any]
) -> None:
    """The seller writes in French; the buyer, who reads Arabic, is told in Arabic."""
    with sdk.all_workspaces():
        sdk.db.session.merge(user).locale = "ar"
        sdk.db.session.commit()
    resp = seller_api.post(
        SELLER_API.format(id=order.id) + "?lang=fr", json={"rating": 5, "text": "Payé vite"}
    )
    assert resp.status_code == 201, resp.json
    (mail,) = [m for m in mail_outbox if "MP-2026-000001" in m["subject"]]
    assert user.email in str(mail["to"])
    assert "MP-2026-000001" in mail["subject"] and "you have been reviewed" not in mail["subject"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in mail["subject"])
