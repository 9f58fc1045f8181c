"""Revision history: one revision per save, a readable (escaped) diff, restore."""

from __future__ import annotations

from publishing_newsroom_kit import ARTICLES, PAGES


def _revisions(api, article_id):
    return api.get(f"{ARTICLES}/{article_id}/revisions").json["items"]


def test_each_change_writes_a_revision_and_no_change_writes_none(staff, write, make_api_client):
    api = make_api_client(staff["editor"])
    article = write(staff["editor"], "Version 1", body="Premier jet.")
    api.patch(f"{ARTICLES}/{article['id']}", json={"body": "Second jet."})
    api.patch(f"{ARTICLES}/{article['id']}", json={"body": "Second jet."})
    revs = _revisions(api, article["id"])
    assert [r["number"] for r in revs] == [2, 1]
    assert [r["reason"] for r in revs] == ["save", "create"]
    assert "-Premier jet.\n+Second jet." in revs[0]["changes"]["body"]
    assert set(revs[0]["changes"]) == {"body"}


def test_restore_brings_back_the_old_text_as_a_new_revision(staff, write, make_api_client):
    api = make_api_client(staff["editor"])
    article = write(staff["editor"], "Titre d'origine", body="Texte d'origine.")
    api.patch(f"{ARTICLES}/{article['id']}", json={"title": "Titre raté", "body": "Raté."})
    first = _revisions(api, article["id"])[-1]
    resp = api.post(f"{ARTICLES}/{article['id']}/revisions/{first['id']}/restore")
    assert resp.status_code == 200
    assert (resp.json["title"], resp.json["body"]) == ("Titre d'origine", "Texte d'origine.")
    revs = _revisions(api, article["id"])
    assert [r["reason"] for r in revs] == ["restore", "save", "create"]


def test_restore_from_the_history_page(staff, write, make_api_client, web):
    api = make_api_client(staff["editor"])
    article = write(staff["editor"], "Avant", body="Ancien.")
    api.patch(f"{ARTICLES}/{article['id']}", json={"body": "Nouveau."})
    page = web(staff["editor"])
    history = page.get(f"{PAGES}/articles/{article['id']}/history")
    assert history.status_code == 200
    first = _revisions(api, article["id"])[-1]
    resp = page.post(f"{PAGES}/articles/{article['id']}/revisions/{first['id']}/restore")
    assert resp.status_code == 302
    assert api.get(f"{ARTICLES}/{article['id']}").json["body"] == "Ancien."


def test_the_diff_page_shows_changes_escaped(staff, write, make_api_client, web):
    api = make_api_client(staff["editor"])
    article = write(staff["editor"], "Sûr", body="Texte sain.", body_format="html")
    api.patch(f"{ARTICLES}/{article['id']}", json={"body": "<script>alert(1)</script>Piège"})
    latest = _revisions(api, article["id"])[0]
    html = (
        web(staff["editor"])
        .get(f"{PAGES}/articles/{article['id']}/revisions/{latest['id']}")
        .get_data(as_text=True)
    )
    assert "sain." in html  # the old side
    assert "&lt;" in html and "Piège" in html  # the new side, as text
    assert "<script>alert(1)" not in html
    current = web(staff["editor"]).get(
        f"{PAGES}/articles/{article['id']}/revisions/{latest['id']}?against=current"
    )
    assert current.status_code == 200


def test_a_revision_of_another_article_is_404(staff, write, make_api_client, web):
    api = make_api_client(staff["editor"])
    one = write(staff["editor"], "Un")
    two = write(staff["editor"], "Deux")
    rev_of_two = _revisions(api, two["id"])[0]
    url = f"{PAGES}/articles/{one['id']}/revisions/{rev_of_two['id']}"
    assert web(staff["editor"]).get(url).status_code == 404
    assert (
        api.post(f"{ARTICLES}/{one['id']}/revisions/{rev_of_two['id']}/restore").status_code == 404
    )


def test_a_contributor_cannot_restore_others_articles(staff, write, make_api_client):
    article = write(staff["editor"], "Rédaction")
    first = _revisions(make_api_client(staff["editor"]), article["id"])[0]
    resp = make_api_client(staff["contributor"]).post(
        f"{ARTICLES}/{article['id']}/revisions/{first['id']}/restore"
    )
    assert resp.status_code == 403
