"""The edit lock: one editor at a time, visible, expiring, with an audited override."""

from __future__ import annotations

from datetime import timedelta

from publishing_newsroom_kit import ARTICLES, PAGES

FORM = {"title": "Titre", "body": "Corps", "body_format": "markdown", "language": "fr"}


def test_opening_the_editor_takes_the_lock_and_others_see_it(staff, write, web):
    article = write(staff["author"], "Mon papier")
    author, editor = web(staff["author"]), web(staff["editor"])
    assert author.get(f"{PAGES}/articles/{article['id']}/edit").status_code == 200
    html = editor.get(f"{PAGES}/articles/{article['id']}/edit").get_data(as_text=True)
    assert "Author" in html and "lock-banner" in html
    assert 'class="stack publishing-fields" disabled>' in html
    listing = editor.get(f"{PAGES}/").get_data(as_text=True)
    assert "Author" in listing


def test_a_save_while_someone_else_holds_the_lock_is_refused_and_kept(staff, write, web):
    article = write(staff["author"], "Mon papier")
    web(staff["author"]).get(f"{PAGES}/articles/{article['id']}/edit")
    resp = web(staff["editor"]).post(
        f"{PAGES}/articles/{article['id']}/edit", data={**FORM, "body": "Mon texte précieux"}
    )
    assert resp.status_code == 409
    assert "Mon texte précieux" in resp.get_data(as_text=True)


def test_the_api_answers_409_locked(staff, write, make_api_client):
    article = write(staff["author"], "Mon papier")
    author, editor = make_api_client(staff["author"]), make_api_client(staff["editor"])
    assert author.post(f"{ARTICLES}/{article['id']}/lock").status_code == 200
    resp = editor.patch(f"{ARTICLES}/{article['id']}", json={"title": "Autre"})
    assert resp.status_code == 409
    assert resp.json["error"]["code"] == "locked"
    assert resp.json["error"]["details"]["locked_by"] == "Author"
    assert editor.get(f"{ARTICLES}/{article['id']}").json["locked_by"] == "Author"
    assert author.delete(f"{ARTICLES}/{article['id']}/lock").status_code == 204
    assert editor.patch(f"{ARTICLES}/{article['id']}", json={"title": "Autre"}).status_code == 200


def test_an_editor_overrides_the_lock_and_it_is_audited(
    staff, write, make_api_client, web, audit_actions
):
    article = write(staff["author"], "Mon papier")
    make_api_client(staff["author"]).post(f"{ARTICLES}/{article['id']}/lock")
    resp = web(staff["editor"]).post(
        f"{PAGES}/articles/{article['id']}/lock", data={"action": "override"}
    )
    assert resp.status_code == 302
    assert "publishing.lock.overridden" in audit_actions(f"article:{article['id']}")
    refused = make_api_client(staff["author"]).patch(
        f"{ARTICLES}/{article['id']}", json={"title": "Trop tard"}
    )
    assert refused.status_code == 409


def test_an_author_cannot_override(staff, write, make_api_client):
    article = write(staff["editor"], "Rédaction")
    make_api_client(staff["editor"]).post(f"{ARTICLES}/{article['id']}/lock")
    own = write(staff["author"], "Le mien")
    make_api_client(staff["editor"]).post(f"{ARTICLES}/{own['id']}/lock")
    resp = make_api_client(staff["author"]).post(
        f"{ARTICLES}/{own['id']}/lock", json={"override": True}
    )
    assert resp.status_code == 403


def test_the_lock_expires(staff, write, make_api_client, app_ctx):
    from ent_plugins.publishing.models import Article

    from ent_core import sdk

    article = write(staff["author"], "Mon papier")
    make_api_client(staff["author"]).post(f"{ARTICLES}/{article['id']}/lock")
    with sdk.all_workspaces():
        row = sdk.db.session.get(Article, article["id"])
    row.lock_expires_at = sdk.utcnow() - timedelta(seconds=1)
    sdk.db.session.commit()
    editor = make_api_client(staff["editor"])
    assert editor.get(f"{ARTICLES}/{article['id']}").json["locked_by"] is None
    assert editor.patch(f"{ARTICLES}/{article['id']}", json={"title": "Libre"}).status_code == 200
