"""Articles proposed by the association's announcements: drafts, once each, for an editor."""

from __future__ import annotations

from publishing_newsroom_kit import ARTICLES

from ent_core import sdk

MINUTES = {
    "minutes_id": 7,
    "title": "Procès-verbal : Assemblée générale 2026",
    "body": "# PV\n\nLa résolution est adoptée.",
    "language": "fr",
    "sha256": "0" * 64,
    "url": "http://localhost/s/acme/governance/minutes/7",
    "published_at": "2026-06-15T09:00:00+00:00",
}
UPDATE = {
    "update_id": 3,
    "project_id": 2,
    "project_title": "Puits solaire",
    "title": "Le forage est terminé",
    "body": "Le puits donne **12 m³** par heure.",
    "url": "http://localhost/s/acme/governance/projects/2",
    "published_at": "2026-06-15T09:00:00+00:00",
}


def _announce(newsroom, name, payload):
    sdk.emit(name, workspace=newsroom, **payload)
    sdk.db.session.commit()


def test_published_minutes_become_a_draft(newsroom, api_client):
    _announce(newsroom, "governance.minutes_published", MINUTES)
    (article,) = api_client.get(ARTICLES).json["items"]
    assert article["title"] == MINUTES["title"]
    assert (article["editorial_state"], article["publication_state"]) == ("draft", "unpublished")
    assert article["canonical_url"] == MINUTES["url"]
    assert article["authors"] == []
    assert f'href="{MINUTES["url"]}"' in article["body_html"]


def test_arabic_minutes_make_an_arabic_draft(newsroom, api_client):
    _announce(newsroom, "governance.minutes_published", {**MINUTES, "language": "ar"})
    (article,) = api_client.get(ARTICLES).json["items"]
    assert article["language"] == "ar"
    assert "اقرأ المحضر في صفحة الجمعية" in article["body"]


def test_project_news_becomes_a_draft(newsroom, api_client):
    _announce(newsroom, "governance.project_update_published", UPDATE)
    (article,) = api_client.get(ARTICLES).json["items"]
    assert article["title"] == "Puits solaire: Le forage est terminé"
    assert article["editorial_state"] == "draft"
    assert "<strong>12 m³</strong>" in article["body_html"]


def test_a_retried_announcement_makes_one_article(newsroom, api_client):
    from ent_plugins.publishing.proposals import propose_minutes

    event = sdk.Event(
        name="governance.minutes_published", workspace_id=newsroom.id, payload=MINUTES, id="e1"
    )
    with sdk.in_workspace(newsroom):
        propose_minutes(event)
        propose_minutes(event)
    assert len(api_client.get(ARTICLES).json["items"]) == 1


def test_an_editor_reviews_and_publishes_the_proposal(newsroom, api_client, signed_in_client):
    _announce(newsroom, "governance.minutes_published", MINUTES)
    (article,) = api_client.get(ARTICLES).json["items"]
    assert signed_in_client.get(f"/w/acme/publishing/articles/{article['id']}").status_code == 200
    assert (
        signed_in_client.get(f"/w/acme/publishing/articles/{article['id']}/edit").status_code == 200
    )
    r = api_client.post(f"{ARTICLES}/{article['id']}/transitions", json={"transition": "publish"})
    assert r.status_code == 200 and r.json["publication_state"] == "published"
