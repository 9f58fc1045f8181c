"""External placements (member sites hosted elsewhere) and their copy-paste tags; the
publishing home page's place."""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

from ent_plugins.ads.models import AdPlacement

from ent_core import sdk

NEW = "/w/matin-tech/ads/placements/external/new?lang=en"
API = "/api/v1/workspaces/matin-tech/ads/placements"


def _only_external() -> AdPlacement:
    with sdk.all_workspaces():
        rows = sdk.db.session.scalars(
            sdk.db.select(AdPlacement).where(AdPlacement.kind == "external")
        ).all()
    assert len(rows) == 1
    return rows[0]


def test_an_external_placement_shows_both_tags(signed_in_client: Any, publisher: Any) -> None:
    response = signed_in_client.post(
        NEW,
        data={
            "name": "Blog de la rédaction",
            "site_url": "https://blog.matin-tech.ma/",
            "size": "300x250",
            "formats": ["image", "html5"],
            "excluded_categories": ["gambling"],
            "active": "y",
        },
    )
    assert response.status_code == 303
    row = _only_external()
    assert row.code == "external.1" and row.active
    assert row.sizes == ["300x250"] and row.formats == ["image", "html5"]
    assert row.public_id != str(row.id) and len(row.public_id) >= 16
    page = signed_in_client.get(response.headers["Location"]).get_data(as_text=True)
    text = htmllib.unescape(page)
    base = "http://localhost"
    assert (
        f'<script async src="{base}/ads/tag.js" data-ent-placement="{row.public_id}" '
        'data-size="300x250"></script>'
    ) in text
    assert re.search(
        rf'<iframe src="{base}/ads/frame/{row.public_id}\?size=300x250" width="300" '
        r'height="250" title="[^"]+"',
        text,
    )
    assert "<textarea" in page and "<script async" not in page  # shown as text, not run


def test_a_site_address_must_be_http(signed_in_client: Any, publisher: Any) -> None:
    response = signed_in_client.post(
        NEW, data={"name": "X", "site_url": "javascript:alert(1)", "size": "300x250"}
    )
    assert response.status_code == 422
    with sdk.all_workspaces():
        assert sdk.db.session.scalar(sdk.db.select(AdPlacement.id)) is None


def test_the_api_creates_an_external_placement_with_its_tags(
    make_api_client: Any, publisher: Any, user: Any
) -> None:
    api = make_api_client(user)
    response = api.post(
        API,
        json={
            "kind": "external",
            "name": "Site partenaire",
            "site_url": "https://partenaire.ma",
            "size": "728x90",
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["kind"] == "external" and body["code"] == "external.1"
    assert body["sizes"] == ["728x90"] and body["formats"] == list(sdk.AD_FORMATS)
    pid = body["public_id"]
    assert f'data-ent-placement="{pid}" data-size="728x90"' in body["tags"]["script"]
    assert f'/ads/frame/{pid}?size=728x90" width="728" height="90"' in body["tags"]["iframe"]
    second = api.post(
        API,
        json={"kind": "external", "name": "B", "site_url": "http://b.ma", "size": "320x50"},
    )
    assert second.get_json()["code"] == "external.2"
    two_sizes = api.patch(f"{API}/{body['id']}", json={"sizes": ["728x90", "320x50"]})
    assert two_sizes.get_json()["error"]["code"] == "invalid_sizes"
    missing = api.post(API, json={"kind": "external", "name": "C", "size": "728x90"})
    assert missing.status_code == 422
    assert "site_url" in missing.get_json()["error"]["details"]["fields"]


def test_publishing_declares_its_home_page_place(app_ctx: Any) -> None:
    slot = sdk.ad_slots()["publishing.home.top"]
    assert slot.platform is False and slot.slot == "publishing.home.top"
    assert set(slot.sizes) == {"728x90", "970x250", "320x50"}


def test_the_home_page_place_draws_nothing_when_no_ad_fills_it(client: Any, publisher: Any) -> None:
    html = client.get("/s/matin-tech/publishing/").get_data(as_text=True)
    assert 'id="latest-title"' in html
    assert "publishing-home-top" not in html
