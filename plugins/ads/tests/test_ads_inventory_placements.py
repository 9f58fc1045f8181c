"""Placements: the places of a publisher's pages joining and leaving the network."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.ads import index
from ent_plugins.ads.models import AdPlacement

from ent_core import sdk
from ent_core.testing import operator_settings

PAGE = "/w/matin-tech/ads/placements/"
ASIDE = "/w/matin-tech/ads/placements/places/publishing.article.aside"
API = "/api/v1/workspaces/matin-tech/ads/placements"
PREFIX = "publishing_article_aside-"


def _placement(code: str) -> AdPlacement | None:
    with sdk.all_workspaces():
        return sdk.db.session.scalar(sdk.db.select(AdPlacement).where(AdPlacement.code == code))


def _join(client: Any, **fields: Any) -> Any:
    data = {
        f"{PREFIX}active": "y",
        f"{PREFIX}sizes": ["300x250"],
        f"{PREFIX}formats": ["image", "native"],
    }
    data.update({f"{PREFIX}{k}": v for k, v in fields.items()})
    return client.post(f"{ASIDE}?lang=en", data={k: v for k, v in data.items() if v is not None})


def test_the_page_lists_the_places_of_the_modules_switched_on(
    signed_in_client: Any, publisher: Any
) -> None:
    html = signed_in_client.get(f"{PAGE}?lang=en").get_data(as_text=True)
    assert "publishing.article.aside" in html
    assert "publishing.home.top" in html
    assert "portal.sidebar" not in html  # the portal's places are the régie's
    assert "Join the network" in html


def test_without_publishing_there_is_no_publishing_place(
    advertiser_client: Any, advertiser: Any
) -> None:
    html = advertiser_client.get("/w/atlas-telecom/ads/placements/").get_data(as_text=True)
    assert "publishing.article.aside" not in html
    url = "/w/atlas-telecom/ads/placements/places/publishing.article.aside"
    assert advertiser_client.get(url).status_code == 404


def test_joining_a_place_keeps_its_sizes_formats_and_a_random_public_id(
    signed_in_client: Any, publisher: Any
) -> None:
    before = index.version()
    response = _join(signed_in_client, excluded_categories=["gambling", "dating"])
    assert response.status_code == 303
    row = _placement("publishing.article.aside")
    assert row is not None and row.active and row.kind == "slot"
    assert row.sizes == ["300x250"]
    assert row.formats == ["image", "native"]
    assert row.excluded_categories == ["dating", "gambling"]  # the catalogue's order
    assert row.workspace_id == publisher.id
    assert len(row.public_id) >= 16 and row.public_id != str(row.id)
    assert index.version() != before  # delivery rebuilds its index


def test_leaving_a_place_keeps_the_placement_and_its_public_id(
    signed_in_client: Any, publisher: Any
) -> None:
    _join(signed_in_client)
    public_id = _placement("publishing.article.aside").public_id
    version = index.version()
    assert _join(signed_in_client, active=None).status_code == 303
    row = _placement("publishing.article.aside")
    assert row.active is False and row.public_id == public_id
    assert index.version() != version
    page = signed_in_client.get(f"{PAGE}?lang=en").get_data(as_text=True)
    assert "not in the network" in page


def test_a_size_the_place_does_not_declare_is_refused(
    signed_in_client: Any, publisher: Any
) -> None:
    response = _join(signed_in_client, sizes=["728x90"])
    assert response.status_code == 422
    assert "is not a valid choice for this field" in response.get_data(as_text=True)
    assert _placement("publishing.article.aside") is None


def test_a_place_needs_one_size_and_one_format(signed_in_client: Any, publisher: Any) -> None:
    response = _join(signed_in_client, sizes=[])
    assert response.status_code == 422
    assert "Choose sizes among those of the place: 300x250, 300x600." in response.get_data(
        as_text=True
    )


def test_a_member_without_the_permission_is_refused(
    client: Any, publisher: Any, make_user: Any
) -> None:
    from ent_core.testing import add_member, sign_in

    reader = make_user("lecteur@matin-tech.ma")
    add_member(publisher, reader, "member")
    assert sign_in(client, reader).get(PAGE).status_code == 403


def test_the_regie_also_manages_the_portal_places(signed_in_client: Any, publisher: Any) -> None:
    with operator_settings("ads", regie_workspace="matin-tech"):
        html = signed_in_client.get(PAGE).get_data(as_text=True)
        assert "portal.sidebar" in html and "portal.after_items" in html
        response = signed_in_client.post(
            "/w/matin-tech/ads/placements/places/portal.sidebar",
            data={
                "portal_sidebar-active": "y",
                "portal_sidebar-sizes": ["160x600"],
                "portal_sidebar-formats": ["image"],
            },
        )
        assert response.status_code == 303
    assert _placement("portal.sidebar").sizes == ["160x600"]
    assert (
        signed_in_client.get("/w/matin-tech/ads/placements/places/portal.sidebar").status_code
        == 404
    )


# -- API -------------------------------------------------------------------------------------
@pytest.fixture
def publisher_api(make_api_client: Any, publisher: Any, user: Any) -> Any:
    return make_api_client(user)


def test_api_lists_the_places_and_joins_one(publisher_api: Any) -> None:
    places = publisher_api.get(f"{API}/places").get_json()["items"]
    codes = {p["code"]: p for p in places}
    assert set(codes) == {"publishing.article.aside", "publishing.home.top"}
    assert codes["publishing.home.top"]["sizes"] == ["728x90", "970x250", "320x50"]
    assert codes["publishing.home.top"]["placement_id"] is None
    created = publisher_api.post(
        API,
        json={"kind": "slot", "code": "publishing.home.top", "sizes": ["728x90", "320x50"]},
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["active"] is True and body["sizes"] == ["728x90", "320x50"]
    assert body["formats"] == list(sdk.AD_FORMATS) and body["tags"] is None
    again = publisher_api.post(API, json={"kind": "slot", "code": "publishing.home.top"})
    assert again.status_code == 409
    assert again.get_json()["error"]["details"]["id"] == body["id"]
    listed = publisher_api.get(API).get_json()
    assert [p["code"] for p in listed["items"]] == ["publishing.home.top"]


def test_api_updates_join_leave_sizes_formats_and_exclusions(publisher_api: Any) -> None:
    pid = publisher_api.post(API, json={"kind": "slot", "code": "publishing.article.aside"})
    pid = pid.get_json()["id"]
    url = f"{API}/{pid}"
    changed = publisher_api.patch(
        url,
        json={"active": False, "formats": ["native"], "excluded_categories": ["politics"]},
    )
    assert changed.status_code == 200
    body = changed.get_json()
    assert body["active"] is False and body["formats"] == ["native"]
    assert body["excluded_categories"] == ["politics"]
    assert body["sizes"] == ["300x250", "300x600"]  # untouched
    refused = publisher_api.patch(url, json={"sizes": ["970x250"]})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "invalid_sizes"
    assert refused.get_json()["error"]["details"]["allowed"] == ["300x250", "300x600"]
    unknown = publisher_api.patch(url, json={"excluded_categories": ["weapons"]})
    assert unknown.get_json()["error"]["code"] == "invalid_categories"
    named = publisher_api.patch(url, json={"name": "Mine"})
    assert named.get_json()["error"]["code"] == "not_external"
    assert publisher_api.patch(url, json={"active": True}).get_json()["active"] is True


def test_api_refuses_a_place_of_a_module_that_is_off(advertiser_api: Any) -> None:
    response = advertiser_api.post(
        "/api/v1/workspaces/atlas-telecom/ads/placements",
        json={"kind": "slot", "code": "publishing.article.aside"},
    )
    assert response.status_code == 404


def test_another_workspace_cannot_read_or_change_a_placement(
    publisher_api: Any, advertiser_api: Any
) -> None:
    pid = publisher_api.post(API, json={"kind": "slot", "code": "publishing.home.top"})
    pid = pid.get_json()["id"]
    other = f"/api/v1/workspaces/atlas-telecom/ads/placements/{pid}"
    assert advertiser_api.get(other).status_code == 404
    assert advertiser_api.patch(other, json={"active": False}).status_code == 404
    assert publisher_api.get(f"{API}/{pid}").get_json()["active"] is True


def test_editors_manage_placements_and_advertisers_do_not(
    client: Any, publisher: Any, make_user: Any
) -> None:
    from ent_core.testing import add_member, sign_in

    editor, buyer = make_user("redac@matin-tech.ma"), make_user("achat@matin-tech.ma")
    add_member(publisher, editor, "editor")
    add_member(publisher, buyer, "advertiser")
    assert sign_in(client, editor).get(PAGE).status_code == 200
    assert sign_in(client, buyer).get(PAGE).status_code == 403


def test_the_openapi_document_lists_the_placements_and_stats(client: Any, app_ctx: Any) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    root = "/api/v1/workspaces/{workspace}/ads"
    assert {"get", "post"} <= set(paths[f"{root}/placements"])
    assert "patch" in paths[f"{root}/placements/{{placement_id}}"]
    stats = paths[f"{root}/campaigns/{{campaign_id}}/stats"]["get"]
    assert {p["name"] for p in stats["parameters"]} >= {"from", "to", "by"}
    assert "get" in paths[f"{root}/placements/{{placement_id}}/stats"]
