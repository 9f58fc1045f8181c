"""The newsroom API: CRUD, pagination, public url, comments, authors, tenancy."""

from __future__ import annotations

from publishing_newsroom_kit import ARTICLES

AUTHORS = "/api/v1/workspaces/acme/publishing/authors"


def test_create_read_update_delete(staff, make_api_client):
    api = make_api_client(staff["editor"])
    created = api.post(
        ARTICLES,
        json={"title": "Nouvelle loi", "body": "*Important*", "sectors": ["it", "green"],
              "tags": ["Loi"], "language": "fr", "seo_title": "Loi numérique"},
    )  # fmt: skip
    assert created.status_code == 201
    article = created.json
    assert article["url"].startswith("http")
    assert article["url"].endswith(f"/s/acme/publishing/articles/{article['slug']}")
    assert article["body_html"] == "<p><em>Important</em></p>\n"
    assert article["sectors"] == ["green", "it"]

    got = api.get(f"{ARTICLES}/{article['id']}").json
    assert got["seo_title"] == "Loi numérique"
    patched = api.patch(f"{ARTICLES}/{article['id']}", json={"standfirst": "En bref."}).json
    assert patched["standfirst"] == "En bref."
    assert patched["title"] == "Nouvelle loi"

    assert api.delete(f"{ARTICLES}/{article['id']}").status_code == 204
    assert api.get(f"{ARTICLES}/{article['id']}").status_code == 404


def test_invalid_input_names_the_field(staff, make_api_client):
    api = make_api_client(staff["editor"])
    resp = api.post(ARTICLES, json={"title": "x", "language": "de"})
    assert resp.status_code == 422
    assert "language" in resp.json["error"]["details"]["fields"]
    resp = api.post(ARTICLES, json={"title": "x", "canonical_url": "javascript:alert(1)"})
    assert resp.status_code == 422
    assert "canonical_url" in resp.json["error"]["details"]["fields"]
    resp = api.post(ARTICLES, json={"title": "x", "slug": "Pas Bon"})
    assert "slug" in resp.json["error"]["details"]["fields"]
    assert api.post(ARTICLES, json={"title": "x", "unknown": 1}).status_code == 422


def test_slugs_are_unique_in_the_workspace(staff, make_api_client):
    api = make_api_client(staff["editor"])
    first = api.post(ARTICLES, json={"title": "Même titre"}).json
    second = api.post(ARTICLES, json={"title": "Même titre"}).json
    assert (first["slug"], second["slug"]) == ("meme-titre", "meme-titre-2")
    taken = api.patch(f"{ARTICLES}/{second['id']}", json={"slug": "meme-titre"})
    assert taken.status_code == 422


def test_the_list_is_paginated_and_filtered(staff, make_api_client):
    api = make_api_client(staff["editor"])
    ids = [api.post(ARTICLES, json={"title": f"Article {n}"}).json["id"] for n in range(5)]
    api.post(f"{ARTICLES}/{ids[0]}/transitions", json={"transition": "publish"})
    page = api.get(f"{ARTICLES}?limit=2").json
    seen = [a["id"] for a in page["items"]]
    while page["next_cursor"]:
        page = api.get(f"{ARTICLES}?limit=2&cursor={page['next_cursor']}").json
        seen += [a["id"] for a in page["items"]]
    assert seen == ids
    published = api.get(f"{ARTICLES}?publication_state=published").json["items"]
    assert [a["id"] for a in published] == [ids[0]]


def test_members_read_but_do_not_write(staff, make_api_client, write):
    member = make_api_client(staff["member"])
    write(staff["editor"])
    assert member.get(ARTICLES).status_code == 200
    resp = member.post(ARTICLES, json={"title": "Non"})
    assert resp.status_code == 403
    assert resp.json["error"]["code"] == "forbidden"


def test_only_editors_syndicate(staff, make_api_client, write, audit_actions):
    article = write(staff["author"])
    author = make_api_client(staff["author"])
    assert author.patch(f"{ARTICLES}/{article['id']}", json={"syndicated": True}).status_code == 422
    editor = make_api_client(staff["editor"])
    resp = editor.patch(f"{ARTICLES}/{article['id']}", json={"syndicated": True})
    assert resp.json["syndicated"] is True
    assert "publishing.article.syndicated" in audit_actions(f"article:{article['id']}")


def test_comments_through_the_api(staff, make_api_client, write):
    article = write(staff["contributor"])
    editor = make_api_client(staff["editor"])
    resp = editor.post(f"{ARTICLES}/{article['id']}/comments", json={"body": "Source ?"})
    assert resp.status_code == 201
    items = (
        make_api_client(staff["contributor"])
        .get(f"{ARTICLES}/{article['id']}/comments")
        .json["items"]
    )
    assert [(c["body"], c["user"]) for c in items] == [("Source ?", "Editor")]


def test_published_articles_are_not_deleted(staff, make_api_client, write):
    api = make_api_client(staff["editor"])
    article = write(staff["editor"])
    api.post(f"{ARTICLES}/{article['id']}/transitions", json={"transition": "publish"})
    assert api.delete(f"{ARTICLES}/{article['id']}").status_code == 409


def test_authors_api(staff, make_api_client, write):
    editor = make_api_client(staff["editor"])
    resp = editor.post(
        AUTHORS,
        json={"name": "Guest Writer", "bio": "Freelance.",
              "links": [{"label": "Site", "url": "https://guest.example.ma"}]},
    )  # fmt: skip
    assert resp.status_code == 201
    guest = resp.json
    article = write(staff["editor"], "Tribune", author_ids=[guest["id"]])
    assert [a["name"] for a in article["authors"]] == ["Guest Writer"]
    assert (
        make_api_client(staff["contributor"]).post(AUTHORS, json={"name": "X"}).status_code == 403
    )
    bad = editor.post(AUTHORS, json={"name": "X", "links": [{"url": "javascript:1"}]})
    assert bad.status_code == 422


