"""Bodies, offices and mandates: who holds which office on a date, ending and renewing,
through the pages and the API."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.frozen_clock()

API = "/api/v1/workspaces/souss/governance"


@pytest.fixture
def bureau(api_client: Any, registry: Any) -> dict[str, Any]:
    """The bureau (two-year terms) with a president and two board seats, made through the API."""
    body = api_client.post(
        f"{API}/bodies", json={"kind": "bureau", "name": "Bureau", "term_years": 2}
    ).get_json()
    president = api_client.post(
        f"{API}/offices", json={"body_id": body["id"], "title": "Président", "role": "president"}
    ).get_json()
    seats = api_client.post(
        f"{API}/offices",
        json={"body_id": body["id"], "title": "Membre", "role": "board_member", "seats": 2},
    ).get_json()
    return {"body": body, "president": president, "seats": seats}


def appoint(api_client: Any, office: dict, member: Any, **extra: Any) -> Any:
    return api_client.post(
        f"{API}/mandates",
        json={"office_id": office["id"], "member_id": member.id, **extra},
    )


def test_a_body_is_created_from_its_page(signed_in_client: Any, association: Any) -> None:
    r = signed_in_client.post(
        "/w/souss/governance/bodies/new",
        data={"kind": "board", "name": "Conseil d'administration", "term_years": "3"},
    )
    assert r.status_code == 303
    page = signed_in_client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Conseil d&#39;administration" in page


def test_a_mandate_lasts_the_body_term_by_default(api_client: Any, bureau: Any, registry: Any):
    r = appoint(api_client, bureau["president"], registry["amina"], starts_on="2026-05-01")
    assert r.status_code == 201
    assert r.get_json()["ends_on"] == "2028-04-30"


def test_holders_on_a_date(api_client: Any, bureau: Any, registry: Any) -> None:
    appoint(
        api_client,
        bureau["president"],
        registry["chaima"],
        starts_on="2024-02-01",
        ends_on="2024-04-30",
    )
    appoint(api_client, bureau["president"], registry["amina"], starts_on="2024-05-01")
    then = api_client.get(f"{API}/mandates?on=2024-03-01").get_json()["items"]
    now = api_client.get(f"{API}/mandates?on=2025-06-15").get_json()["items"]
    assert [m["member_name"] for m in then] == ["Chaima Chraibi"]
    assert [m["member_name"] for m in now] == ["Amina Alaoui"]


def test_holders_page_takes_a_date(
    signed_in_client: Any, api_client: Any, bureau: Any, registry: Any
) -> None:
    appoint(
        api_client,
        bureau["president"],
        registry["chaima"],
        starts_on="2024-02-01",
        ends_on="2024-04-30",
    )
    page = signed_in_client.get("/w/souss/governance/mandates/?on=2024-03-01").get_data(
        as_text=True
    )
    today = signed_in_client.get("/w/souss/governance/mandates/?lang=en").get_data(as_text=True)
    assert "Chaima Chraibi" in page
    assert "Chaima Chraibi" not in today


def test_an_office_never_holds_more_mandates_than_seats(
    api_client: Any, bureau: Any, registry: Any
) -> None:
    appoint(api_client, bureau["seats"], registry["amina"], starts_on="2026-01-01")
    appoint(api_client, bureau["seats"], registry["brahim"], starts_on="2026-01-01")
    r = appoint(api_client, bureau["seats"], registry["chaima"], starts_on="2026-06-01")
    assert r.status_code == 409
    assert r.get_json()["error"]["code"] == "office_full"


def test_ending_frees_the_seat(api_client: Any, bureau: Any, registry: Any) -> None:
    first = appoint(api_client, bureau["president"], registry["amina"], starts_on="2026-01-01")
    r = api_client.patch(f"{API}/mandates/{first.get_json()['id']}", json={"ends_on": "2026-03-31"})
    assert r.status_code == 200
    second = appoint(api_client, bureau["president"], registry["brahim"], starts_on="2026-04-01")
    assert second.status_code == 201


def test_renewal_continues_the_day_after(api_client: Any, bureau: Any, registry: Any) -> None:
    first = appoint(api_client, bureau["president"], registry["amina"], starts_on="2024-05-01")
    r = api_client.post(f"{API}/mandates/{first.get_json()['id']}/renewal", json={})
    assert r.status_code == 201
    assert (r.get_json()["starts_on"], r.get_json()["ends_on"]) == ("2026-05-01", "2028-04-30")


def test_renewal_from_the_page(
    signed_in_client: Any, api_client: Any, bureau: Any, registry: Any
) -> None:
    first = appoint(api_client, bureau["president"], registry["amina"], starts_on="2024-05-01")
    r = signed_in_client.post(
        f"/w/souss/governance/mandates/{first.get_json()['id']}/renew",
        data={"starts_on": "2026-05-01", "vote_id": "0"},
    )
    assert r.status_code == 303
    mandates = api_client.get(f"{API}/mandates?on=2027-01-01").get_json()["items"]
    assert [m["starts_on"] for m in mandates] == ["2026-05-01"]


def test_holders_page_shows_who_lacks_the_role(
    signed_in_client: Any, api_client: Any, bureau: Any, registry: Any
) -> None:
    appoint(api_client, bureau["president"], registry["brahim"], starts_on="2026-01-01")
    page = signed_in_client.get("/w/souss/governance/mandates/?lang=en").get_data(as_text=True)
    assert "Lacks the role President" in page


def test_api_tells_who_lacks_the_role(api_client: Any, bureau: Any, registry: Any) -> None:
    appoint(api_client, bureau["president"], registry["brahim"], starts_on="2026-01-01")
    appoint(api_client, bureau["seats"], registry["chaima"], starts_on="2026-01-01")
    items = api_client.get(f"{API}/mandates?on=2026-06-15").get_json()["items"]
    assert {m["member_name"]: m["lacks_role"] for m in items} == {
        "Brahim Bennani": "no_role",
        "Chaima Chraibi": "no_account",
    }


def test_granting_the_role_clears_the_warning(
    signed_in_client: Any, api_client: Any, bureau: Any, registry: Any, association: Any
) -> None:
    appoint(api_client, bureau["president"], registry["brahim"], starts_on="2026-01-01")
    membership = next(m for m in association.memberships if m.user_id == registry["brahim"].user_id)
    signed_in_client.post(f"/w/souss/members/{membership.id}/roles", data={"role": "president"})
    items = api_client.get(f"{API}/mandates?on=2026-06-15").get_json()["items"]
    assert items[0]["lacks_role"] is None


def test_plain_members_cannot_appoint(brahim_api: Any, bureau: Any, registry: Any) -> None:
    r = appoint(brahim_api, bureau["president"], registry["brahim"], starts_on="2026-01-01")
    assert r.status_code == 403


def test_plain_members_see_the_holders(
    brahim_client: Any, api_client: Any, bureau: Any, registry: Any
) -> None:
    appoint(api_client, bureau["president"], registry["amina"], starts_on="2026-01-01")
    page = brahim_client.get("/w/souss/governance/mandates/?lang=en").get_data(as_text=True)
    assert "Amina Alaoui" in page and "Lacks the role" not in page
