"""What an association publishes reaches the sector portal, and the newsroom as draft articles."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from ent_core import sdk
from ent_core.testing import enable

pytestmark = pytest.mark.frozen_clock
API = "/api/v1/workspaces/souss/governance/minutes"
ARTICLES = "/api/v1/workspaces/souss/publishing/articles"


def _publish_minutes(secretary_api: Any, president_api: Any, held: Any) -> dict[str, Any]:
    r = secretary_api.post(API, json={"meeting_id": held.meeting.id, "language": "fr"})
    url = f"{API}/{r.json['id']}/transitions"
    secretary_api.post(url, json={"transition": "sign"})
    president_api.post(url, json={"transition": "sign"})
    published = secretary_api.post(url, json={"transition": "publish"})
    assert published.status_code == 200
    return published.json


@pytest.fixture
def project_news(association: Any) -> Any:
    """A published project with a published update, and a published development plan."""
    from ent_plugins.governance.models import DevelopmentPlan, Project, ProjectUpdate

    with sdk.in_workspace(association):
        plan = DevelopmentPlan(
            title="Plan de développement 2026-2030",
            summary="Eau et **arganiers**",
            starts_year=2026,
            ends_year=2030,
            published=True,
        )
        project = Project(title="Puits solaire", published=True)
        sdk.db.session.add_all([plan, project])
        sdk.db.session.flush()
        update = ProjectUpdate(
            project_id=project.id,
            title="Le forage est terminé",
            body="Le puits donne **12 m³** par heure.",
            published=True,
            published_at=datetime(2026, 6, 10, tzinfo=UTC),
        )
        sdk.db.session.add(update)
        sdk.db.session.commit()
    return update


def test_published_minutes_reach_the_portal(client, secretary_api, president_api, held):
    minutes = _publish_minutes(secretary_api, president_api, held)
    html = client.get("/portal/it/").get_data(as_text=True)
    assert "General assembly 2026" in html
    assert minutes["url"] in html


def test_unpublished_minutes_leave_the_portal(client, secretary_api, president_api, held):
    minutes = _publish_minutes(secretary_api, president_api, held)
    secretary_api.post(f"{API}/{minutes['id']}/transitions", json={"transition": "unpublish"})
    assert "General assembly 2026" not in client.get("/portal/").get_data(as_text=True)


def test_draft_minutes_stay_off_the_portal(client, secretary_api, held):
    secretary_api.post(API, json={"meeting_id": held.meeting.id, "language": "fr"})
    assert "General assembly 2026" not in client.get("/portal/").get_data(as_text=True)


def test_project_news_and_plans_reach_the_portal(client, project_news):
    html = client.get("/portal/").get_data(as_text=True)
    assert "Puits solaire: Le forage est terminé" in html
    assert "Plan de développement 2026-2030" in html


def test_the_portal_keeps_to_its_sector(client, project_news):
    assert "Puits solaire" not in client.get("/portal/green/").get_data(as_text=True)


def test_a_workspace_without_the_module_sends_nothing(client, project_news, api_client):
    assert api_client.delete("/api/v1/workspaces/souss/plugins/governance").status_code == 204
    assert "Puits solaire" not in client.get("/portal/").get_data(as_text=True)


def test_event_governance_minutes_published(
    secretary_api, president_api, held, association, event_listener
):
    enable(association, "listener")
    minutes = _publish_minutes(secretary_api, president_api, held)
    (event,) = event_listener.heard("governance.minutes_published", when=sdk.AFTER_COMMIT)
    assert event.payload["minutes_id"] == minutes["id"]
    assert event.payload["sha256"] == minutes["frozen_hash"]
    assert event.payload["url"] == minutes["url"]


def test_published_minutes_become_a_draft_article(
    secretary_api, president_api, held, association, api_client
):
    enable(association, "publishing")
    minutes = _publish_minutes(secretary_api, president_api, held)
    (article,) = api_client.get(ARTICLES).json["items"]
    assert article["editorial_state"] == "draft"
    assert article["publication_state"] == "unpublished"
    assert article["title"] == "Procès-verbal : General assembly 2026"
    assert article["canonical_url"] == minutes["url"]
    assert minutes["url"] in article["body"]


def test_without_publishing_no_article_is_proposed(
    secretary_api, president_api, held, association, api_client
):
    _publish_minutes(secretary_api, president_api, held)
    enable(association, "publishing")
    assert api_client.get(ARTICLES).json["items"] == []


def test_event_governance_project_update_published(
    project_news, association, event_listener, api_client
):
    from ent_plugins.governance.portal import announce_project_update

    enable(association, "listener")
    enable(association, "publishing")
    with sdk.in_workspace(association):
        announce_project_update(project_news)
        sdk.db.session.commit()
    (event,) = event_listener.heard("governance.project_update_published", when=sdk.AFTER_COMMIT)
    assert event.payload["title"] == "Le forage est terminé"
    assert event.payload["project_title"] == "Puits solaire"
    (article,) = api_client.get(ARTICLES).json["items"]
    assert article["title"] == "Puits solaire: Le forage est terminé"
    assert article["editorial_state"] == "draft"
