"""The read-only public content API: published articles only, cacheable, with an ETag."""

from __future__ import annotations

from ent_core.testing import enable

API = "/s/acme/publishing/api/articles"


def test_lists_published_articles_only(client, site, make_article, make_author):
    make_article(
        site,
        "Publié",
        slug="pub",
        authors=[make_author(site, "Salma Bennani")],
        tags=["Cloud"],
        sectors=("it",),
        standfirst="Chapeau",
    )
    make_article(site, "Brouillon", slug="draft", state="unpublished")
    make_article(site, "Retiré", slug="gone", state="withdrawn")
    response = client.get(API)
    assert response.status_code == 200
    body = response.get_json()
    assert [a["title"] for a in body["items"]] == ["Publié"]
    item = body["items"][0]
    assert item["url"] == "http://localhost/s/acme/publishing/articles/pub"
    assert item["authors"][0]["name"] == "Salma Bennani"
    assert item["tags"] == [{"name": "Cloud", "slug": "cloud"}]
    assert item["sectors"] == ["it"]
    assert item["summary"] == "Chapeau"
    assert "body_html" not in item
    assert body["next_cursor"] is None


def test_one_article_with_its_sanitised_body(client, site, make_article):
    make_article(site, "Publié", slug="pub", body="Du **gras**")
    body = client.get(f"{API}/pub").get_json()
    assert "<p>Du <strong>gras</strong></p>" in body["body_html"]
    assert body["language"] == "fr"


def test_unpublished_articles_are_404_in_json(client, site, make_article):
    make_article(site, "Brouillon", slug="draft", state="unpublished")
    response = client.get(f"{API}/draft")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_pages_with_a_cursor(client, site, make_article):
    for n in range(5):
        make_article(site, f"A{n}")
    first = client.get(f"{API}?limit=2").get_json()
    assert [a["title"] for a in first["items"]] == ["A4", "A3"]
    second = client.get(f"{API}?limit=2&cursor={first['next_cursor']}").get_json()
    assert [a["title"] for a in second["items"]] == ["A2", "A1"]
    assert client.get(f"{API}?cursor=garbage").get_json()["error"]["code"] == "bad_request"
    assert client.get(f"{API}?limit=x").status_code == 422


def test_filters_by_sector(client, site, make_article):
    make_article(site, "Vert", sectors=("green",))
    make_article(site, "Numérique", sectors=("it",))
    titles = [a["title"] for a in client.get(f"{API}?sector=green").get_json()["items"]]
    assert titles == ["Vert"]


def test_cacheable_with_an_etag(client, site, make_article):
    make_article(site, slug="pub")
    first = client.get(f"{API}/pub")
    assert "public" in first.headers["Cache-Control"]
    assert (
        client.get(f"{API}/pub", headers={"If-None-Match": first.headers["ETag"]}).status_code
        == 304
    )


def test_needs_no_token_and_refuses_writes(client, site, make_article):
    make_article(site, slug="pub")
    assert client.get(f"{API}/pub").status_code == 200
    assert client.post(f"{API}/pub", json={}).status_code == 405
    assert client.delete(f"{API}/pub").status_code == 405


def test_404_in_json_where_publishing_is_off(client, make_workspace, make_article):
    ws = make_workspace("acme", plugins=())
    make_article(ws, slug="pub")
    response = client.get(f"{API}/pub")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    enable(ws, "publishing")
    assert client.get(f"{API}/pub").status_code == 200


def test_another_workspaces_articles_stay_out(
    client, site, make_workspace, make_user, make_article
):
    other = make_workspace("other", owner=make_user("o@example.ma"), plugins=("publishing",))
    make_article(other, "Ailleurs", slug="ailleurs")
    assert client.get(f"{API}/ailleurs").status_code == 404
    assert client.get(API).get_json()["items"] == []