def test_another_workspaces_articles_are_404(staff, make_api_client, make_user, make_workspace):
    stranger = make_user("stranger@example.ma")
    make_workspace("other", owner=stranger, plugins=("publishing",))
    theirs = (
        make_api_client(stranger)
        .post("/api/v1/workspaces/other/publishing/articles", json={"title": "Secret"})
        .json
    )
    editor = make_api_client(staff["editor"])
    assert editor.get(f"{ARTICLES}/{theirs['id']}").status_code == 404
    assert (
        editor.post(
            f"{ARTICLES}/{theirs['id']}/transitions", json={"transition": "publish"}
        ).status_code
        == 404
    )
    assert editor.patch(f"{ARTICLES}/{theirs['id']}", json={"title": "x"}).status_code == 404
    assert editor.get(f"{ARTICLES}/{theirs['id']}/revisions").status_code == 404
    assert editor.get(ARTICLES).json["items"] == []
    # An author of another workspace cannot sign an article here.
    other_author = (
        make_api_client(stranger)
        .get("/api/v1/workspaces/other/publishing/authors")
        .json["items"][0]
    )
    resp = editor.post(ARTICLES, json={"title": "x", "author_ids": [other_author["id"]]})
    assert resp.status_code == 422


def test_the_newsroom_is_404_where_publishing_is_off(make_workspace, api_client, signed_in_client):
    make_workspace("acme")
    assert api_client.get(ARTICLES).status_code == 404
    assert signed_in_client.get("/w/acme/publishing/").status_code == 404


def test_every_newsroom_route_answers_404_for_another_workspaces_ids(
    app, staff, make_user, make_workspace, make_api_client, web
):
    import re

    stranger = make_user("stranger@example.ma")
    make_workspace("other", owner=stranger, plugins=("publishing",))
    theirs = (
        make_api_client(stranger)
        .post("/api/v1/workspaces/other/publishing/articles", json={"title": "Secret"})
        .json
    )
    their_rev = (
        make_api_client(stranger)
        .get(f"/api/v1/workspaces/other/publishing/articles/{theirs['id']}/revisions")
        .json["items"][0]
    )
    values = {
        "article_id": theirs["id"],
        "revision_id": their_rev["id"],
        "author_id": theirs["authors"][0]["id"],
        "width": 480,
    }
    editor_web = web(staff["owner"])
    editor_api = make_api_client(staff["owner"])
    probed, leaks = 0, []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in ("publishing", "publishing_api"):
            continue
        if not {"article_id", "author_id"} & set(rule.arguments):
            continue
        url = rule.rule.replace("<workspace>", "acme")
        for name, value in values.items():
            url = re.sub(rf"<(?:int:)?{name}>", str(value), url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.endpoint.startswith("publishing_api."):
                resp = editor_api.open(method, url, json={})
            else:
                resp = editor_web.open(url, method=method, data={})
            probed += 1
            if resp.status_code != 404:
                leaks.append(f"{method} {url} -> {resp.status_code}")
    assert probed >= 20
    assert not leaks, leaks


def test_a_cover_through_the_api(staff, make_api_client, write):
    from ent_core.testing import sample_image, sample_pdf

    editor = make_api_client(staff["editor"])
    article = write(staff["editor"])
    url = f"{ARTICLES}/{article['id']}/cover"
    png = sample_image("PNG", (1000, 500))
    missing_alt = editor.client.put(
        url, data=png, content_type="image/png", headers={"Authorization": f"Bearer {editor.token}"}
    )
    assert missing_alt.status_code == 422
    ok = editor.client.put(
        f"{url}?alt=Un%20graphique", data=png, content_type="image/png",
        headers={"Authorization": f"Bearer {editor.token}"},
    )  # fmt: skip
    assert ok.status_code == 200, ok.json
    assert ok.json["has_cover"] and ok.json["cover_alt"] == "Un graphique"
    refused = editor.client.put(
        f"{url}?alt=x", data=sample_pdf(), content_type="image/png",
        headers={"Authorization": f"Bearer {editor.token}"},
    )  # fmt: skip
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "upload_rejected"


def test_workspace_settings_set_the_language_and_the_lock(staff, make_api_client, web):
    import re
    from datetime import datetime

    owner = make_api_client(staff["owner"])
    resp = owner.put(
        "/api/v1/workspaces/acme/plugins/publishing",
        json={"default_language": "ar", "lock_minutes": 5},
    )
    assert resp.status_code == 200, resp.json
    article = owner.post(ARTICLES, json={"title": "بلا لغة محددة"}).json
    assert article["language"] == "ar"
    form = web(staff["editor"]).get("/w/acme/publishing/articles/new").get_data(as_text=True)
    assert re.search(r'<option selected value="ar">', form)
    lock = owner.post(f"{ARTICLES}/{article['id']}/lock").json
    expires = datetime.fromisoformat(lock["expires_at"])
    seconds = (expires - datetime.now(expires.tzinfo)).total_seconds()
    assert 4 * 60 < seconds <= 5 * 60
    bad = owner.put("/api/v1/workspaces/acme/plugins/publishing", json={"lock_minutes": 1})
    assert bad.status_code == 422
    modules = web(staff["owner"]).get("/w/acme/modules/publishing")
    assert modules.status_code == 200
    assert 'name="lock_minutes"' in modules.get_data(as_text=True)
