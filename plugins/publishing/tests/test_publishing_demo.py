"""Demo data: Le Matin Tech publishes in three sectors and three languages, loaded twice."""

from __future__ import annotations

from ent_plugins.publishing.plugin import ent_demo_data

from ent_core.testing import all_workspaces

ARTICLES = "/api/v1/workspaces/lematin-tech/publishing/articles"


def _load(make_workspace, make_user):
    journalist = make_user("journaliste@demo.ent.ma", name="Salma Journaliste")
    newsroom = make_workspace(
        "lematin-tech", owner=journalist, plugins=("publishing",), sectors=("it",)
    )
    users = {"journaliste@demo.ent.ma": journalist}
    with all_workspaces():  # as `ent demo` calls the hook
        lines = ent_demo_data({"lematin-tech": newsroom}, users)
    return journalist, lines, newsroom, users


def test_demo_newsroom_publishes_in_three_sectors_and_languages(
    make_workspace, make_user, make_api_client
):
    journalist, lines, _, _ = _load(make_workspace, make_user)
    assert lines and "publishing" in lines[0]
    items = make_api_client(journalist).get(f"{ARTICLES}?limit=100").json["items"]
    published = [a for a in items if a["publication_state"] == "published"]
    assert {s for a in published for s in a["sectors"]} == {"it", "green", "civil_society"}
    assert {a["language"] for a in published} == {"fr", "en", "ar"}
    assert all(a["authors"] for a in published)
    arabic = next(a for a in published if a["language"] == "ar")
    assert any("\u0600" <= ch <= "\u06ff" for ch in arabic["title"])
    assert all(a["syndicated"] for a in published)
    assert any(a["editorial_state"] == "in_review" for a in items)


def test_demo_twice_changes_nothing(make_workspace, make_user, make_api_client):
    journalist, _, newsroom, users = _load(make_workspace, make_user)
    before = make_api_client(journalist).get(f"{ARTICLES}?limit=100").json["items"]
    with all_workspaces():
        ent_demo_data({"lematin-tech": newsroom}, users)
    after = make_api_client(journalist).get(f"{ARTICLES}?limit=100").json["items"]
    assert [a["id"] for a in after] == [a["id"] for a in before]


def test_demo_without_the_newsroom_does_nothing():
    assert ent_demo_data({}, {}) == []
