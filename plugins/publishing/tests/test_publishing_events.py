"""``article.published``: heard when an editor publishes and when the schedule does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from publishing_newsroom_kit import ARTICLES

from ent_core.testing import enable, run_due_jobs

BOTH = ["in_transaction", "after_commit"]


def _transition(api, article_id, name, **fields):
    resp = api.post(f"{ARTICLES}/{article_id}/transitions", json={"transition": name, **fields})
    assert resp.status_code == 200, resp.json
    return resp.json


def test_event_article_published(app, staff, write, make_api_client, newsroom, event_listener):
    enable(newsroom, "listener")
    editor = make_api_client(staff["editor"])
    article = write(staff["contributor"], title="Le budget voté")
    published = _transition(editor, article["id"], "publish")

    heard = event_listener.heard("article.published")
    assert [h.when for h in heard] == BOTH
    assert heard[0].payload == {
        "article_id": article["id"],
        "title": "Le budget voté",
        "url": published["url"],
        "published_at": datetime.fromisoformat(published["published_at"]).isoformat(),
        "scheduled": False,
    }
    assert {h.workspace_id for h in heard} == {newsroom.id}


def test_article_published_is_heard_when_the_schedule_publishes(
    app, staff, write, make_api_client, newsroom, event_listener
):
    enable(newsroom, "listener")
    editor = make_api_client(staff["editor"])
    article = write(staff["contributor"])
    when = (datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=0)
    _transition(editor, article["id"], "schedule", at=when.isoformat())
    assert event_listener.heard() == []  # scheduling is not publishing

    run_due_jobs(app, now=when + timedelta(minutes=1))
    heard = event_listener.heard("article.published")
    assert [h.when for h in heard] == BOTH
    assert heard[0].payload["scheduled"] is True
    assert heard[0].payload["published_at"] == when.isoformat()


def test_a_newsroom_without_the_listener_is_not_heard(
    app, staff, write, make_api_client, event_listener
):
    editor = make_api_client(staff["editor"])
    _transition(editor, write(staff["contributor"])["id"], "publish")
    assert event_listener.heard() == []
