"""Every page of bodies, mandates and meetings answers, for the secretary and for a plain
member, in French and in Arabic (right to left)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.frozen_clock()

API = "/api/v1/workspaces/souss/governance"
PAGES = "/w/souss/governance"


@pytest.fixture
def meeting(api_client: Any, board: Any, registry: Any) -> dict[str, Any]:
    meeting = api_client.post(
        f"{API}/meetings",
        json={
            "body_id": board.id,
            "kind": "board",
            "title": "Conseil d'été",
            "starts_at": "2026-07-15T18:00:00",
            "online_url": "https://meet.example.ma/x",
        },
    ).get_json()
    api_client.post(f"{API}/meetings/{meeting['id']}/agenda", json={"title": "Budget"})
    api_client.post(f"{API}/meetings/{meeting['id']}/transitions", json={"transition": "convene"})
    api_client.post(
        f"{API}/meetings/{meeting['id']}/proxies",
        json={"principal_id": registry["chaima"].id, "holder_id": registry["amina"].id},
    )
    return meeting


def manager_pages(meeting: dict, board: Any) -> list[str]:
    m = meeting["id"]
    return [
        f"{PAGES}/",
        f"{PAGES}/bodies/",
        f"{PAGES}/bodies/new",
        f"{PAGES}/bodies/{board.id}",
        f"{PAGES}/bodies/{board.id}/edit",
        f"{PAGES}/bodies/{board.id}/offices/new",
        f"{PAGES}/mandates/",
        f"{PAGES}/mandates/new",
        f"{PAGES}/meetings/",
        f"{PAGES}/meetings/new",
        f"{PAGES}/meetings/{m}",
        f"{PAGES}/meetings/{m}/edit",
        f"{PAGES}/meetings/{m}/attendance",
        f"{PAGES}/meetings/{m}/cancel",
    ]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_secretary_pages_answer(
    signed_in_client: Any, meeting: Any, board: Any, lang: str
) -> None:
    answers = {
        url: signed_in_client.get(f"{url}?lang={lang}").status_code
        for url in manager_pages(meeting, board)
    }
    assert set(answers.values()) == {200}, answers


def test_the_arabic_meeting_page_is_right_to_left(signed_in_client: Any, meeting: Any) -> None:
    page = signed_in_client.get(f"{PAGES}/meetings/{meeting['id']}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page and "جدول الأعمال" in page


def test_a_member_sees_the_meeting_with_their_own_forms(brahim_client: Any, meeting: Any) -> None:
    page = brahim_client.get(f"{PAGES}/meetings/{meeting['id']}?lang=en").get_data(as_text=True)
    assert "Will you attend?" in page and "Give my proxy" in page


def test_a_member_does_not_get_the_sheet(brahim_client: Any, meeting: Any) -> None:
    assert brahim_client.get(f"{PAGES}/meetings/{meeting['id']}/attendance").status_code == 403


def test_the_home_links_to_meetings(signed_in_client: Any, association: Any) -> None:
    page = signed_in_client.get(f"{PAGES}/").get_data(as_text=True)
    assert f'href="{PAGES}/meetings/"' in page


def test_pages_of_each_state_answer(
    signed_in_client: Any, api_client: Any, board: Any, registry: Any
) -> None:
    def create(title: str) -> int:
        meeting = api_client.post(
            f"{API}/meetings",
            json={
                "body_id": board.id,
                "kind": "board",
                "title": title,
                "starts_at": "2026-07-15T18:00:00",
            },
        ).get_json()
        api_client.post(f"{API}/meetings/{meeting['id']}/agenda", json={"title": "Budget"})
        return meeting["id"]

    def move(meeting_id: int, name: str) -> None:
        api_client.post(f"{API}/meetings/{meeting_id}/transitions", json={"transition": name})

    draft, held, adjourned, cancelled = (create(t) for t in ("D", "H", "A", "C"))
    for meeting_id in (held, adjourned, cancelled):
        move(meeting_id, "convene")
    for key in ("amina", "brahim"):
        api_client.put(
            f"{API}/meetings/{held}/attendance/{registry[key].id}", json={"presence": "in_room"}
        )
    move(held, "hold")
    move(adjourned, "adjourn")
    move(cancelled, "cancel")
    urls = [
        f"{PAGES}/meetings/{draft}",
        f"{PAGES}/meetings/{draft}/convene",
        f"{PAGES}/meetings/{held}",
        f"{PAGES}/meetings/{held}/attendance",
        f"{PAGES}/meetings/{adjourned}",
        f"{PAGES}/meetings/{adjourned}/second",
        f"{PAGES}/meetings/{cancelled}",
        f"{PAGES}/meetings/",
    ]
    answers = {url: signed_in_client.get(url).status_code for url in urls}
    assert set(answers.values()) == {200}, answers


def test_mandate_pages_answer(signed_in_client: Any, board: Any) -> None:
    from ent_plugins.governance.models import Mandate

    from ent_core import sdk

    with sdk.in_workspace(board.workspace_id):
        mandate = sdk.db.session.scalars(sdk.db.select(Mandate)).first()
        office_id = mandate.office_id
    urls = [
        f"{PAGES}/mandates/{mandate.id}/end",
        f"{PAGES}/mandates/{mandate.id}/renew",
        f"{PAGES}/offices/{office_id}/edit",
        f"{PAGES}/mandates/new?office_id={office_id}",
    ]
    answers = {url: signed_in_client.get(url).status_code for url in urls}
    assert set(answers.values()) == {200}, answers
