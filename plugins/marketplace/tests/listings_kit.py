"""Helpers of the listings part's tests: the seller's form, the API paths, reading rows."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Listing

from ent_core import sdk

API = "/api/v1/workspaces/factcheck-lab/marketplace/listings"
PAGES = "/w/factcheck-lab/marketplace/listings"


def form_values(**fields: Any) -> dict[str, Any]:
    """A valid service by the day, as the seller's form sends it."""
    from ent_plugins.marketplace.categories import category_by_code

    category = category_by_code(fields.pop("category", "fact-checking"))
    assert category is not None
    values: dict[str, Any] = {
        "kind": "service",
        "delivery": "physical",
        "unit": "day",
        "title": "Vérification d'une enquête",
        "description": "Nous vérifions **chaque** affirmation.",
        "language": "fr",
        "category": str(category.id),
        "price": "1500.00",
        "vat_rate": "0.20",
        "stock": "",
        "location": "Rabat",
        "hold_minutes": "0",
    }
    values.update(fields)
    return values


def create_by_form(client: Any, **fields: Any) -> Listing:
    response = client.post(f"{PAGES}/new", data=form_values(**fields))
    assert response.status_code == 303, response.text
    return newest()


def api_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "service",
        "unit": "day",
        "title": "Vérification d'une enquête",
        "description": "Nous vérifions **chaque** affirmation.",
        "category": "fact-checking",
        "price": {"amount": "1500.00", "currency": "MAD"},
    }
    body.update(fields)
    return body


def newest() -> Listing:
    sdk.db.session.expire_all()
    with sdk.all_workspaces():
        listing = sdk.db.session.scalars(sdk.db.select(Listing).order_by(Listing.id.desc())).first()
    assert listing is not None
    return listing


def reload(listing_id: int) -> Listing:
    sdk.db.session.expire_all()
    with sdk.all_workspaces():
        listing = sdk.db.session.get(Listing, listing_id)
        assert listing is not None
        # load what the assertions read while every workspace is visible
        _ = (listing.images, listing.variants, listing.translations)
    return listing


def audited(action: str) -> list[str]:
    """Subjects of the audited ``action`` (read as an operator would: ``ent audit list``)."""
    import json

    from flask import current_app

    result = current_app.test_cli_runner().invoke(
        args=["audit", "list", "--action", action, "--limit", "1000", "--json"]
    )
    assert result.exit_code == 0, result.output
    return [event["subject"] for event in json.loads(result.output)]
