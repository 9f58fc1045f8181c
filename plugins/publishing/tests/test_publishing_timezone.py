"""The newsroom's clock is the workspace's time zone, no longer a setting of this module."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from publishing_newsroom_kit import ARTICLES, PAGES

MODULE = "/api/v1/workspaces/acme/plugins/publishing"


def test_the_module_has_no_time_zone_setting_any_more(newsroom, make_api_client, user, web):
    owner = make_api_client(user)

    assert (
        "timezone" not in owner.get("/api/v1/workspaces/acme/plugins").json["items"][0]["settings"]
    )
    resp = owner.put(MODULE, json={"timezone": "UTC"})
    assert resp.status_code == 422
    assert "timezone" in resp.json["error"]["details"]["fields"]
    page = web(user).get("/w/acme/modules/publishing").get_data(as_text=True)
    assert 'name="timezone"' not in page


@pytest.mark.frozen_clock(datetime(2026, 2, 10, 12, 0, tzinfo=UTC), tick=False)
def test_a_schedule_typed_during_ramadan_is_read_in_the_workspace_zone(
    staff, write, web, make_api_client
):
    article = write(staff["contributor"])
    editor, api = web(staff["editor"]), make_api_client(staff["editor"])

    editor.post(
        f"{PAGES}/articles/{article['id']}/transitions",
        data={"transition": "schedule", "at": "2026-02-20T09:00"},  # Ramadan: UTC+0
    )
    got = api.get(f"{ARTICLES}/{article['id']}").json
    assert datetime.fromisoformat(got["publish_at"]) == datetime(2026, 2, 20, 9, 0, tzinfo=UTC)

    owner = make_api_client(staff["owner"])
    assert (
        owner.patch("/api/v1/workspaces/acme", json={"timezone": "Europe/Paris"}).status_code == 200
    )
    editor.post(
        f"{PAGES}/articles/{article['id']}/transitions",
        data={"transition": "schedule", "at": "2026-02-20T09:00"},  # Paris: UTC+1
    )
    got = api.get(f"{ARTICLES}/{article['id']}").json
    assert datetime.fromisoformat(got["publish_at"]) == datetime(2026, 2, 20, 8, 0, tzinfo=UTC)
    shown = editor.get(f"{PAGES}/articles/{article['id']}").get_data(as_text=True)
    assert "2026-02-20 09:00" in shown and "Europe/Paris" in shown


def test_the_public_site_shows_times_in_the_workspace_zone_and_its_cache_follows(
    site, make_article, make_api_client, user, client
):
    make_article(site, slug="ramadan", published_at=datetime(2026, 2, 20, 9, 0, tzinfo=UTC))
    page = "/s/acme/publishing/articles/ramadan"

    assert "20 févr. 2026, 09:00" in client.get(page).get_data(as_text=True)  # UTC+0

    resp = make_api_client(user).patch("/api/v1/workspaces/acme", json={"timezone": "Asia/Tokyo"})
    assert resp.status_code == 200

    assert "20 févr. 2026, 18:00" in client.get(page).get_data(as_text=True)
