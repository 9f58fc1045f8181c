"""Entitlements with the real bundled modules: a plan is what switches publishing and training on.

The fixture plugins prove the mechanism elsewhere (test_billing_subscriptions); these tests
prove the bundled modules use it, and that the test kit entitles the way a workspace is.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import current_app

from ent_core.billing import jobs
from ent_core.billing import subscriptions as service
from ent_core.billing.models import Invoice
from ent_core.billing.payments import confirm_payment
from ent_core.billing.plans import get_plan, update_plan
from ent_core.db import db
from ent_core.testing import all_workspaces, enable, in_workspace

# Trials follow the calendar: never the day the suite runs.
pytestmark = pytest.mark.frozen_clock


def _switch_on(api_client, slug, name):
    return api_client.put(f"/api/v1/workspaces/{slug}/plugins/{name}", json={})


@pytest.mark.parametrize("module", ["publishing", "training"])
def test_a_bundled_module_needs_a_live_subscription(api_client, make_workspace, user, module):
    ws = make_workspace("press", kind="training_centre")
    refused = _switch_on(api_client, "press", module)
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "not_entitled"
    assert refused.json["error"]["details"]["plans_url"].endswith("/w/press/billing/")
    with all_workspaces():
        service.subscribe(ws, "basic", actor=user)  # a trial entitles at once
    assert _switch_on(api_client, "press", module).status_code == 200


def test_the_association_plan_sells_publishing_but_not_training(api_client, make_workspace, user):
    ws = make_workspace("assoc", kind="association")
    with all_workspaces():
        service.subscribe(ws, "association", actor=user)
    assert _switch_on(api_client, "assoc", "publishing").status_code == 200
    assert _switch_on(api_client, "assoc", "training").json["error"]["code"] == "not_entitled"


def test_a_plugin_naming_no_plan_feature_is_free(api_client, make_workspace):
    make_workspace("club")
    assert _switch_on(api_client, "club", "noticeboard").status_code == 200


def test_the_modules_page_links_a_refusal_to_the_plans(signed_in_client, workspace):
    page = signed_in_client.get("/w/acme/modules?lang=en").get_data(as_text=True)
    assert "Not in your plan" in page
    response = signed_in_client.post("/w/acme/modules/publishing/on?lang=en", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "does not include this module" in html
    assert '<a href="/w/acme/billing/">See the plans</a>' in html


def test_losing_the_plan_switches_publishing_off_and_keeps_its_articles(
    api_client, make_workspace, user
):
    ws = make_workspace("daily", kind="training_centre")
    with all_workspaces():
        service.subscribe(ws, "basic", actor=user)
    assert _switch_on(api_client, "daily", "publishing").status_code == 200
    articles = "/api/v1/workspaces/daily/publishing/articles"
    created = api_client.post(articles, json={"title": "Budget 2027"})
    assert created.status_code == 201, created.json
    with all_workspaces():
        service.cancel(ws, actor=user)  # an unpaid trial ends at once
    assert "publishing" not in api_client.get("/api/v1/workspaces/daily").json["plugins"]
    assert api_client.get(articles).status_code == 404
    assert _switch_on(api_client, "daily", "publishing").status_code == 403
    with all_workspaces():
        service.subscribe(ws, "basic", actor=user)  # re-entitled
    assert _switch_on(api_client, "daily", "publishing").status_code == 200
    titles = [a["title"] for a in api_client.get(articles).json["items"]]
    assert titles == ["Budget 2027"]


def test_the_test_kit_subscribes_through_billing(make_workspace):
    ws = make_workspace("kit", kind="training_centre", plugins=("publishing", "training"))
    with in_workspace(ws):
        subscription = service.get_subscription(ws)
        assert (subscription.plan.code, subscription.state) == ("basic", "trialing")
        assert db.session.scalar(db.select(db.func.count(Invoice.id))) == 1
    enable(ws, "stall")  # a feature Basic lacks: the add-on that sells it
    with in_workspace(ws):
        assert service.get_subscription(ws).addons == ["marketplace"]


def test_a_plan_change_in_trial_switches_off_what_the_new_plan_lacks(make_workspace, user):
    ws = make_workspace("school", kind="training_centre", plugins=("publishing", "training"))
    with all_workspaces():
        service.subscribe(ws, "association", actor=user)  # a trial changes plan at once
        assert service.switch_off_unentitled(ws) == []
    assert _enabled(ws) == {"publishing"}


def test_a_plan_change_at_renewal_switches_off_what_the_new_plan_lacks(
    make_workspace, make_user, user
):
    admin = make_user("admin@example.ma", admin=True)
    ws = make_workspace("school", kind="training_centre", plugins=("publishing", "training"))
    with all_workspaces():
        subscription, invoice = service.subscribe(ws, "basic", actor=user)
        confirm_payment(invoice, "bank_transfer", "VIR-1", actor=admin)
        service.subscribe(ws, "association", actor=user)  # from the next period
        assert _enabled(ws) == {"publishing", "training"}  # the paid period keeps Basic
        jobs.renew_subscriptions(now=subscription.current_period_end - timedelta(days=3))
        renewal = db.session.scalars(
            db.select(Invoice).where(Invoice.period_start == subscription.current_period_end)
        ).one()
        assert renewal.plan_code == "association"
        confirm_payment(renewal, "bank_transfer", "VIR-2", actor=admin)
        jobs.roll_periods(now=subscription.current_period_end + timedelta(hours=1))
    assert _enabled(ws) == {"publishing"}


def _enabled(workspace):
    registry = current_app.extensions["ent"]
    registry.forget(workspace)
    return set(registry.enabled_for(workspace))


def test_a_feature_taken_out_of_a_plan_is_switched_off_for_its_subscribers(make_workspace, user):
    ws = make_workspace("school", kind="training_centre", plugins=("publishing", "training"))
    with all_workspaces():
        update_plan(get_plan("basic"), actor=user, plugins=["publishing", "ads"])
    assert _enabled(ws) == {"publishing"}
