"""Profile badges: a learner who opts in shows their valid certificates beside their name."""

from __future__ import annotations

import pytest
from ent_plugins.training.models import Certificate
from training_kit import API, BASE

from ent_core import sdk


@pytest.fixture
def certified(built, learner_client, learner_api, learner):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    learner_client.post(f"{BASE}/lessons/{built.lesson}/complete")
    attempt = learner_api.post(f"{API}/quizzes/{built.quiz}/attempts").json
    learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.right})
    sdk.db.session.expire_all()
    return sdk.db.session.scalar(
        sdk.db.select(Certificate).execution_options(ent_all_workspaces=True)
    )


def _opt_in(client, value: bool = True) -> None:
    r = client.post(f"{BASE}/badges", data={"show_badges": "y"} if value else {})
    assert r.status_code == 302


def test_hook_ent_profile_badges(
    certified, learner_client, learner, app, make_workspace, make_user
):
    assert sdk.profile_badges(learner) == []  # not opted in: nothing shows
    _opt_in(learner_client)
    # A platform hook: a page of a media workspace without training still gets the badge.
    media = make_workspace("media", owner=make_user("m@example.ma"))
    with app.test_request_context("/s/media/"):
        from flask import g

        g.ent_workspace = media
        [badge] = sdk.profile_badges(learner)
    assert badge.label == "Fact-checking"
    assert badge.issuer == "CIME"
    assert badge.kind == "certificate"
    assert badge.url == f"http://localhost/s/cime/training/certificates/{certified.number}"


def test_opting_out_hides_the_badges(certified, learner_client, learner):
    _opt_in(learner_client)
    _opt_in(learner_client, False)
    assert sdk.profile_badges(learner) == []


def test_revoked_and_expired_certificates_are_not_shown(
    certified, learner_client, learner, api_client
):
    from datetime import timedelta

    _opt_in(learner_client)
    certified.expires_at = sdk.utcnow() - timedelta(days=1)
    sdk.db.session.commit()
    assert sdk.profile_badges(learner) == []
    certified.expires_at = None
    sdk.db.session.commit()
    assert len(sdk.profile_badges(learner)) == 1
    api_client.post(
        f"{API}/certificates/{certified.id}/transitions",
        json={"transition": "revoke", "reason": "Error"},
    )
    assert sdk.profile_badges(learner) == []


def test_anonymous_users_have_no_badges(app_ctx):
    from flask_login import AnonymousUserMixin

    assert sdk.profile_badges(AnonymousUserMixin()) == []
    assert sdk.profile_badges(None) == []


def test_the_setting_page_renders(centre, learner_client):
    page = learner_client.get(f"{BASE}/badges")
    assert page.status_code == 200 and 'name="show_badges"' in page.text
