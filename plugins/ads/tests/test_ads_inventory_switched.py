"""A module switched off in a publication takes its places out of the network there, and
brings them back as they were when switched on again (docs/ads.md, "A module switched off")."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ent_plugins.ads.tests.delivery_kit import HEADERS, campaign, placement

MODULES = "/api/v1/workspaces/matin-tech/plugins"
PLACEMENTS = "/api/v1/workspaces/matin-tech/ads/placements"


@pytest.fixture
def api(make_api_client: Any, user: Any, publisher: Any) -> Any:
    """The publication's owner, through the API."""
    return make_api_client(user)


@pytest.fixture
def joined(api: Any) -> dict[str, Any]:
    made = api.post(PLACEMENTS, json={"kind": "slot", "code": "publishing.article.aside"})
    assert made.status_code == 201, made.json
    return made.json


def _codes(api: Any) -> list[str]:
    return [p["code"] for p in api.get(f"{PLACEMENTS}/places").json["items"]]


def test_the_api_shows_the_place_out_of_the_network_while_publishing_is_off(
    api: Any, joined: dict[str, Any]
) -> None:
    assert joined["active"] is True
    assert api.delete(f"{MODULES}/publishing").status_code == 204

    shown = api.get(f"{PLACEMENTS}/{joined['id']}").json
    assert (shown["active"], shown["joined"]) == (False, True)
    assert [p["active"] for p in api.get(PLACEMENTS).json["items"]] == [False]
    assert "publishing.article.aside" not in _codes(api)
    refused = api.patch(f"{PLACEMENTS}/{joined['id']}", json={"active": True})
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "place_unavailable")

    assert api.put(f"{MODULES}/publishing").status_code == 200
    back = api.get(f"{PLACEMENTS}/{joined['id']}").json
    assert (back["active"], back["joined"]) == (True, True)
    assert "publishing.article.aside" in _codes(api)


def test_the_placements_page_no_longer_offers_the_place(
    api: Any, joined: dict[str, Any], signed_in_client: Any
) -> None:
    page = "/w/matin-tech/ads/placements/"
    assert "publishing.article.aside" in signed_in_client.get(page).get_data(as_text=True)
    assert api.delete(f"{MODULES}/publishing").status_code == 204
    assert "publishing.article.aside" not in signed_in_client.get(page).get_data(as_text=True)


def test_a_place_of_a_module_switched_off_receives_no_ad(
    client: Any, api: Any, publisher: Any, advertiser: Any
) -> None:
    placement(publisher)
    campaign(advertiser)

    def decide() -> int:
        return client.get("/ads/d?p=pl-matin-aside&s=300x250&r=abc123", headers=HEADERS).status_code

    assert decide() == 200
    assert api.delete(f"{MODULES}/publishing").status_code == 204
    assert decide() == 204
    assert api.put(f"{MODULES}/publishing").status_code == 200
    assert decide() == 200


def test_the_operators_listing_says_the_same_as_the_api(
    app: Any, api: Any, joined: dict[str, Any]
) -> None:
    def listed() -> tuple[bool, bool]:
        result = app.test_cli_runner().invoke(args=["ads", "placements", "list", "--json"])
        assert result.exit_code == 0, result.output
        (row,) = [r for r in json.loads(result.output) if r["id"] == joined["id"]]
        return row["active"], row["joined"]

    assert listed() == (True, True)
    assert api.delete(f"{MODULES}/publishing").status_code == 204
    assert listed() == (False, True)  # out of the network, the publisher's choice kept
