"""The editorial and publication workflows, per role, through the API and the pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from publishing_newsroom_kit import ARTICLES, PAGES


def _go(api, article_id, name, **extra):
    return api.post(f"{ARTICLES}/{article_id}/transitions", json={"transition": name, **extra})


def test_contributor_submits_editor_requests_changes_then_approves_and_publishes(
    staff, write, make_api_client
):
    contributor = make_api_client(staff["contributor"])
    editor = make_api_client(staff["editor"])
    article = write(staff["contributor"], "Cloud souverain")
    assert article["editorial_state"] == "draft"
    assert article["allowed_transitions"] == ["submit"]

    assert _go(contributor, article["id"], "submit").json["editorial_state"] == "in_review"
    changed = _go(editor, article["id"], "request_changes").json
    assert changed["editorial_state"] == "changes_requested"
    assert _go(contributor, article["id"], "submit").status_code == 200
    approved = _go(editor, article["id"], "approve").json
    assert approved["editorial_state"] == "approved"
    assert approved["publication_state"] == "unpublished"

    published = _go(editor, article["id"], "publish").json
    assert published["publication_state"] == "published"
    assert published["published_at"] is not None
    assert published["url"].endswith(f"/s/acme/publishing/articles/{published['slug']}")


@pytest.mark.parametrize("name", ["publish", "approve", "request_changes", "withdraw"])
def test_a_contributor_may_not_review_or_publish(staff, write, make_api_client, name):
    contributor = make_api_client(staff["contributor"])
    article = write(staff["contributor"])
    _go(contributor, article["id"], "submit")
    resp = _go(contributor, article["id"], name)
    assert resp.status_code in (403, 409)
    assert resp.json["error"]["code"] in ("forbidden", "invalid_transition")
    assert resp.json["error"]["details"]["allowed"] == []


def test_a_contributor_is_refused_publishing_with_403_and_the_allowed_list(
    staff, write, make_api_client
):
    contributor = make_api_client(staff["contributor"])
    article = write(staff["contributor"])
    resp = _go(contributor, article["id"], "publish")
    assert resp.status_code == 403
    assert resp.json["error"]["code"] == "forbidden"
    assert resp.json["error"]["details"]["allowed"] == ["submit"]


def test_an_author_publishes_their_own_article_but_not_someone_elses(staff, write, make_api_client):
    author = make_api_client(staff["author"])
    own = write(staff["author"], "Mon papier")
    assert _go(author, own["id"], "publish").json["publication_state"] == "published"

    theirs = write(staff["editor"], "Le papier de la rédaction")
    resp = _go(author, theirs["id"], "publish")
    assert resp.status_code == 403
    assert resp.json["error"]["code"] == "forbidden"


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_owners_and_editors_publish_straight_from_draft(staff, write, make_api_client, role):
    article = write(staff["contributor"])
    resp = _go(make_api_client(staff[role]), article["id"], "publish")
    assert resp.status_code == 200
    assert resp.json["publication_state"] == "published"


def test_a_transition_the_state_does_not_allow_answers_409_with_the_allowed_names(
    staff, write, make_api_client
):
    editor = make_api_client(staff["editor"])
    article = write(staff["editor"])
    resp = _go(editor, article["id"], "withdraw")
    assert resp.status_code == 409
    error = resp.json["error"]
    assert error["code"] == "invalid_transition"
    assert error["details"]["allowed"] == ["submit", "publish", "schedule"]

    assert _go(editor, article["id"], "approve").status_code == 409
    assert _go(editor, article["id"], "no_such_thing").status_code == 409


def test_publish_then_withdraw_then_publish_again(staff, write, make_api_client):
    editor = make_api_client(staff["editor"])
    article = write(staff["editor"])
    first = _go(editor, article["id"], "publish").json["published_at"]
    assert _go(editor, article["id"], "withdraw").json["publication_state"] == "withdrawn"
    assert _go(editor, article["id"], "withdraw").status_code == 409
    again = _go(editor, article["id"], "publish").json
    assert again["publication_state"] == "published"
    assert again["published_at"] == first


def test_schedule_needs_a_future_time(staff, write, make_api_client):
    editor = make_api_client(staff["editor"])
    article = write(staff["editor"])
    missing = _go(editor, article["id"], "schedule")
    assert missing.status_code == 422
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert _go(editor, article["id"], "schedule", at=past).status_code == 422
    future = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    ok = _go(editor, article["id"], "schedule", at=future.isoformat())
    assert ok.status_code == 200
    assert ok.json["publication_state"] == "scheduled"
    assert datetime.fromisoformat(ok.json["publish_at"]) == future
    assert _go(editor, article["id"], "unschedule").json["publication_state"] == "unpublished"


def test_publication_changes_are_audited(staff, write, make_api_client, audit_actions):
    article = write(staff["editor"])
    _go(make_api_client(staff["editor"]), article["id"], "publish")
    assert "publishing.article.publish" in audit_actions(f"article:{article['id']}")


# -- through the pages ----------------------------------------------------------------------
def test_a_contributor_submits_from_the_article_page(staff, write, web):
    article = write(staff["contributor"])
    page = web(staff["contributor"])
    show = page.get(f"{PAGES}/articles/{article['id']}").get_data(as_text=True)
    assert 'value="submit"' in show
    assert 'value="publish"' not in show
    resp = page.post(f"{PAGES}/articles/{article['id']}/transitions", data={"transition": "submit"})
    assert resp.status_code == 302
    assert "badge warn" in page.get(resp.location).get_data(as_text=True)


def test_the_page_refuses_a_contributors_publish_with_403(staff, write, web):
    article = write(staff["contributor"])
    resp = web(staff["contributor"]).post(
        f"{PAGES}/articles/{article['id']}/transitions", data={"transition": "publish"}
    )
    assert resp.status_code == 403


def test_the_page_refuses_an_impossible_transition_with_409(staff, write, web):
    article = write(staff["editor"])
    resp = web(staff["editor"]).post(
        f"{PAGES}/articles/{article['id']}/transitions?lang=en", data={"transition": "withdraw"}
    )
    assert resp.status_code == 409
    assert "not possible" in resp.get_data(as_text=True)


@pytest.mark.frozen_clock  # "tomorrow, same time" in Casablanca never meets a clock change
def test_an_editor_schedules_from_the_page_in_the_newsroom_time_zone(
    staff, write, web, make_api_client
):
    from zoneinfo import ZoneInfo

    article = write(staff["contributor"])
    local = (datetime.now(ZoneInfo("Africa/Casablanca")) + timedelta(days=1)).replace(
        second=0, microsecond=0
    )
    page = web(staff["editor"])
    resp = page.post(
        f"{PAGES}/articles/{article['id']}/transitions",
        data={"transition": "schedule", "at": local.strftime("%Y-%m-%dT%H:%M")},
    )
    assert resp.status_code == 302
    got = make_api_client(staff["editor"]).get(f"{ARTICLES}/{article['id']}").json
    assert got["publication_state"] == "scheduled"
    assert datetime.fromisoformat(got["publish_at"]) == local.astimezone(UTC)
    shown = page.get(f"{PAGES}/articles/{article['id']}").get_data(as_text=True)
    assert local.strftime("%Y-%m-%d %H:%M") in shown and "Africa/Casablanca" in shown


def test_the_people_concerned_are_mailed(staff, write, make_api_client, mail_outbox):
    article = write(staff["contributor"], "Papier à relire")
    _go(make_api_client(staff["contributor"]), article["id"], "submit")
    assert sorted(m["to"] for m in mail_outbox) == [
        staff["editor"].email,
        staff["owner"].email,
    ]
    assert "Papier à relire" in mail_outbox[0]["subject"]
    assert f"/w/acme/publishing/articles/{article['id']}" in mail_outbox[0]["text"]
    mail_outbox.clear()
    _go(make_api_client(staff["editor"]), article["id"], "request_changes")
    assert [m["to"] for m in mail_outbox] == [staff["contributor"].email]
    make_api_client(staff["editor"]).post(
        f"{ARTICLES}/{article['id']}/comments", json={"body": "Sourcez le chiffre."}
    )
    mail_outbox.clear()
    make_api_client(staff["contributor"]).post(
        f"{ARTICLES}/{article['id']}/comments", json={"body": "Corrigé."}
    )
    assert [m["to"] for m in mail_outbox] == [staff["editor"].email]  # the discussion


def test_a_transition_based_on_a_stale_state_is_refused(
    staff, write, make_api_client, app_ctx, newsroom
):
    """What the second of two simultaneous "Publish" clicks meets: the state moved meanwhile."""
    from types import SimpleNamespace

    from ent_plugins.publishing.workflow import _claim

    from ent_core import sdk

    article = write(staff["editor"])
    _go(make_api_client(staff["editor"]), article["id"], "publish")
    seen_before = SimpleNamespace(id=article["id"], publication_state="unpublished")
    with sdk.in_workspace(newsroom):  # as in the request, where the newsroom is current
        assert _claim(seen_before, "publish") is False
        sdk.db.session.rollback()
        seen_now = SimpleNamespace(id=article["id"], publication_state="published")
        assert _claim(seen_now, "withdraw") is True
    sdk.db.session.rollback()


@pytest.mark.parametrize(("lang", "withdraw"), [("fr", "Retirer"), ("ar", "سحب")])
def test_the_withdraw_button_speaks_the_publishing_catalogue(
    staff, write, make_api_client, web, lang, withdraw
):
    """Training translates "Withdraw" as "Se retirer"; its catalogue used to win here."""
    article = write(staff["editor"], "Cloud souverain")
    assert _go(make_api_client(staff["editor"]), article["id"], "publish").status_code == 200
    page = web(staff["editor"]).get(f"{PAGES}/articles/{article['id']}?lang={lang}").text
    assert f">{withdraw}</button>" in page


def test_a_schedule_in_the_past_comes_back_with_the_message_under_the_time(staff, write, web):
    """The service's refusal (a ``TransitionError`` blaming ``at``) lands on the form's field."""
    article = write(staff["editor"])
    past = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    resp = web(staff["editor"]).post(
        f"{PAGES}/articles/{article['id']}/transitions?lang=en",
        data={"transition": "schedule", "at": past},
    )

    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    under_the_field = page.split('id="at-errors"', 1)[1].split("</ul>", 1)[0]
    assert "The publication time must be in the future." in under_the_field


def test_a_refused_transition_says_why_in_the_workflow_panel(staff, write, web):
    article = write(staff["editor"])
    resp = web(staff["editor"]).post(
        f"{PAGES}/articles/{article['id']}/transitions?lang=en", data={"transition": "withdraw"}
    )

    assert resp.status_code == 409
    panel = resp.get_data(as_text=True).split('id="workflow-title"', 1)[1].split("</section>")[0]
    assert "This transition is not possible from the article" in panel
