"""The registry and dues through the API: pagination, filters, who reads what, OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest
from governance_members_kit import BASE, add, pay, set_rate

pytestmark = pytest.mark.frozen_clock


def test_members_are_paginated_with_a_cursor(owner_api: Any) -> None:
    for i in range(3):
        add(owner_api, f"M{i}")
    first = owner_api.get(f"{BASE}/members?limit=2").get_json()
    assert [m["name"] for m in first["items"]] == ["M0", "M1"] and first["next_cursor"]
    rest = owner_api.get(f"{BASE}/members?limit=2&cursor={first['next_cursor']}").get_json()
    assert [m["name"] for m in rest["items"]] == ["M2"] and rest["next_cursor"] is None


def test_members_filter_by_status_and_category(owner_api: Any) -> None:
    set_rate(owner_api, "active", 2025, "200")
    paid, late = add(owner_api, "Paid"), add(owner_api, "Late")
    add(owner_api, "Honor", category="honorary")
    pay(owner_api, paid["id"], 2025, "2026-01-05")
    names = lambda q: [m["name"] for m in owner_api.get(f"{BASE}/members?{q}").get_json()["items"]]  # noqa: E731
    assert names("status=late") == ["Late"]
    assert names("status=up_to_date") == ["Paid", "Honor"]
    assert names("category=honorary") == ["Honor"]
    assert late["status"] == "late"


def test_an_unknown_category_is_a_validation_error(owner_api: Any) -> None:
    r = owner_api.post(
        f"{BASE}/members", json={"name": "X", "category": "nope", "joined_on": "2024-01-01"}
    )
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "validation_error"


def test_patch_changes_only_the_fields_given(owner_api: Any) -> None:
    member = add(owner_api, "Sanaa", email="sanaa@example.ma", phone="0600")
    r = owner_api.patch(f"{BASE}/members/{member['id']}", json={"phone": None, "language": "en"})
    got = r.get_json()
    assert r.status_code == 200
    assert (got["email"], got["phone"], got["language"]) == ("sanaa@example.ma", None, "en")


def test_a_number_is_unique(owner_api: Any) -> None:
    add(owner_api, "One", number="X1")
    r = owner_api.post(
        f"{BASE}/members",
        json={"name": "Two", "category": "active", "joined_on": "2024-01-01", "number": "X1"},
    )
    assert r.status_code == 422
    assert r.get_json()["error"]["details"]["fields"]["number"]


def test_a_member_without_office_reads_only_their_own_record(
    owner_api: Any, adherent_api: Any, adherent: Any
) -> None:
    other = add(owner_api, "Other")
    mine = add(owner_api, "Amina", user_id=adherent.id)
    listed = adherent_api.get(f"{BASE}/members").get_json()["items"]
    assert [m["id"] for m in listed] == [mine["id"]]
    assert adherent_api.get(f"{BASE}/members/{other['id']}").status_code == 403
    assert adherent_api.get(f"{BASE}/members/{mine['id']}/dues").status_code == 200
    assert adherent_api.get(f"{BASE}/payments").status_code == 403


def test_a_member_without_office_cannot_add_or_pay(
    owner_api: Any, adherent_api: Any, adherent: Any
) -> None:
    member = add(owner_api, "Amina", user_id=adherent.id)
    r = adherent_api.post(
        f"{BASE}/members", json={"name": "X", "category": "active", "joined_on": "2024-01-01"}
    )
    assert r.status_code == 403
    assert pay(adherent_api, member["id"], 2025, "2026-01-01").status_code == 403


def test_payments_list_and_receipt(owner_api: Any) -> None:
    set_rate(owner_api, "active", 2025, "200")
    member = add(owner_api, "Payer")
    made = pay(owner_api, member["id"], 2025, "2026-01-05").get_json()
    assert made["amount"] == {"amount": "200.00", "currency": "MAD"}
    listed = owner_api.get(f"{BASE}/payments?member_id={member['id']}").get_json()["items"]
    assert [p["receipt_number"] for p in listed] == ["2026-00001"]
    pdf = owner_api.get(f"{BASE}/payments/{made['id']}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert made["receipt_url"].endswith(f"/payments/{made['id']}/receipt.pdf")


def test_categories_and_rates(owner_api: Any) -> None:
    r = owner_api.post(
        f"{BASE}/categories",
        json={"code": "student", "name": "Student", "pays_dues": True, "votes": False},
    )
    assert r.status_code == 201
    assert (
        owner_api.post(f"{BASE}/categories", json={"code": "student", "name": "S"}).status_code
        == 409
    )
    set_rate(owner_api, "student", 2026, "50")
    set_rate(owner_api, "student", 2026, "60")  # the assembly changed its mind
    rates = owner_api.get(f"{BASE}/dues-rates").get_json()["items"]
    assert [(x["category"], x["year"], x["amount"]["amount"]) for x in rates] == [
        ("student", 2026, "60.00")
    ]


def test_the_openapi_document_describes_the_registry(client: Any, association: Any) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    prefix = "/api/v1/workspaces/{workspace}/governance"
    for path in ("/members", "/members/{member_id}", "/payments", "/dues-rates", "/categories"):
        assert prefix + path in paths, sorted(p for p in paths if "governance" in p)


def _api_statements(api: Any) -> int:
    from ent_core.testing import sql_statements

    with sql_statements() as seen:
        assert api.get(f"{BASE}/members?status=late").status_code == 200
    return len(seen)


def test_the_list_costs_the_same_statements_for_5_and_40_members(owner_api: Any) -> None:
    set_rate(owner_api, "active", 2024, "150")
    for i in range(5):
        pay(owner_api, add(owner_api, f"First {i}")["id"], 2024, "2024-02-01")
    few = _api_statements(owner_api)
    for i in range(35):
        pay(owner_api, add(owner_api, f"Then {i}")["id"], 2024, "2024-02-01")
    assert _api_statements(owner_api) == few


def test_reminders_through_the_api(owner_api: Any, adherent_api: Any, mail_outbox: Any) -> None:
    set_rate(owner_api, "active", 2025, "200")
    add(owner_api, "Late", email="late@example.ma")
    assert adherent_api.post(f"{BASE}/reminders").status_code == 403
    assert owner_api.post(f"{BASE}/reminders").get_json() == {"sent": 1}
    assert owner_api.post(f"{BASE}/reminders").get_json() == {"sent": 0}
    assert [m["to"] for m in mail_outbox] == ["late@example.ma"]


def test_an_account_is_linked_to_one_member_only(owner_api: Any, adherent: Any) -> None:
    add(owner_api, "Amina", user_id=adherent.id)
    r = owner_api.post(
        f"{BASE}/members",
        json={
            "name": "Amina bis",
            "category": "active",
            "joined_on": "2024-01-01",
            "user_id": adherent.id,
        },
    )
    assert r.status_code == 422
    assert r.get_json()["error"]["details"]["fields"]["user"]
