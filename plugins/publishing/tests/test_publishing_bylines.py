"""Bylines belong to their people: only editors put someone else's name on an article (or take
it off); a writer adds their own profile only. Checked through the editor page and the API."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from publishing_newsroom_kit import ARTICLES, PAGES

from ent_core import sdk

AUTHORS = "/api/v1/workspaces/acme/publishing/authors"
FORM = {"title": "Tribune libre", "body": "Un texte.", "body_format": "markdown", "language": "fr"}
REFUSED_ADD = "ajoutez seulement votre propre profil"  # the French message, shown by default
BADGE = sdk.ProfileBadge("Journaliste vérifiée", "https://ent.example/c/1", "CIME")


@pytest.fixture
def profiles(staff: dict[str, Any], make_api_client: Any) -> dict[str, int]:
    """Author profile ids: the owner's (made by an editor, as the authors page does) and a
    guest writer's, without an account."""
    editor = make_api_client(staff["editor"])
    owner = editor.post(AUTHORS, json={"name": "Amina Owner", "user_id": staff["owner"].id})
    guest = editor.post(AUTHORS, json={"name": "Plume Invitée"})
    assert owner.status_code == guest.status_code == 201
    return {"owner": owner.json["id"], "guest": guest.json["id"]}


def _refused(resp: Any) -> None:
    """The API's refusal: 403 with a stable code, naming the field."""
    assert resp.status_code == 403, resp.json
    assert resp.json["error"]["code"] == "byline_forbidden"
    assert list(resp.json["error"]["details"]["fields"]) == ["author_ids"]


def _names(article: dict[str, Any]) -> list[str]:
    return [a["name"] for a in article["authors"]]


@pytest.mark.parametrize("role", ["contributor", "author"])
def test_a_writer_cannot_create_an_article_bylined_to_the_owner(
    role, staff, profiles, web, make_api_client
):
    """Before: 201/302, an article bylined only to the owner, written by someone else."""
    api = make_api_client(staff[role])

    _refused(api.post(ARTICLES, json={"title": "x", "author_ids": [profiles["owner"]]}))
    resp = web(staff[role]).post(
        f"{PAGES}/articles/new", data={**FORM, "authors": [profiles["owner"]]}
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    errors = html[html.index('id="authors-errors"') :]  # the message stands by the field
    assert REFUSED_ADD in errors[: errors.index("</ul>")]
    assert FORM["body"] in html  # nothing typed is lost

    assert make_api_client(staff["editor"]).get(ARTICLES).json["items"] == []


@pytest.mark.parametrize("role", ["contributor", "author"])
def test_a_writer_cannot_swap_or_add_the_owner_on_their_article(
    role, staff, profiles, write, web, make_api_client
):
    api = make_api_client(staff[role])
    mine = write(staff[role])
    own = mine["authors"][0]["id"]
    url = f"{ARTICLES}/{mine['id']}"

    _refused(api.patch(url, json={"author_ids": [profiles["owner"]]}))
    _refused(api.patch(url, json={"author_ids": [own, profiles["owner"]]}))
    _refused(api.patch(url, json={"author_ids": [own, profiles["guest"]]}))
    resp = web(staff[role]).post(
        f"{PAGES}/articles/{mine['id']}/edit", data={**FORM, "authors": [profiles["owner"]]}
    )
    assert resp.status_code == 422 and REFUSED_ADD in resp.get_data(as_text=True)

    assert _names(api.get(url).json) == [staff[role].display_name]


def test_a_writer_keeps_their_place_and_leaves_others_to_editors(
    staff, profiles, write, make_api_client
):
    contributor = make_api_client(staff["contributor"])
    editor = make_api_client(staff["editor"])
    mine = write(staff["contributor"])
    own = mine["authors"][0]["id"]
    url = f"{ARTICLES}/{mine['id']}"

    def byline(api: Any, author_ids: list[int]) -> Any:
        """Save the byline, then leave the editor (a save takes the edit lock)."""
        resp = api.patch(url, json={"author_ids": author_ids})
        api.delete(f"{url}/lock")
        return resp

    assert byline(editor, [own, profiles["guest"]]).status_code == 200

    assert byline(contributor, [profiles["guest"], own]).status_code == 200  # order is theirs
    _refused(byline(contributor, [own]))  # the guest stays
    _refused(byline(contributor, [profiles["guest"]]))  # and so does the writer
    assert _names(contributor.get(url).json) == ["Plume Invitée", "Contributor"]

    # An editor may take the writer's name off; the writer may put it back, and only theirs.
    assert byline(editor, [profiles["guest"]]).status_code == 200
    back = byline(contributor, [profiles["guest"], own])
    assert back.status_code == 200 and _names(back.json) == ["Plume Invitée", "Contributor"]


def test_an_editor_may_byline_others(staff, profiles, write, make_api_client):
    editor = make_api_client(staff["editor"])

    created = editor.post(ARTICLES, json={"title": "x", "author_ids": [profiles["owner"]]})
    assert created.status_code == 201 and _names(created.json) == ["Amina Owner"]
    theirs = write(staff["contributor"])
    patched = editor.patch(
        f"{ARTICLES}/{theirs['id']}", json={"author_ids": [profiles["guest"], profiles["owner"]]}
    )
    assert patched.status_code == 200
    assert _names(patched.json) == ["Plume Invitée", "Amina Owner"]


def test_the_owners_badges_never_stand_on_a_byline_they_did_not_attach(
    staff, profiles, client, make_api_client
):
    """An author tries to borrow the owner's byline, then publishes their own article without
    review: the public page carries neither the owner's name nor the owner's badges."""
    author = make_api_client(staff["author"])
    owner = make_api_client(staff["owner"])
    _refused(author.post(ARTICLES, json={"title": "Emprunt", "author_ids": [profiles["owner"]]}))
    borrowed = author.post(ARTICLES, json={"title": "Emprunt"}).json
    signed = owner.post(ARTICLES, json={"title": "Signé", "author_ids": [profiles["owner"]]}).json
    for article, api in ((borrowed, author), (signed, owner)):
        resp = api.post(f"{ARTICLES}/{article['id']}/transitions", json={"transition": "publish"})
        assert resp.status_code == 200, resp.json

    def badges(user: Any) -> list[Any]:
        return [BADGE] if user is not None and user.id == staff["owner"].id else []

    with mock.patch.object(sdk, "profile_badges", side_effect=badges):
        borrowed_page = client.get(borrowed["url"]).get_data(as_text=True)
        signed_page = client.get(signed["url"]).get_data(as_text=True)
    assert "Emprunt" in borrowed_page and "Author" in borrowed_page
    assert "Amina Owner" not in borrowed_page and BADGE.label not in borrowed_page
    assert BADGE.label in signed_page  # attached by the owner: shown


def test_restoring_a_revision_follows_the_same_rule(staff, profiles, write, make_api_client):
    """A writer restoring their first revision would take off the guest an editor added."""
    contributor = make_api_client(staff["contributor"])
    editor = make_api_client(staff["editor"])
    mine = write(staff["contributor"])
    url = f"{ARTICLES}/{mine['id']}"
    own = mine["authors"][0]["id"]
    assert editor.patch(url, json={"author_ids": [own, profiles["guest"]]}).status_code == 200
    editor.delete(f"{url}/lock")
    first = contributor.get(f"{url}/revisions").json["items"][-1]

    _refused(contributor.post(f"{url}/revisions/{first['id']}/restore"))
    assert editor.post(f"{url}/revisions/{first['id']}/restore").status_code == 200
