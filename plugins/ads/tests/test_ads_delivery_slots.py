"""The slots' markup: an empty, labelled box and ads.js where the page's workspace (or, on
the portal, the régie) has an active placement; nothing where it has none or where the ads
module is off, and no decision either (docs/ads.md, "Delivery")."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from ent_plugins.ads.models import AdPlacement
from ent_plugins.ads.tests.delivery_kit import HEADERS, campaign, placement
from ent_plugins.ads.tests.test_ads_delivery_serve import totals

from ent_core import sdk
from ent_core.testing import operator_settings

ARTICLES = "/api/v1/workspaces/matin-tech/publishing/articles"


@pytest.fixture
def article_path(api_client: Any, publisher: Any) -> str:
    created = api_client.post(
        ARTICLES,
        json={"title": "Le cloud marocain", "body": "Texte.", "language": "fr",
              "tags": ["Cloud", "Data"]},
    )  # fmt: skip
    assert created.status_code == 201, created.json
    article = created.json
    published = api_client.post(
        f"{ARTICLES}/{article['id']}/transitions", json={"transition": "publish"}
    )
    assert published.status_code == 200, published.json
    return urlsplit(published.json["url"]).path


def test_an_article_page_carries_the_box_with_its_context_and_the_script(
    client: Any, publisher: Any, article_path: str
) -> None:
    placement(publisher, sizes=("300x250", "300x600"))
    first = client.get(article_path + "?lang=fr").get_data(as_text=True)
    assert 'data-ent-ad="pl-matin-aside"' in first
    assert 'data-sizes="300x250 300x600"' in first
    assert 'data-sector="it"' in first
    assert 'data-tags="cloud,data"' in first
    assert 'data-lang="fr"' in first
    assert 'data-label="Publicité"' in first
    assert "/static/plugins/ads/ads/ads.js?v=" in first
    second = client.get(article_path + "?lang=fr").get_data(as_text=True)
    assert first == second  # no decision while rendering: the page stays cacheable


def test_no_placement_or_an_inactive_one_renders_nothing(
    client: Any, publisher: Any, article_path: str
) -> None:
    assert "data-ent-ad" not in client.get(article_path).get_data(as_text=True)
    row = placement(publisher)
    with sdk.all_workspaces():
        sdk.db.session.get(AdPlacement, row.id).active = False
        sdk.db.session.commit()
    assert "data-ent-ad" not in client.get(article_path).get_data(as_text=True)


def test_with_the_ads_module_off_the_slot_renders_nothing_and_decisions_answer_204(
    client: Any, api_client: Any, publisher: Any, advertiser: Any, article_path: str
) -> None:
    placement(publisher)
    campaign(advertiser)
    decide = "/ads/d?p=pl-matin-aside&s=300x250"
    assert client.get(decide, headers=HEADERS).status_code == 200
    assert api_client.delete("/api/v1/workspaces/matin-tech/plugins/ads").status_code == 204
    assert "data-ent-ad" not in client.get(article_path).get_data(as_text=True)
    assert client.get(decide, headers=HEADERS).status_code == 204
    assert totals()["p_requests"] == 1  # only the decision made while it was on


def test_the_portal_shows_the_regies_placements_with_a_stable_etag(
    client: Any, make_workspace: Any
) -> None:
    regie = make_workspace("regie-smart", name="Régie Smart Médias", plugins=("ads",))
    sdk.db.session.commit()
    placement(regie, code="portal.sidebar", public_id="pl-portal-side", sizes=("300x600",))
    assert "data-ent-ad" not in client.get("/portal/").get_data(as_text=True)
    with operator_settings("ads", regie_workspace="regie-smart"):
        first = client.get("/portal/it/")
        page = first.get_data(as_text=True)
        assert 'data-ent-ad="pl-portal-side"' in page
        assert 'data-sector="it"' in page
        again = client.get("/portal/it/", headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
    with operator_settings("ads", regie_workspace="no-such-regie"):
        assert "data-ent-ad" not in client.get("/portal/").get_data(as_text=True)
