"""API v1 for billing: plans, a workspace's subscription and invoices."""

from __future__ import annotations

import pytest

from ent_core.billing import subscriptions as service
from ent_core.billing.plans import get_plan, update_plan
from ent_core.testing import add_member

# Trials, periods and invoice years follow the calendar: never the day the suite runs.
pytestmark = pytest.mark.frozen_clock


def test_plans_list_amounts_as_strings(api_client):
    response = api_client.get("/api/v1/plans?lang=en")
    assert response.status_code == 200
    plans = {p["code"]: p for p in response.json["items"]}
    assert set(plans) == {"basic", "association", "marketplace"}
    basic = plans["basic"]
    assert basic["name"] == "Basic"
    assert basic["price_month"] == "199.00"
    assert basic["price_year"] == "1990.00"
    assert basic["currency"] == "MAD"
    assert basic["vat_rate"] == "0.2"
    assert basic["plugins"] == ["publishing", "training", "ads"]


def test_plans_show_installed_modules_and_quotas_by_their_names(api_client, user):
    """Basic sells a module and counts a quota of a plugin that is not installed here
    (``weather``, ``forecasts_per_month``): neither is shown, both are kept."""
    plan = get_plan("basic")
    update_plan(
        plan,
        actor=user,
        plugins=[*plan.plugins, "weather"],
        quotas={**plan.quotas, "forecasts_per_month": 9},
    )
    plans = {p["code"]: p for p in api_client.get("/api/v1/plans?lang=en").json["items"]}
    basic = plans["basic"]
    assert basic["modules"] == [
        {"code": "publishing", "name": "Publishing"},
        {"code": "training", "name": "Training"},
        {"code": "ads", "name": "Advertising"},
    ]
    assert basic["quotas"] == {"classified_ads_per_month": 5, "seats": 3}
    assert basic["limits"] == [
        {"quota": "classified_ads_per_month", "label": "Free classified ads a month", "limit": 5},
        {"quota": "seats", "label": "Members (seats)", "limit": 3},
    ]
    assert plans["association"]["plugins"] == ["governance", "publishing"]
    # a plugin's own quota, by the label its metadata gives
    assert plans["marketplace"]["limits"][0]["label"] == "Listings a month"
    french = {p["code"]: p for p in api_client.get("/api/v1/plans?lang=fr").json["items"]}
    assert [m["name"] for m in french["basic"]["modules"]] == [
        "Publication",
        "Formation",
        "Publicité",
    ]
    kept = get_plan("basic")  # the data is kept
    assert kept.plugins[-1] == "weather" and kept.quotas["forecasts_per_month"] == 9


def test_a_plan_selling_nothing_installed_is_neither_listed_nor_sold(
    api_client, make_workspace, user
):
    update_plan(get_plan("association"), actor=user, plugins=["weather"])  # not installed here
    assert "association" not in {p["code"] for p in api_client.get("/api/v1/plans").json["items"]}
    make_workspace("assoc", kind="association")
    response = api_client.put("/api/v1/workspaces/assoc/subscription", json={"plan": "association"})
    assert response.status_code == 422
    assert response.json["error"]["code"] == "unknown_plan"


def test_subscribe_read_and_cancel_through_the_api(api_client, make_workspace):
    make_workspace("press", kind="auto_entrepreneur")
    base = "/api/v1/workspaces/press/subscription"
    assert api_client.get(base).json["state"] == "none"
    response = api_client.put(base, json={"plan": "basic", "period": "year"})
    assert response.status_code == 200, response.json
    invoice = response.json["invoice"]
    assert invoice["total"] == "2388.00"
    assert invoice["sponsor_share"] == "2388.00"
    assert invoice["subscriber_share"] == "0.00"
    assert invoice["status"] == "paid"
    assert response.json["subscription"]["state"] == "active"
    shown = api_client.get(base).json
    assert shown["plan"] == "basic" and shown["period"] == "year" and shown["entitled"]
    canceled = api_client.delete(base)
    assert canceled.status_code == 200
    assert canceled.json["state"] == "canceled" and canceled.json["entitled"]
    again = api_client.delete(base)
    assert again.status_code == 409
    assert again.json["error"]["code"] == "invalid_transition"
    assert again.json["error"]["details"]["allowed"] == ["expire", "resume"]


def test_invoices_are_paginated_and_readable(api_client, make_workspace, user):
    ws = make_workspace("bills", kind="training_centre")
    for period in ("month", "year", "month"):  # each change during the trial re-invoices
        service.subscribe(ws, "basic", period, actor=user)
    page = api_client.get("/api/v1/workspaces/bills/invoices?limit=2").json
    assert [i["status"] for i in page["items"]] == ["void", "void"]
    rest = api_client.get(f"/api/v1/workspaces/bills/invoices?cursor={page['next_cursor']}")
    assert [i["status"] for i in rest.json["items"]] == ["issued"]
    number = rest.json["items"][0]["number"]
    one = api_client.get(f"/api/v1/workspaces/bills/invoices/{number}").json
    assert one["subscriber_share"] == "238.80" and one["sponsor"] is None
    assert one["lines"][0]["vat"] == "39.80"
    missing = api_client.get("/api/v1/workspaces/bills/invoices/2026-999999")
    assert missing.status_code == 404


def test_validation_and_permissions(api_client, make_api_client, make_user, workspace):
    bad = api_client.put("/api/v1/workspaces/acme/subscription", json={"plan": "gold"})
    assert bad.status_code == 422
    assert bad.json["error"]["code"] == "unknown_plan"
    wrong_period = api_client.put(
        "/api/v1/workspaces/acme/subscription", json={"plan": "basic", "period": "week"}
    )
    assert wrong_period.status_code == 422
    editor = make_user("editor@example.ma")
    add_member(workspace, editor, "editor")
    refused = make_api_client(editor).get("/api/v1/workspaces/acme/subscription")
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "forbidden"


def test_enabling_a_gated_plugin_without_plan_is_not_entitled(api_client, workspace):
    response = api_client.put("/api/v1/workspaces/acme/plugins/gated")
    assert response.status_code == 403
    assert response.json["error"]["code"] == "not_entitled"
    api_client.put("/api/v1/workspaces/acme/subscription", json={"plan": "basic"})
    assert api_client.put("/api/v1/workspaces/acme/plugins/gated").status_code == 200


def test_billing_routes_are_in_the_openapi_document(api_client):
    paths = api_client.get("/api/v1/openapi.json").json["paths"]
    assert "/api/v1/plans" in paths
    assert {"get", "put", "delete"} <= set(paths["/api/v1/workspaces/{workspace}/subscription"])
    assert "/api/v1/workspaces/{workspace}/invoices/{number}" in paths
