"""Scheduled publishing: out at its time without a visitor, and never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from ent_plugins.publishing.jobs import publish_due_articles, publish_if_due
from publishing_newsroom_kit import ARTICLES

from ent_core.testing import pending_jobs, run_due_jobs, wait_until


def _schedule(api, article_id, when):
    resp = api.post(
        f"{ARTICLES}/{article_id}/transitions",
        json={"transition": "schedule", "at": when.isoformat()},
    )
    assert resp.status_code == 200, resp.json
    return resp.json


def _state(api, article_id):
    return api.get(f"{ARTICLES}/{article_id}").json


def test_the_job_publishes_the_article_at_its_time(app, staff, write, make_api_client):
    editor = make_api_client(staff["editor"])
    article = write(staff["contributor"])
    when = (datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=0)
    _schedule(editor, article["id"], when)
    assert len(pending_jobs(app)) == 1

    run_due_jobs(app, now=when - timedelta(minutes=1))
    assert _state(editor, article["id"])["publication_state"] == "scheduled"

    run_due_jobs(app, now=when + timedelta(minutes=1))
    got = _state(editor, article["id"])
    assert got["publication_state"] == "published"
    assert datetime.fromisoformat(got["published_at"]) == when


def test_the_job_and_the_sweep_publish_only_once(
    app, staff, write, make_api_client, audit_actions, app_ctx
):
    editor = make_api_client(staff["editor"])
    article = write(staff["editor"])
    when = datetime.now(UTC) + timedelta(seconds=2)
    _schedule(editor, article["id"], when)
    later = when + timedelta(minutes=1)

    assert publish_if_due(article["id"], now=later) is True
    assert publish_if_due(article["id"], now=later) is False
    run_due_jobs(app, now=later)  # the job queued by `schedule` finds nothing left to do
    assert publish_due_articles() == 0
    assert (
        audit_actions(f"article:{article['id']}").count("publishing.article.published_on_schedule")
        == 1
    )


def test_the_sweep_publishes_what_is_due_and_leaves_the_rest(
    staff, write, make_api_client, app_ctx
):
    editor = make_api_client(staff["editor"])
    soon = write(staff["editor"], "Bientôt")
    later = write(staff["editor"], "Plus tard")
    _schedule(editor, soon["id"], datetime.now(UTC) + timedelta(seconds=1))
    _schedule(editor, later["id"], datetime.now(UTC) + timedelta(days=1))
    due = datetime.fromisoformat(_state(editor, soon["id"])["publish_at"])
    wait_until(lambda: datetime.now(UTC) > due, message="time did not pass")
    assert publish_due_articles() == 1
    assert _state(editor, soon["id"])["publication_state"] == "published"
    assert _state(editor, later["id"])["publication_state"] == "scheduled"


def test_an_unscheduled_article_is_not_published_by_its_old_job(app, staff, write, make_api_client):
    editor = make_api_client(staff["editor"])
    article = write(staff["editor"])
    when = datetime.now(UTC) + timedelta(hours=1)
    _schedule(editor, article["id"], when)
    editor.post(f"{ARTICLES}/{article['id']}/transitions", json={"transition": "unschedule"})
    run_due_jobs(app, now=when + timedelta(minutes=1))
    assert _state(editor, article["id"])["publication_state"] == "unpublished"


def test_a_switched_off_newsroom_keeps_its_schedule_until_it_is_back_on(
    staff, write, make_api_client, app_ctx
):
    owner, editor = make_api_client(staff["owner"]), make_api_client(staff["editor"])
    article = write(staff["editor"])
    _schedule(editor, article["id"], datetime.now(UTC) + timedelta(seconds=1))
    due = datetime.fromisoformat(_state(editor, article["id"])["publish_at"])
    wait_until(lambda: datetime.now(UTC) > due, message="time did not pass")
    plugin = "/api/v1/workspaces/acme/plugins/publishing"
    assert owner.delete(plugin).status_code == 204

    assert publish_due_articles() == 0

    assert owner.put(plugin).status_code == 200
    assert publish_due_articles() == 1
    assert _state(editor, article["id"])["publication_state"] == "published"


def test_the_sweep_runs_every_minute():
    from ent_plugins.publishing.plugin import ent_schedules

    [schedule] = ent_schedules()
    assert schedule.name == "publishing.publish_due"
    assert schedule.every == timedelta(minutes=1)


@pytest.mark.redis
def test_a_real_worker_publishes_the_scheduled_article_once(
    redis_jobs, staff, write, make_api_client, audit_actions
):
    editor = make_api_client(staff["editor"])
    article = write(staff["contributor"])
    _schedule(editor, article["id"], datetime.now(UTC) + timedelta(seconds=2))
    redis_jobs.start_worker()
    wait_until(
        lambda: _state(editor, article["id"])["publication_state"] == "published",
        timeout=30,
        message="the worker did not publish the article",
    )
    # A second, late job for the same article (a retry, a duplicate) changes nothing.
    from ent_core import sdk

    sdk.enqueue(publish_if_due, article["id"], job_id=f"late-{article['id']}")
    redis_jobs.run_burst()
    assert (
        audit_actions(f"article:{article['id']}").count("publishing.article.published_on_schedule")
        == 1
    )


def test_newsroom_journey_ends_on_the_public_site_feed_and_portal(
    app, staff, web, make_api_client, client
):
    """A contributor writes and submits, an editor asks for changes, approves, puts the article
    on the portal and schedules it; it appears at its time, with nobody visiting."""
    pages = "/w/acme/publishing"
    contributor, editor = web(staff["contributor"]), web(staff["editor"])
    title = "Les data centers verts du Souss"
    form = {"title": title, "body": "Premier jet.", "body_format": "markdown",
            "language": "fr", "sectors": ["it"]}  # fmt: skip
    assert contributor.post(f"{pages}/articles/new", data=form).status_code == 302
    [article] = make_api_client(staff["editor"]).get(ARTICLES).json["items"]
    step = f"{pages}/articles/{article['id']}"

    def go(who, name, **extra):
        resp = who.post(f"{step}/transitions", data={"transition": name, **extra})
        assert resp.status_code == 302, (name, resp.status_code)

    go(contributor, "submit")
    go(editor, "request_changes")
    assert (
        contributor.post(f"{step}/edit", data={**form, "body": "Texte corrigé."}).status_code == 302
    )
    contributor.post(f"{step}/lock", data={"action": "release"})
    go(contributor, "submit")
    go(editor, "approve")
    edited = editor.post(f"{step}/edit", data={**form, "body": "Texte corrigé.", "syndicated": "y"})
    assert edited.status_code == 302
    # Typed in the newsroom's zone (Casablanca, UTC+0 or +1): three hours ahead is ahead.
    when = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
    go(editor, "schedule", at=when.strftime("%Y-%m-%dT%H:%M"))

    public = f"/s/acme/publishing/articles/{article['slug']}"
    assert client.get(public).status_code == 404
    run_due_jobs(app, now=when + timedelta(minutes=1))
    page = client.get(public)
    assert page.status_code == 200
    assert "Texte corrigé." in page.get_data(as_text=True)
    assert title in client.get("/s/acme/publishing/feed.atom").get_data(as_text=True)
    assert title in client.get("/portal/it/").get_data(as_text=True)


def test_the_cli_publishes_what_is_due(app, staff, write, make_api_client):
    editor = make_api_client(staff["editor"])
    article = write(staff["editor"])
    _schedule(editor, article["id"], datetime.now(UTC) + timedelta(seconds=1))
    due = datetime.fromisoformat(_state(editor, article["id"])["publish_at"])
    wait_until(lambda: datetime.now(UTC) > due, message="time did not pass")
    result = app.test_cli_runner().invoke(args=["publishing", "publish-due"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 ")
    assert _state(editor, article["id"])["publication_state"] == "published"
    again = app.test_cli_runner().invoke(args=["publishing", "publish-due"])
    assert again.output.startswith("0 ")
