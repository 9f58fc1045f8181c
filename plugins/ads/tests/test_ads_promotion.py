""" "Promote this": publishing announces ``article.promotion_requested`` and the ads module
turns it into a draft campaign; the button shows only where someone listens."""

from __future__ import annotations

from typing import Any

import pytest

from ent_core.testing import enable, sample_image

pytestmark = pytest.mark.frozen_clock
ARTICLES = "/api/v1/workspaces/{slug}/publishing/articles"


def _published(api: Any, slug: str = "matin-tech", cover: bool = True) -> dict[str, Any]:
    base = ARTICLES.format(slug=slug)
    article = api.post(
        base,
        json={
            "title": "La 5G arrive à Casablanca",
            "body": "Les opérateurs ouvrent leurs réseaux cet été. " * 5,
            "seo_description": "Ce que la 5G change pour les entreprises de Casablanca.",
        },
    ).json
    if cover:
        resp = api.put(
            f"{base}/{article['id']}/cover?alt=Antenne",
            data=sample_image("PNG", (1200, 630)),
            headers={"Content-Type": "image/png"},
        )
        assert resp.status_code == 200, resp.json
    resp = api.post(f"{base}/{article['id']}/transitions", json={"transition": "publish"})
    assert resp.status_code == 200, resp.json
    return resp.json  # type: ignore[no-any-return]


@pytest.fixture
def newsroom_api(make_api_client: Any, publisher: Any, user: Any) -> Any:
    return make_api_client(user)


def test_event_article_promotion_requested(
    signed_in_client: Any, newsroom_api: Any, publisher: Any, event_listener: Any
) -> None:
    enable(publisher, "listener")
    article = _published(newsroom_api)
    resp = signed_in_client.post(f"/w/matin-tech/publishing/articles/{article['id']}/promote")
    assert resp.status_code == 303
    heard = event_listener.heard("article.promotion_requested")
    assert [h.when for h in heard] == ["in_transaction", "after_commit"]
    payload = heard[0].payload
    assert payload["article_id"] == article["id"]
    assert payload["title"] == "La 5G arrive à Casablanca"
    assert payload["url"] == article["url"]
    assert payload["summary"].startswith("Ce que la 5G change")
    assert payload["image_url"].startswith("http")
    assert payload["image_key"]
    assert payload["requested_by"] > 0


def test_promoting_drafts_one_campaign_with_a_native_creative(
    signed_in_client: Any, newsroom_api: Any, make_api_client: Any, user: Any
) -> None:
    article = _published(newsroom_api)
    page = signed_in_client.get(f"/w/matin-tech/publishing/articles/{article['id']}?lang=en")
    assert "Promote this article" in page.get_data(as_text=True)
    for _ in range(2):  # a second click while the draft waits adds nothing
        resp = signed_in_client.post(
            f"/w/matin-tech/publishing/articles/{article['id']}/promote?lang=en"
        )
        assert resp.status_code == 303
    flashed = signed_in_client.get(resp.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "under Advertising" in flashed

    campaigns = make_api_client(user).get("/api/v1/workspaces/matin-tech/ads/campaigns").json
    (campaign,) = campaigns["items"]
    assert campaign["status"] == "draft"
    assert campaign["name"] == "La 5G arrive à Casablanca"
    assert campaign["landing_url"] == article["url"]
    assert campaign["source"] == f"publishing:article:{article['id']}"
    (creative,) = campaign["creatives"]
    assert creative["format"] == "native"
    assert creative["headline"] == "La 5G arrive à Casablanca"
    assert creative["body"].startswith("Ce que la 5G change")
    assert creative["url"] is not None  # the cover, copied


def test_without_a_cover_the_text_ad_has_no_picture(
    signed_in_client: Any, newsroom_api: Any, make_api_client: Any, user: Any
) -> None:
    article = _published(newsroom_api, cover=False)
    signed_in_client.post(f"/w/matin-tech/publishing/articles/{article['id']}/promote")
    (campaign,) = (
        make_api_client(user).get("/api/v1/workspaces/matin-tech/ads/campaigns").json["items"]
    )
    assert campaign["creatives"][0]["url"] is None


def test_no_button_where_nobody_listens(
    signed_in_client: Any, make_workspace: Any, make_api_client: Any, user: Any
) -> None:
    make_workspace("sans-pub", plugins=("publishing",))
    article = _published(make_api_client(user), slug="sans-pub", cover=False)
    page = signed_in_client.get(f"/w/sans-pub/publishing/articles/{article['id']}?lang=en")
    assert "Promote this article" not in page.get_data(as_text=True)
    resp = signed_in_client.post(f"/w/sans-pub/publishing/articles/{article['id']}/promote")
    assert resp.status_code == 404


def test_a_draft_article_cannot_be_promoted(
    signed_in_client: Any, newsroom_api: Any, publisher: Any
) -> None:
    draft = newsroom_api.post(ARTICLES.format(slug="matin-tech"), json={"title": "Brouillon"}).json
    resp = signed_in_client.post(f"/w/matin-tech/publishing/articles/{draft['id']}/promote")
    assert resp.status_code == 404
