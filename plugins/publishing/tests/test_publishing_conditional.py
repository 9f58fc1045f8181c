"""ETag and Last-Modified on public pages and feeds: 304 when unchanged, 200 after a change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ent_core import sdk

BASE = "/s/acme/publishing"
PATHS = (
    "/",
    "/articles/a",
    "/sectors/it/",
    "/feed.atom",
    "/feed.rss",
    "/sitemap.xml",
    "/authors/salma-bennani/",
    "/authors/salma-bennani/feed.atom",
    "/api/articles",
    "/api/articles/a",
)


@pytest.fixture
def article(site, make_article, make_author):
    return make_article(site, "Premier", slug="a", authors=[make_author(site)])


@pytest.mark.parametrize("path", PATHS)
def test_a_repeated_request_with_the_etag_gets_304(client, article, path):
    first = client.get(BASE + path)
    assert first.status_code == 200
    assert first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert "public" in first.headers["Cache-Control"]
    again = client.get(BASE + path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


@pytest.mark.parametrize("path", ("/", "/articles/a", "/feed.atom"))
def test_if_modified_since_gets_304_until_the_article_changes(client, article, path):
    first = client.get(BASE + path)
    since = {"If-Modified-Since": first.headers["Last-Modified"]}
    assert client.get(BASE + path, headers=since).status_code == 304
    article.title = "Premier, corrigé"
    article.updated_at = sdk.utcnow() + timedelta(seconds=5)
    sdk.db.session.commit()
    changed = client.get(BASE + path, headers=since)
    assert changed.status_code == 200
    assert "Premier, corrigé" in changed.get_data(as_text=True)


def test_a_new_article_changes_the_home_etag(client, article, site, make_article):
    etag = client.get(f"{BASE}/").headers["ETag"]
    make_article(site, "Deuxième")
    response = client.get(f"{BASE}/", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Deuxième" in response.get_data(as_text=True)


def test_signed_in_readers_get_private_responses(signed_in_client, article):
    response = signed_in_client.get(f"{BASE}/articles/a")
    assert "private" in response.headers["Cache-Control"]
