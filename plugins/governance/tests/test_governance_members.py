"""The member registry's pages: categories, adding and editing, the list, who sees what."""

from __future__ import annotations

from typing import Any

import pytest
from governance_members_kit import add, pay, set_rate

from ent_core.testing import sql_statements

pytestmark = pytest.mark.frozen_clock


def test_default_categories_come_with_the_module(owner_api: Any, association: Any) -> None:
    r = owner_api.get("/api/v1/workspaces/souss/governance/categories")
    found = {c["code"]: (c["pays_dues"], c["votes"]) for c in r.get_json()["items"]}
    assert found == {"founding": (True, True), "active": (True, True), "honorary": (False, False)}


def test_home_links_to_the_registry(signed_in_client: Any, association: Any) -> None:
    page = signed_in_client.get("/w/souss/governance/").get_data(as_text=True)
    assert "/w/souss/governance/members/" in page
    assert "/w/souss/governance/membership" in page


def _form(client: Any, **fields: Any) -> dict[str, Any]:
    assert client.get("/w/souss/governance/members/new").status_code == 200
    data = {
        "name": "Youssef Amrani",
        "number": "",
        "category_id": "",
        "email": "youssef@example.ma",
        "phone": "+212600000000",
        "cin": "JB123456",
        "language": "ar",
        "joined_on": "2024-02-01",
        "left_on": "",
        "user_id": "0",
        "notes": "",
    }
    data.update(fields)
    return data


def _category_id(api: Any, code: str) -> int:
    items = api.get("/api/v1/workspaces/souss/governance/categories").get_json()["items"]
    return next(c["id"] for c in items if c["code"] == code)


def test_the_secretary_adds_a_member_through_the_form(
    signed_in_client: Any, owner_api: Any
) -> None:
    data = _form(signed_in_client, category_id=str(_category_id(owner_api, "active")))
    r = signed_in_client.post("/w/souss/governance/members/new", data=data)
    assert r.status_code in (302, 303)
    page = signed_in_client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Youssef Amrani" in page and "00001" in page


def test_a_bad_cin_is_shown_under_its_field(signed_in_client: Any, owner_api: Any) -> None:
    data = _form(signed_in_client, category_id=str(_category_id(owner_api, "active")), cin="12")
    r = signed_in_client.post("/w/souss/governance/members/new?lang=en", data=data)
    assert r.status_code == 422
    assert "A CIN is one or two letters, then digits." in r.get_data(as_text=True)


def test_editing_keeps_the_number(signed_in_client: Any, owner_api: Any) -> None:
    member = add(owner_api, "Hind Berrada", number="A-7")
    data = _form(
        signed_in_client,
        name="Hind Berrada El Idrissi",
        number="A-7",
        category_id=str(_category_id(owner_api, "founding")),
    )
    r = signed_in_client.post(f"/w/souss/governance/members/{member['id']}/edit", data=data)
    assert r.status_code in (302, 303)
    got = owner_api.get(f"/api/v1/workspaces/souss/governance/members/{member['id']}").get_json()
    assert (got["name"], got["number"], got["category"]) == (
        "Hind Berrada El Idrissi",
        "A-7",
        "founding",
    )


def test_only_a_member_of_the_workspace_can_be_linked(
    owner_api: Any, make_user: Any, association: Any
) -> None:
    stranger = make_user("stranger@example.ma")
    r = owner_api.post(
        "/api/v1/workspaces/souss/governance/members",
        json={"name": "X", "category": "active", "joined_on": "2024-01-01", "user_id": stranger.id},
    )
    assert r.status_code == 422
    assert r.get_json()["error"]["details"]["fields"]["user"]


def test_the_list_filters_by_category_status_and_search(
    signed_in_client: Any, owner_api: Any
) -> None:
    set_rate(owner_api, "active", 2025, "200")
    paid = add(owner_api, "Karim Paid")
    add(owner_api, "Laila Late")
    add(owner_api, "Omar Honorary", category="honorary")
    assert pay(owner_api, paid["id"], 2025, "2025-03-01").status_code == 201
    base = "/w/souss/governance/members/"
    late = signed_in_client.get(base + "?status=late").get_data(as_text=True)
    assert "Laila Late" in late and "Karim Paid" not in late and "Omar Honorary" not in late
    honorary = _category_id(owner_api, "honorary")
    only = signed_in_client.get(f"{base}?category={honorary}").get_data(as_text=True)
    assert "Omar Honorary" in only and "Laila Late" not in only
    found = signed_in_client.get(base + "?q=karim").get_data(as_text=True)
    assert "Karim Paid" in found and "Laila Late" not in found


def _list_statements(client: Any) -> int:
    with sql_statements() as seen:
        r = client.get("/w/souss/governance/members/?status=late")
        assert r.status_code == 200
    return len(seen)


def test_the_list_costs_the_same_statements_for_5_and_40_members(
    signed_in_client: Any, owner_api: Any
) -> None:
    set_rate(owner_api, "active", 2024, "150")
    set_rate(owner_api, "active", 2025, "200")
    for i in range(5):
        member = add(owner_api, f"First {i}")
        pay(owner_api, member["id"], 2024, "2024-02-01")
    few = _list_statements(signed_in_client)
    for i in range(35):
        member = add(owner_api, f"Then {i}")
        pay(owner_api, member["id"], 2024, "2024-02-01")
    assert _list_statements(signed_in_client) == few


def test_the_list_is_paginated(signed_in_client: Any, owner_api: Any) -> None:
    for i in range(3):
        add(owner_api, f"Member {i}")
    page = signed_in_client.get("/w/souss/governance/members/?limit=2").get_data(as_text=True)
    assert "Member 0" in page and "Member 2" not in page and 'rel="next"' in page


def test_a_member_without_office_goes_to_their_own_record(
    adherent_client: Any, adherent: Any, owner_api: Any
) -> None:
    other = add(owner_api, "Someone Else")
    add(owner_api, "Amina Alaoui", user_id=adherent.id, email="amina@example.ma")
    r = adherent_client.get("/w/souss/governance/members/")
    assert r.status_code in (302, 303) and r.headers["Location"].endswith("/membership")
    mine = adherent_client.get("/w/souss/governance/membership").get_data(as_text=True)
    assert "Amina Alaoui" in mine or "00002" in mine
    assert adherent_client.get(f"/w/souss/governance/members/{other['id']}").status_code == 403


def test_a_member_without_office_cannot_add_members(adherent_client: Any, association: Any) -> None:
    assert adherent_client.get("/w/souss/governance/members/new").status_code == 403


def _payments_statements(client: Any) -> int:
    with sql_statements() as seen:
        assert client.get("/w/souss/governance/dues/payments").status_code == 200
    return len(seen)


def test_the_payments_list_costs_the_same_statements_for_3_and_30_payments(
    signed_in_client: Any, owner_api: Any
) -> None:
    set_rate(owner_api, "active", 2025, "200")
    for i in range(3):
        pay(owner_api, add(owner_api, f"Early {i}")["id"], 2025, "2026-01-02")
    few = _payments_statements(signed_in_client)
    for i in range(27):
        pay(owner_api, add(owner_api, f"Later {i}")["id"], 2025, "2026-01-02")
    assert _payments_statements(signed_in_client) == few
