"""The registry's other pages: categories and rates through their forms, every page in Arabic,
and the default categories made once."""

from __future__ import annotations

from typing import Any

import pytest
from governance_members_kit import BASE, add, pay, set_rate

from ent_core.testing import enable

pytestmark = pytest.mark.frozen_clock


def test_the_secretary_adds_and_renames_a_category(signed_in_client: Any, owner_api: Any) -> None:
    r = signed_in_client.post(
        "/w/souss/governance/categories",
        data={"code": "student", "name": "Étudiant", "pays_dues": "y"},
    )
    assert r.status_code in (302, 303)
    items = owner_api.get(f"{BASE}/categories").get_json()["items"]
    student = next(c for c in items if c["code"] == "student")
    assert (student["pays_dues"], student["votes"]) == (True, False)
    r = signed_in_client.post(
        f"/w/souss/governance/categories/{student['id']}/edit",
        data={"code": "student", "name": "Étudiant·e", "pays_dues": "y", "votes": "y"},
    )
    assert r.status_code in (302, 303)
    page = signed_in_client.get("/w/souss/governance/categories").get_data(as_text=True)
    assert "Étudiant·e" in page


def test_a_category_code_is_unique(signed_in_client: Any, association: Any) -> None:
    r = signed_in_client.post(
        "/w/souss/governance/categories?lang=en",
        data={"code": "active", "name": "Again", "pays_dues": "y"},
    )
    assert r.status_code == 422
    assert "Another category has this code." in r.get_data(as_text=True)


def test_the_treasurer_sets_a_rate(treasurer_client: Any, owner_api: Any) -> None:
    items = owner_api.get(f"{BASE}/categories").get_json()["items"]
    active = next(c["id"] for c in items if c["code"] == "active")
    r = treasurer_client.post(
        "/w/souss/governance/dues/rates",
        data={"category_id": str(active), "year": "2026", "amount": "250"},
    )
    assert r.status_code in (302, 303)
    rates = owner_api.get(f"{BASE}/dues-rates").get_json()["items"]
    assert [(x["year"], x["amount"]["amount"]) for x in rates] == [(2026, "250.00")]


def test_a_board_member_sees_rates_but_cannot_set_them(
    make_user: Any, association: Any, app_ctx: Any
) -> None:
    from ent_plugins.governance.tests.conftest import _officer

    from ent_core.testing import sign_in

    person = _officer(association, app_ctx, make_user("board@example.ma"), "board_member")
    client = sign_in(app_ctx.test_client(), person)
    assert client.get("/w/souss/governance/dues/rates").status_code == 200
    r = client.post("/w/souss/governance/dues/rates", data={"year": "2026", "amount": "1"})
    assert r.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "members/",
        "members/new",
        "members/import",
        "members/{id}",
        "members/{id}/edit",
        "membership",
        "categories",
        "dues/rates",
        "dues/payments",
    ],
)
def test_every_page_reads_right_to_left_in_arabic(
    signed_in_client: Any, owner_api: Any, user: Any, path: str
) -> None:
    set_rate(owner_api, "active", 2025, "200")
    member = add(owner_api, "Fatima Zahra", user_id=user.id)
    pay(owner_api, member["id"], 2025, "2026-02-01")
    r = signed_in_client.get(f"/w/souss/governance/{path.format(id=member['id'])}?lang=ar")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'dir="rtl"' in html


def test_switching_the_module_on_again_adds_no_categories(owner_api: Any, association: Any) -> None:
    r = owner_api.delete("/api/v1/workspaces/souss/plugins/governance")
    assert r.status_code == 204
    enable(association, "governance")
    items = owner_api.get(f"{BASE}/categories").get_json()["items"]
    assert sorted(c["code"] for c in items) == ["active", "founding", "honorary"]


def test_someone_without_a_record_is_told_so(adherent_client: Any, association: Any) -> None:
    page = adherent_client.get("/w/souss/governance/membership?lang=en").get_data(as_text=True)
    assert "Your account is not linked to a record of the member registry." in page
