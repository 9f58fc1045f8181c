"""A suspended workspace's site: pages 404, feeds 410, no scheduled publication; all back after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ent_plugins.publishing.jobs import publish_due_articles
from publishing_newsroom_kit import ARTICLES

from ent_core.testing import run_due_jobs, wait_until

SITE = "/s/acme/publishing"


def _suspension(api, method, reason):
    resp = api.open(method, "/api/v1/admin/workspaces/acme/suspension", json={"reason": reason})
    assert resp.status_code == 200, resp.json
    return resp.json


def test_a_suspended_site_is_gone_and_its_schedule_waits(
    app, client, newsroom, staff, write, make_api_client, make_user, make_article, make_author
):
    author = make_author(newsroom, "Salma Bennani", user=staff["editor"])
    make_article(newsroom, "Déjà en ligne", slug="deja", authors=[author])
    editor = make_api_client(staff["editor"])
    draft = write(staff["editor"], "Programmé")
    when = datetime.now(UTC) + timedelta(seconds=2)
    scheduled = editor.post(
        f"{ARTICLES}/{draft['id']}/transitions",
        json={"transition": "schedule", "at": when.isoformat()},
    )
    assert scheduled.status_code == 200, scheduled.json
    pages = (f"{SITE}/", f"{SITE}/articles/deja", f"{SITE}/authors/salma-bennani/")
    feeds = (f"{SITE}/feed.atom", f"{SITE}/feed.rss", f"{SITE}/authors/salma-bennani/feed.atom")
    home = client.get(f"{SITE}/")
    assert home.status_code == 200
    assert "/reports/new?workspace=acme" in home.text  # every public page links the report form
    assert "/reports/new?person=" in client.get(pages[2]).text  # a byline with an account

    admin = make_api_client(make_user("admin@example.ma", admin=True))
    assert _suspension(admin, "POST", "Fabricated interviews.")["status"] == "suspended"
    for path in pages:
        assert client.get(path).status_code == 404, path
    for path in feeds:
        assert client.get(path).status_code == 410, path
    refused = editor.post(f"{ARTICLES}/{draft['id']}/transitions", json={"transition": "publish"})
    assert refused.json["error"]["code"] == "workspace_suspended"

    wait_until(lambda: datetime.now(UTC) > when, message="time did not pass")
    run_due_jobs(app)  # its time came while suspended: the job is skipped, the sweep waits
    assert publish_due_articles() == 0
    assert _suspension(admin, "DELETE", "Corrections published.")["status"] == "approved"
    assert editor.get(f"{ARTICLES}/{draft['id']}").json["publication_state"] == "scheduled"

    for path in (*pages, *feeds):
        assert client.get(path).status_code == 200, path
    assert publish_due_articles() == 1  # the sweep catches up once reinstated
    assert editor.get(f"{ARTICLES}/{draft['id']}").json["publication_state"] == "published"
