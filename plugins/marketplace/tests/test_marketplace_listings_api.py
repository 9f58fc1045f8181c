"""Listings through the seller's API: validation, quota, pagination, changes, transitions
(who may do which), pictures, variants, slots and tenancy."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.marketplace.tests.conftest import make_listing
from ent_plugins.marketplace.tests.listings_kit import API, api_body, reload

from ent_core import sdk
from ent_core.testing import sample_image

pytestmark = pytest.mark.frozen_clock


def test_a_listing_is_created_and_read_back(seller_api: Any) -> None:
    created = seller_api.post(
        API,
        json=api_body(
            translations=[{"language": "en", "title": "Checking an investigation"}],
            vat_rate="0.10",
        ),
    )
    assert created.status_code == 201, created.json
    data = created.json
    assert data["status"] == "draft"
    assert data["category"] == "fact-checking" and data["sector"] == "it"
    assert data["price"] == {"amount": "1500.00", "currency": "MAD"}
    assert data["price_with_vat"] == {"amount": "1650.00", "currency": "MAD"}
    assert data["translations"] == [
        {"language": "en", "title": "Checking an investigation", "description": ""}
    ]
    assert data["url"] is None and data["pending_changes"] is None
    assert data["allowed_transitions"] == ["submit"]
    assert seller_api.get(f"{API}/{data['id']}").json == data


def test_the_default_vat_rate_and_on_quote(seller_api: Any) -> None:
    data = seller_api.post(API, json=api_body(price=None)).json
    assert data["price"] is None and data["price_with_vat"] is None
    assert data["vat_rate"] == "0.2000" or float(data["vat_rate"]) == 0.2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "rental"}, "kind"),
        ({"category": "weapons"}, "category"),
        ({"kind": "product", "delivery": ""}, "delivery"),
        ({"price": {"amount": "10.00", "currency": "EUR"}}, "price"),
        ({"title": ""}, "title"),
        ({"vat_rate": "0.9"}, "vat_rate"),
    ],
)
def test_invalid_fields_answer_422_naming_them(
    seller_api: Any, fields: dict[str, Any], field: str
) -> None:
    response = seller_api.post(API, json=api_body(**fields))
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "validation_error"
    assert field in response.json["error"]["details"]["fields"]


def test_beyond_the_monthly_quota_409(seller_api: Any, seller: Any) -> None:
    left = sdk.quota_remaining(seller, "marketplace_listings_per_month")
    assert left > 0
    sdk.consume_quota(seller, "marketplace_listings_per_month", left - 1)
    sdk.db.session.commit()
    assert seller_api.post(API, json=api_body()).status_code == 201
    refused = seller_api.post(API, json=api_body())
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "quota_exceeded"
    assert refused.json["error"]["details"]["quota"] == "marketplace_listings_per_month"


def test_the_quota_message_on_the_form(seller_client: Any, seller: Any) -> None:
    from ent_plugins.marketplace.tests.listings_kit import PAGES, form_values

    left = sdk.quota_remaining(seller, "marketplace_listings_per_month")
    sdk.consume_quota(seller, "marketplace_listings_per_month", left)
    sdk.db.session.commit()
    response = seller_client.post(f"{PAGES}/new", data=form_values(title="Encore une"))
    assert response.status_code in (409, 422)
    assert 'role="alert"' in response.text and "Encore une" in response.text


def test_the_list_pages_with_a_cursor_and_filters(seller_api: Any, seller: Any) -> None:
    for n in range(3):
        make_listing(seller, f"Offre {n}")
    make_listing(seller, "Brouillon", status="draft", published_at=None)
    first = seller_api.get(f"{API}?limit=2").json
    assert [i["title"] for i in first["items"]] == ["Brouillon", "Offre 2"]
    rest = seller_api.get(f"{API}?limit=2&cursor={first['next_cursor']}").json
    assert [i["title"] for i in rest["items"]] == ["Offre 1", "Offre 0"]
    drafts = seller_api.get(f"{API}?status=draft").json["items"]
    assert [i["title"] for i in drafts] == ["Brouillon"]


def test_submit_then_an_administrator_approves(
    seller_api: Any, operator_api: Any, mail_outbox: list[Any]
) -> None:
    listing_id = seller_api.post(API, json=api_body()).json["id"]
    moved = seller_api.post(f"{API}/{listing_id}/transitions", json={"transition": "submit"})
    assert moved.json["status"] == "pending"
    refused = seller_api.post(f"{API}/{listing_id}/transitions", json={"transition": "approve"})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    approved = operator_api.post(f"{API}/{listing_id}/transitions", json={"transition": "approve"})
    assert approved.status_code == 200, approved.json
    assert approved.json["status"] == "published"
    assert [m["to"] for m in mail_outbox] == ["contact@factcheck-lab.ma"]


def test_an_invalid_transition_says_what_is_allowed(seller_api: Any) -> None:
    listing_id = seller_api.post(API, json=api_body()).json["id"]
    response = seller_api.post(f"{API}/{listing_id}/transitions", json={"transition": "withdraw"})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "invalid_transition"
    assert response.json["error"]["details"]["allowed"] == ["submit"]


def test_a_price_change_waits_for_the_operator(
    seller_api: Any, seller: Any, operator_api: Any
) -> None:
    listing = make_listing(seller)
    changed = seller_api.patch(
        f"{API}/{listing.id}",
        json={"price": {"amount": "1800.00", "currency": "MAD"}, "title": "Nouveau titre"},
    )
    assert changed.status_code == 200, changed.json
    data = changed.json
    assert data["title"] == "Nouveau titre"
    assert data["price"] == {"amount": "1500.00", "currency": "MAD"}
    assert data["pending_changes"] == {
        "price": {"amount": "1800.00", "currency": "MAD"},
        "category": None,
    }
    rejected = operator_api.post(
        f"{API}/{listing.id}/transitions", json={"transition": "reject", "reason": "Trop cher"}
    )
    assert rejected.json["pending_changes"] is None
    assert rejected.json["price"]["amount"] == "1500.00"
    assert rejected.json["status"] == "published"


def test_pictures_through_multipart(seller_api: Any, seller: Any) -> None:
    import io

    listing = make_listing(seller)
    response = seller_api.post(
        f"{API}/{listing.id}/images",
        data={"file": (io.BytesIO(sample_image("JPEG", (2000, 500))), "a.jpg"), "alt_text": "Ok"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.json
    (image,) = response.json["images"]
    assert (image["width"], image["height"], image["alt"]) == (1600, 400, "Ok")
    assert image["thumb_url"].startswith("http")
    no_alt = seller_api.post(
        f"{API}/{listing.id}/images",
        data={"file": (io.BytesIO(sample_image()), "a.png")},
        content_type="multipart/form-data",
    )
    assert no_alt.status_code == 422
    assert seller_api.delete(f"{API}/{listing.id}/images/{image['id']}").status_code == 204
    assert reload(listing.id).images == []


def test_variants_and_slots(seller_api: Any, seller: Any) -> None:
    listing = make_listing(seller)
    variant = seller_api.post(
        f"{API}/{listing.id}/variants",
        json={"name": "Équipe", "price": {"amount": "4000", "currency": "MAD"}, "stock": 2},
    )
    assert variant.status_code == 201
    assert variant.json["price"] == {"amount": "4000.00", "currency": "MAD"}
    items = seller_api.get(f"{API}/{listing.id}/variants").json["items"]
    assert [v["name"] for v in items] == ["Équipe"]
    path = f"{API}/{listing.id}/variants/{variant.json['id']}"
    assert seller_api.put(path, json={"name": "Solo", "active": False}).json["active"] is False
    assert seller_api.delete(path).status_code == 204
    not_booking = seller_api.post(
        f"{API}/{listing.id}/slots",
        json={"starts_at": "2026-06-20T10:00:00", "ends_at": "2026-06-20T11:00:00"},
    )
    assert not_booking.status_code == 409
    booking = make_listing(seller, "Studio", kind="booking", unit="", category="podcast-studio")
    added = seller_api.post(
        f"{API}/{booking.id}/slots",
        json={
            "starts_at": "2026-06-20T10:00:00",
            "ends_at": "2026-06-20T11:00:00",
            "capacity": 3,
            "repeat_weeks": 1,
        },
    )
    assert added.status_code == 201, added.json
    assert [s["starts_at"][:16] for s in added.json["items"]] == [
        "2026-06-20T09:00",
        "2026-06-27T09:00",
    ]
    listed = seller_api.get(f"{API}/{booking.id}/slots").json["items"]
    assert len(listed) == 2
    slot_id = listed[0]["id"]
    assert seller_api.delete(f"{API}/{booking.id}/slots/{slot_id}").status_code == 204


def test_another_workspaces_listing_is_404(
    seller_api: Any, make_workspace: Any, make_user: Any
) -> None:
    other = make_workspace("other-shop", owner=make_user("o@other.ma"), plugins=("marketplace",))
    sdk.db.session.commit()
    theirs = make_listing(other, "Leur offre")
    assert seller_api.get(f"{API}/{theirs.id}").status_code == 404
    assert seller_api.patch(f"{API}/{theirs.id}", json={"title": "x"}).status_code == 404
    moved = seller_api.post(f"{API}/{theirs.id}/transitions", json={"transition": "withdraw"})
    assert moved.status_code == 404
    assert reload(theirs.id).title == "Leur offre"


def test_the_buyer_cannot_use_the_sellers_api(buyer_api: Any, seller: Any) -> None:
    assert buyer_api.get(API).status_code == 404


def test_only_a_draft_is_deleted(seller_api: Any, seller: Any) -> None:
    draft_id = seller_api.post(API, json=api_body()).json["id"]
    assert seller_api.delete(f"{API}/{draft_id}").status_code == 204
    assert seller_api.get(f"{API}/{draft_id}").status_code == 404
    published = make_listing(seller)
    refused = seller_api.delete(f"{API}/{published.id}")
    assert refused.status_code == 409 and refused.json["error"]["code"] == "invalid_state"
