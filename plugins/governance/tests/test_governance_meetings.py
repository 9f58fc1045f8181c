"""Meetings: creating in the workspace's time zone, the agenda, documents, convening with its
notice and mails, cancelling, RSVP, the attendance sheet, online check-in, and the outcome.

The clock is frozen on 15 June 2026, 10:00 in Casablanca (UTC+1); the board meeting is on
15 July at 18:00 there. Proxies and the quorum are in ``test_governance_meetings_proxies.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from ent_core.testing import sample_image, sample_pdf

pytestmark = pytest.mark.frozen_clock()

API = "/api/v1/workspaces/souss/governance"
PAGES = "/w/souss/governance"


def new_meeting(api: Any, body: Any, **extra: Any) -> dict[str, Any]:
    fields = {
        "body_id": body.id,
        "kind": "board",
        "title": "Conseil de juillet",
        "starts_at": "2026-07-15T18:00:00",
        "location": "Maison des associations, Agadir",
        **extra,
    }
    r = api.post(f"{API}/meetings", json=fields)
    assert r.status_code == 201, r.get_json()
    meeting = r.get_json()
    api.post(f"{API}/meetings/{meeting['id']}/agenda", json={"title": "Rapport moral"})
    return meeting


def transition(api: Any, meeting: dict, name: str, **extra: Any) -> Any:
    return api.post(
        f"{API}/meetings/{meeting['id']}/transitions", json={"transition": name, **extra}
    )


@pytest.fixture
def convened(api_client: Any, board: Any) -> dict[str, Any]:
    meeting = new_meeting(api_client, board)
    assert transition(api_client, meeting, "convene").status_code == 200
    return meeting


# -- creating -------------------------------------------------------------------------------------
def test_the_page_reads_times_on_the_workspace_clock(
    signed_in_client: Any, api_client: Any, board: Any
) -> None:
    r = signed_in_client.post(
        f"{PAGES}/meetings/new",
        data={
            "body_id": str(board.id),
            "kind": "board",
            "title": "Conseil",
            "starts_at": "2026-07-15T18:00",
            "notice_days": "15",
            "quorum": "0.5",
            "second_quorum": "0",
            "max_proxies": "1",
        },
    )
    assert r.status_code == 303
    [meeting] = api_client.get(f"{API}/meetings").get_json()["items"]
    assert meeting["starts_at"] == "2026-07-15T17:00:00Z"


def test_the_notice_defaults_to_the_setting(api_client: Any, board: Any) -> None:
    api_client.put("/api/v1/workspaces/souss/plugins/governance", json={"notice_days": 21})
    assert new_meeting(api_client, board)["notice_days"] == 21


def test_a_board_meeting_needs_a_board(api_client: Any, assembly_body: Any) -> None:
    r = api_client.post(
        f"{API}/meetings",
        json={
            "body_id": assembly_body.id,
            "kind": "board",
            "title": "X",
            "starts_at": "2026-07-15T18:00:00",
        },
    )
    assert r.status_code == 422


def test_agenda_items_keep_their_order(api_client: Any, board: Any) -> None:
    meeting = new_meeting(api_client, board)
    url = f"{API}/meetings/{meeting['id']}/agenda"
    api_client.post(url, json={"title": "Rapport financier"})
    api_client.post(url, json={"title": "Questions diverses", "position": 0})
    titles = [i["title"] for i in api_client.get(url).get_json()["items"]]
    assert titles == ["Questions diverses", "Rapport moral", "Rapport financier"]


def test_an_agenda_item_moves_down_from_the_page(
    signed_in_client: Any, api_client: Any, board: Any
) -> None:
    meeting = new_meeting(api_client, board)
    url = f"{API}/meetings/{meeting['id']}/agenda"
    api_client.post(url, json={"title": "Rapport financier"})
    first = api_client.get(url).get_json()["items"][0]
    signed_in_client.post(f"{PAGES}/agenda/{first['id']}/move", data={"position": "1"})
    titles = [i["title"] for i in api_client.get(url).get_json()["items"]]
    assert titles == ["Rapport financier", "Rapport moral"]


def test_a_pdf_is_attached_and_served(signed_in_client: Any, api_client: Any, board: Any) -> None:
    import io

    meeting = new_meeting(api_client, board)
    signed_in_client.post(
        f"{PAGES}/meetings/{meeting['id']}/documents",
        data={"title": "Comptes 2025", "document": (io.BytesIO(sample_pdf()), "comptes.pdf")},
        content_type="multipart/form-data",
    )
    page = signed_in_client.get(f"{PAGES}/meetings/{meeting['id']}").get_data(as_text=True)
    link = page.split('href="/w/souss/governance/documents/')[1].split('"')[0]
    r = signed_in_client.get(f"{PAGES}/documents/{link}")
    assert r.headers["Content-Type"] == "application/pdf"


def test_a_picture_is_not_a_document(signed_in_client: Any, api_client: Any, board: Any) -> None:
    import io

    meeting = new_meeting(api_client, board)
    signed_in_client.post(
        f"{PAGES}/meetings/{meeting['id']}/documents",
        data={"title": "Photo", "document": (io.BytesIO(sample_image()), "photo.png")},
        content_type="multipart/form-data",
    )
    page = signed_in_client.get(f"{PAGES}/meetings/{meeting['id']}").get_data(as_text=True)
    assert "/governance/documents/" not in page


def test_drafts_are_hidden_from_plain_members(brahim_api: Any, api_client: Any, board: Any) -> None:
    meeting = new_meeting(api_client, board)
    assert brahim_api.get(f"{API}/meetings/{meeting['id']}").status_code == 404


# -- convening ------------------------------------------------------------------------------------
def test_convening_too_late_is_refused(api_client: Any, board: Any) -> None:
    meeting = new_meeting(api_client, board, starts_at="2026-06-25T18:00:00")
    r = transition(api_client, meeting, "convene")
    assert r.status_code == 409
    assert r.get_json()["error"]["code"] == "notice_too_short"


def test_convening_on_the_last_day_of_notice_is_allowed(api_client: Any, board: Any) -> None:
    meeting = new_meeting(api_client, board, starts_at="2026-06-30T09:00:00")
    assert transition(api_client, meeting, "convene").status_code == 200


def test_convening_without_agenda_is_refused(api_client: Any, board: Any) -> None:
    r = api_client.post(
        f"{API}/meetings",
        json={
            "body_id": board.id,
            "kind": "board",
            "title": "Vide",
            "starts_at": "2026-07-15T18:00:00",
        },
    )
    assert transition(api_client, r.get_json(), "convene").get_json()["error"]["code"] == (
        "agenda_empty"
    )


def test_convening_mails_every_member_entitled(
    api_client: Any, board: Any, registry: Any, mail_outbox: list
) -> None:
    meeting = new_meeting(api_client, board)
    transition(api_client, meeting, "convene")
    assert sorted(m["to"] for m in mail_outbox) == sorted(p.email for p in registry.values())


def test_the_convocation_carries_the_agenda(api_client: Any, board: Any, mail_outbox: list) -> None:
    transition(api_client, new_meeting(api_client, board), "convene")
    assert all("Rapport moral" in m["text"] for m in mail_outbox)


def test_the_convocation_is_in_the_member_language(
    api_client: Any, board: Any, mail_outbox: list
) -> None:
    transition(api_client, new_meeting(api_client, board), "convene")
    driss = next(m for m in mail_outbox if m["to"] == "driss@example.ma")
    chaima = next(m for m in mail_outbox if m["to"] == "chaima@example.ma")
    assert driss["subject"].startswith("استدعاء")
    assert chaima["subject"].startswith("Convocation")


def test_convening_freezes_the_board_roll(api_client: Any, convened: Any) -> None:
    meeting = api_client.get(f"{API}/meetings/{convened['id']}").get_json()
    assert (meeting["status"], meeting["quorum"]["roll_size"]) == ("convened", 4)


def test_cancelling_mails_the_cancellation(
    api_client: Any, convened: Any, mail_outbox: list
) -> None:
    mail_outbox.clear()
    r = transition(api_client, convened, "cancel", reason="Salle indisponible")
    assert r.get_json()["status"] == "cancelled"
    assert len(mail_outbox) == 4 and all("Salle indisponible" in m["text"] for m in mail_outbox)


def test_moving_a_convened_meeting_bumps_its_sequence(api_client: Any, convened: Any) -> None:
    before = api_client.get(f"{API}/meetings/{convened['id']}").get_json()["sequence"]
    r = api_client.patch(
        f"{API}/meetings/{convened['id']}", json={"starts_at": "2026-07-16T18:00:00"}
    )
    assert r.get_json()["sequence"] == before + 1


def test_a_convened_meeting_keeps_its_notice(api_client: Any, convened: Any) -> None:
    r = api_client.patch(
        f"{API}/meetings/{convened['id']}", json={"starts_at": "2026-06-20T18:00:00"}
    )
    assert r.get_json()["error"]["code"] == "notice_too_short"


def test_convening_from_the_page(signed_in_client: Any, api_client: Any, board: Any) -> None:
    meeting = new_meeting(api_client, board)
    r = signed_in_client.post(f"{PAGES}/meetings/{meeting['id']}/convene", data={})
    assert r.status_code == 303
    assert api_client.get(f"{API}/meetings/{meeting['id']}").get_json()["status"] == "convened"


# -- answers and the sheet ------------------------------------------------------------------------
def test_a_member_answers_the_convocation(
    brahim_client: Any, api_client: Any, convened: Any, registry: Any
) -> None:
    brahim_client.post(f"{PAGES}/meetings/{convened['id']}/rsvp", data={"rsvp": "yes"})
    sheet = api_client.get(f"{API}/meetings/{convened['id']}/attendance").get_json()["items"]
    assert {r["member_name"]: r["rsvp"] for r in sheet}["Brahim Bennani"] == "yes"


def test_a_member_cannot_answer_for_another(brahim_api: Any, convened: Any, registry: Any) -> None:
    r = brahim_api.put(
        f"{API}/meetings/{convened['id']}/attendance/{registry['chaima'].id}",
        json={"rsvp": "no"},
    )
    assert r.status_code == 403


def test_the_secretary_keeps_the_sheet(
    signed_in_client: Any, api_client: Any, convened: Any, registry: Any
) -> None:
    signed_in_client.post(
        f"{PAGES}/meetings/{convened['id']}/attendance",
        data={
            f"presence-{registry['chaima'].id}": "in_room",
            f"presence-{registry['driss'].id}": "online",
        },
    )
    quorum = api_client.get(f"{API}/meetings/{convened['id']}/quorum").get_json()
    assert (quorum["present"], quorum["required"], quorum["reached"]) == (2, 2, True)


def test_online_check_in_is_closed_before_the_day(brahim_api: Any, convened: Any) -> None:
    r = brahim_api.post(f"{API}/meetings/{convened['id']}/check-in")
    assert r.get_json()["error"]["code"] == "check_in_closed"


def test_online_check_in_on_the_day(brahim_api: Any, convened: Any, frozen_clock: Any) -> None:
    frozen_clock.move_to(datetime(2026, 7, 15, 16, 30, tzinfo=UTC))
    r = brahim_api.post(f"{API}/meetings/{convened['id']}/check-in")
    assert r.get_json()["presence"] == "online"


# -- the outcome ----------------------------------------------------------------------------------
def test_holding_without_quorum_is_refused(api_client: Any, convened: Any) -> None:
    r = transition(api_client, convened, "hold")
    assert r.get_json()["error"]["code"] == "quorum_not_reached"


def test_adjourning_with_the_quorum_is_refused(
    api_client: Any, convened: Any, registry: Any
) -> None:
    for key in ("amina", "brahim"):
        api_client.put(
            f"{API}/meetings/{convened['id']}/attendance/{registry[key].id}",
            json={"presence": "in_room"},
        )
    assert transition(api_client, convened, "adjourn").get_json()["error"]["code"] == (
        "quorum_reached"
    )


def test_held_with_the_quorum(api_client: Any, convened: Any, registry: Any) -> None:
    for key in ("amina", "brahim"):
        api_client.put(
            f"{API}/meetings/{convened['id']}/attendance/{registry[key].id}",
            json={"presence": "in_room"},
        )
    assert transition(api_client, convened, "hold").get_json()["status"] == "held"


def test_second_convocation_has_the_reduced_quorum(api_client: Any, board: Any) -> None:
    meeting = new_meeting(api_client, board, second_quorum_share="0")
    transition(api_client, meeting, "convene")
    transition(api_client, meeting, "adjourn")
    r = api_client.post(
        f"{API}/meetings/{meeting['id']}/second-convocation",
        json={"starts_at": "2026-08-01T18:00:00"},
    )
    again = r.get_json()
    assert r.status_code == 201
    assert (again["first_convocation_id"], again["quorum_share"], again["status"]) == (
        meeting["id"],
        "0.0000",
        "draft",
    )


def test_second_convocation_needs_no_quorum_when_statutes_say_so(
    api_client: Any, board: Any
) -> None:
    meeting = new_meeting(api_client, board, second_quorum_share="0")
    transition(api_client, meeting, "convene")
    transition(api_client, meeting, "adjourn")
    again = api_client.post(
        f"{API}/meetings/{meeting['id']}/second-convocation",
        json={"starts_at": "2026-08-01T18:00:00"},
    ).get_json()
    transition(api_client, again, "convene")
    assert transition(api_client, again, "hold").get_json()["status"] == "held"


def test_second_convocation_keeps_the_agenda(api_client: Any, board: Any) -> None:
    meeting = new_meeting(api_client, board)
    transition(api_client, meeting, "convene")
    transition(api_client, meeting, "adjourn")
    again = api_client.post(
        f"{API}/meetings/{meeting['id']}/second-convocation",
        json={"starts_at": "2026-08-01T18:00:00"},
    ).get_json()
    items = api_client.get(f"{API}/meetings/{again['id']}/agenda").get_json()["items"]
    assert [i["title"] for i in items] == ["Rapport moral"]


def test_only_an_adjourned_meeting_is_convened_again(api_client: Any, convened: Any) -> None:
    r = api_client.post(
        f"{API}/meetings/{convened['id']}/second-convocation",
        json={"starts_at": "2026-08-01T18:00:00"},
    )
    assert r.get_json()["error"]["code"] == "not_adjourned"


def test_an_unknown_transition_lists_the_allowed(api_client: Any, convened: Any) -> None:
    r = transition(api_client, convened, "publish")
    assert r.get_json()["error"]["details"]["allowed"] == ["cancel", "hold", "adjourn"]


def test_adjourning_from_the_page(signed_in_client: Any, api_client: Any, convened: Any) -> None:
    r = signed_in_client.post(f"{PAGES}/meetings/{convened['id']}/adjourn", data={})
    assert r.status_code == 303
    assert api_client.get(f"{API}/meetings/{convened['id']}").get_json()["status"] == "adjourned"


def test_the_api_lists_and_serves_documents(
    signed_in_client: Any, api_client: Any, board: Any
) -> None:
    import io

    meeting = new_meeting(api_client, board)
    signed_in_client.post(
        f"{PAGES}/meetings/{meeting['id']}/documents",
        data={"title": "Comptes 2025", "document": (io.BytesIO(sample_pdf()), "comptes.pdf")},
        content_type="multipart/form-data",
    )
    [document] = api_client.get(f"{API}/meetings/{meeting['id']}/documents").get_json()["items"]
    from urllib.parse import urlsplit

    r = api_client.get(urlsplit(document["file_url"]).path)
    assert (document["title"], r.headers["Content-Type"]) == ("Comptes 2025", "application/pdf")


def test_a_convened_meeting_keeps_its_documents_once_held(
    signed_in_client: Any, api_client: Any, convened: Any, registry: Any
) -> None:
    import io

    signed_in_client.post(
        f"{PAGES}/meetings/{convened['id']}/documents",
        data={"title": "PV", "document": (io.BytesIO(sample_pdf()), "pv.pdf")},
        content_type="multipart/form-data",
    )
    for key in ("amina", "brahim"):
        api_client.put(
            f"{API}/meetings/{convened['id']}/attendance/{registry[key].id}",
            json={"presence": "in_room"},
        )
    transition(api_client, convened, "hold")
    [document] = api_client.get(f"{API}/meetings/{convened['id']}/documents").get_json()["items"]
    signed_in_client.post(f"{PAGES}/documents/{document['id']}/delete", data={})
    assert (
        len(api_client.get(f"{API}/meetings/{convened['id']}/documents").get_json()["items"]) == 1
    )


# -- general assemblies: the roll frozen at the cut-off -------------------------------------------
@pytest.fixture
def emma(association: Any, registry: Any) -> Any:
    """A member who paid 2025 but not 2026 (overdue since April): late on 15 June."""
    from datetime import date
    from decimal import Decimal

    from ent_plugins.governance.models import DuesPayment, Member

    from ent_core import sdk

    with sdk.in_workspace(association):
        member = Member(
            number="M005",
            name="Emma Ennaji",
            email="emma@example.ma",
            category_id=registry["amina"].category_id,
            joined_on=date(2024, 1, 10),
        )
        sdk.db.session.add(member)
        sdk.db.session.flush()
        sdk.db.session.add(
            DuesPayment(
                member_id=member.id,
                year=2025,
                amount=Decimal("100"),
                method="cash",
                paid_on=date(2025, 1, 15),
                receipt_number="R2025-005",
            )
        )
        sdk.db.session.commit()
    return member


def pay_2026(association: Any, member: Any, day: str) -> None:
    from datetime import date
    from decimal import Decimal

    from ent_plugins.governance.models import DuesPayment

    from ent_core import sdk

    with sdk.in_workspace(association):
        sdk.db.session.add(
            DuesPayment(
                member_id=member.id,
                year=2026,
                amount=Decimal("100"),
                method="cash",
                paid_on=date.fromisoformat(day),
                receipt_number=f"R2026-{day}",
            )
        )
        sdk.db.session.commit()


def assembly(api: Any, body: Any) -> dict[str, Any]:
    return new_meeting(api, body, kind="ordinary", title="Assemblée générale ordinaire 2026")


def test_the_assembly_roll_holds_the_members_up_to_date(
    api_client: Any, assembly_body: Any, emma: Any
) -> None:
    meeting = assembly(api_client, assembly_body)
    r = transition(api_client, meeting, "convene")
    assert r.get_json()["quorum"]["roll_size"] == 4


def test_the_assembly_convenes_every_member(
    api_client: Any, assembly_body: Any, emma: Any, mail_outbox: list
) -> None:
    transition(api_client, assembly(api_client, assembly_body), "convene")
    assert "emma@example.ma" in {m["to"] for m in mail_outbox} and len(mail_outbox) == 5


def test_a_payment_after_the_cut_off_does_not_change_the_roll(
    api_client: Any, assembly_body: Any, emma: Any, association: Any
) -> None:
    pay_2026(association, emma, "2026-06-12")
    meeting = assembly(api_client, assembly_body)
    r = transition(api_client, meeting, "convene", cutoff_on="2026-06-10")
    assert (r.get_json()["roll_cutoff_on"], r.get_json()["quorum"]["roll_size"]) == (
        "2026-06-10",
        4,
    )


def test_a_payment_before_the_cut_off_counts(
    api_client: Any, assembly_body: Any, emma: Any, association: Any
) -> None:
    pay_2026(association, emma, "2026-06-09")
    meeting = assembly(api_client, assembly_body)
    r = transition(api_client, meeting, "convene", cutoff_on="2026-06-10")
    assert r.get_json()["quorum"]["roll_size"] == 5


def test_a_late_member_may_not_hold_a_proxy(
    api_client: Any, assembly_body: Any, emma: Any, registry: Any
) -> None:
    meeting = assembly(api_client, assembly_body)
    transition(api_client, meeting, "convene")
    r = api_client.post(
        f"{API}/meetings/{meeting['id']}/proxies",
        json={"principal_id": registry["chaima"].id, "holder_id": emma.id},
    )
    assert r.get_json()["error"]["code"] == "not_on_roll"


def test_the_second_convocation_keeps_the_first_roll(
    api_client: Any, assembly_body: Any, emma: Any, association: Any
) -> None:
    meeting = assembly(api_client, assembly_body)
    transition(api_client, meeting, "convene")
    transition(api_client, meeting, "adjourn")
    pay_2026(association, emma, "2026-06-15")
    again = api_client.post(
        f"{API}/meetings/{meeting['id']}/second-convocation",
        json={"starts_at": "2026-08-01T18:00:00"},
    ).get_json()
    r = transition(api_client, again, "convene")
    assert (
        r.get_json()["roll_id"]
        == api_client.get(f"{API}/meetings/{meeting['id']}").get_json()["roll_id"]
    )


def test_moving_a_convened_meeting_tells_the_members(
    api_client: Any, convened: Any, mail_outbox: list
) -> None:
    mail_outbox.clear()
    api_client.patch(f"{API}/meetings/{convened['id']}", json={"location": "Tiznit"})
    assert len(mail_outbox) == 4 and all("Tiznit" in m["text"] for m in mail_outbox)


def test_the_edit_page_shows_the_workspace_clock(
    signed_in_client: Any, api_client: Any, board: Any
) -> None:
    meeting = new_meeting(api_client, board)
    page = signed_in_client.get(f"{PAGES}/meetings/{meeting['id']}/edit").get_data(as_text=True)
    assert 'value="2026-07-15T18:00"' in page


def test_a_meeting_in_ramadan_keeps_its_local_hour(api_client: Any, board: Any) -> None:
    """Morocco is back on UTC+0 during Ramadan: 18:00 in Casablanca is then 18:00 UTC."""
    meeting = new_meeting(api_client, board, starts_at="2027-02-20T18:00:00")
    assert meeting["starts_at"] == "2027-02-20T18:00:00Z"
