"""Dues: the status from payments with the grace period and lapse years, receipts numbered
per year and never reused, PDF receipts in the member's language, reminders, online payment."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from governance_members_kit import BASE, add, pay, set_rate
from pypdf import PdfReader

pytestmark = pytest.mark.frozen_clock


def _status(api: Any, member_id: int) -> str:
    return api.get(f"{BASE}/members/{member_id}").get_json()["status"]


def _at(clock: Any, day: str) -> None:
    clock.move_to(datetime.fromisoformat(day + "T10:00:00").replace(tzinfo=UTC))


@pytest.fixture
def rated(owner_api: Any) -> Any:
    """Active members owe 150 MAD for 2024 and 200 MAD for 2025 and 2026."""
    set_rate(owner_api, "active", 2024, "150")
    set_rate(owner_api, "active", 2025, "200")
    set_rate(owner_api, "active", 2026, "200")
    return owner_api


def test_this_years_dues_are_not_late_until_the_grace_period_ends(
    rated: Any, frozen_clock: Any
) -> None:
    _at(frozen_clock, "2026-03-01")
    member = add(rated, "Nadia", joined_on="2024-01-10")
    assert pay(rated, member["id"], 2024, "2024-02-01").status_code == 201
    assert pay(rated, member["id"], 2025, "2025-02-01").status_code == 201
    _at(frozen_clock, "2026-03-31")  # the 90th day of 2026: the last day of grace
    assert _status(rated, member["id"]) == "up_to_date"
    _at(frozen_clock, "2026-04-01")
    got = rated.get(f"{BASE}/members/{member['id']}").get_json()
    assert (got["status"], got["unpaid_years"]) == ("late", [2026])


def test_without_grace_the_dues_are_late_at_the_turn_of_the_year(
    rated: Any, frozen_clock: Any
) -> None:
    r = rated.put("/api/v1/workspaces/souss/plugins/governance", json={"grace_days": 0})
    assert r.status_code == 200, r.get_json()
    _at(frozen_clock, "2025-12-31")
    member = add(rated, "Rachid", joined_on="2025-01-05")
    assert pay(rated, member["id"], 2025, "2025-01-05").status_code == 201
    assert _status(rated, member["id"]) == "up_to_date"
    _at(frozen_clock, "2026-01-01")
    assert _status(rated, member["id"]) == "late"


def test_a_new_member_has_the_grace_period_from_the_day_they_join(
    rated: Any, frozen_clock: Any
) -> None:
    _at(frozen_clock, "2026-05-01")
    member = add(rated, "Ilham", joined_on="2026-05-01")
    _at(frozen_clock, "2026-07-29")  # the 89th day after joining
    assert _status(rated, member["id"]) == "up_to_date"
    _at(frozen_clock, "2026-07-30")
    assert _status(rated, member["id"]) == "late"


def test_two_unpaid_years_make_a_member_lapsed(rated: Any) -> None:
    member = add(rated, "Said", joined_on="2023-06-01")  # 2023 has no rate: nothing owed
    got = rated.get(f"{BASE}/members/{member['id']}").get_json()
    assert (got["status"], got["unpaid_years"]) == ("lapsed", [2026, 2025])  # on 15 June 2026
    assert pay(rated, member["id"], 2025, "2026-06-10").status_code == 201
    got = rated.get(f"{BASE}/members/{member['id']}").get_json()
    assert (got["status"], got["unpaid_years"]) == ("late", [2026])


def test_instalments_add_up_to_the_rate(rated: Any) -> None:
    member = add(rated, "Khalid", joined_on="2026-01-01")
    assert pay(rated, member["id"], 2026, "2026-02-01", amount="120").status_code == 201
    assert _status(rated, member["id"]) == "late"
    assert pay(rated, member["id"], 2026, "2026-03-01", amount="80").status_code == 201
    assert _status(rated, member["id"]) == "up_to_date"
    full = pay(rated, member["id"], 2026, "2026-03-02", amount="10")
    assert full.status_code == 409 and full.get_json()["error"]["code"] == "already_paid"


def test_honorary_members_owe_nothing(rated: Any) -> None:
    set_rate(rated, "honorary", 2025, "100")
    member = add(rated, "Pr. Fatima", category="honorary", joined_on="2010-01-01")
    assert _status(rated, member["id"]) == "up_to_date"


def test_a_payment_counts_from_the_day_it_was_made(rated: Any, frozen_clock: Any) -> None:
    member = add(rated, "Hamza", joined_on="2025-01-01")
    assert pay(rated, member["id"], 2025, "2025-02-01").status_code == 201
    assert pay(rated, member["id"], 2026, "2026-06-10").status_code == 201
    _at(frozen_clock, "2026-06-09")  # the roll of a meeting on the 9th does not see it
    assert _status(rated, member["id"]) == "late"
    _at(frozen_clock, "2026-06-10")
    assert _status(rated, member["id"]) == "up_to_date"


def test_receipt_numbers_follow_each_other_per_year_and_are_never_reused(rated: Any) -> None:
    a, b = add(rated, "A"), add(rated, "B")
    first = pay(rated, a["id"], 2025, "2026-01-10").get_json()
    second = pay(rated, b["id"], 2025, "2026-01-11").get_json()
    assert (first["receipt_number"], second["receipt_number"]) == ("2026-00001", "2026-00002")
    r = rated.post(f"{BASE}/payments/{second['id']}/transitions", json={"transition": "cancel"})
    assert r.status_code == 200 and r.get_json()["cancelled"] is True
    third = pay(rated, b["id"], 2025, "2026-01-12").get_json()
    assert third["receipt_number"] == "2026-00003"
    older = pay(rated, a["id"], 2024, "2025-12-30").get_json()
    assert older["receipt_number"] == "2025-00001"


def test_cancelling_twice_is_refused(rated: Any) -> None:
    member = add(rated, "C")
    payment = pay(rated, member["id"], 2025, "2026-01-10").get_json()
    url = f"{BASE}/payments/{payment['id']}/transitions"
    assert rated.post(url, json={"transition": "cancel"}).status_code == 200
    again = rated.post(url, json={"transition": "cancel"})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "invalid_transition"


def test_a_year_is_paid_once(rated: Any) -> None:
    member = add(rated, "D")
    assert pay(rated, member["id"], 2025, "2026-01-10").status_code == 201
    again = pay(rated, member["id"], 2025, "2026-01-11")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_paid"


def test_the_treasurer_records_a_cheque_from_the_members_page(
    treasurer_client: Any, rated: Any
) -> None:
    member = add(rated, "Yassine")
    r = treasurer_client.post(
        f"/w/souss/governance/members/{member['id']}/payments",
        data={
            "year": "2025",
            "amount": "200",
            "method": "cheque",
            "paid_on": "2026-06-01",
            "reference": "CHQ 4471",
        },
    )
    assert r.status_code in (302, 303)
    page = treasurer_client.get(r.headers["Location"]).get_data(as_text=True)
    assert "2026-00001" in page and "CHQ 4471" in page


def test_a_member_without_office_cannot_record_payments(adherent_client: Any, rated: Any) -> None:
    member = add(rated, "E")
    r = adherent_client.post(
        f"/w/souss/governance/members/{member['id']}/payments",
        data={"year": "2025", "amount": "200", "method": "cash", "paid_on": "2026-06-01"},
    )
    assert r.status_code == 403


def _pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_arabic_receipt_is_shaped_and_right_to_left(signed_in_client: Any, rated: Any) -> None:
    member = add(rated, "Zineb Tahiri", language="ar")
    payment = pay(rated, member["id"], 2025, "2026-01-10").get_json()
    r = signed_in_client.get(f"/w/souss/governance/dues/payments/{payment['id']}/receipt.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    text = _pdf_text(r.data)
    assert "وصل" in text  # Arabic comes back shaped, in logical order
    assert "2026-00001" in text and "00001-2026" not in text
    assert "Zineb Tahiri" in text


def test_the_french_receipt_is_in_french(signed_in_client: Any, rated: Any) -> None:
    member = add(rated, "Luc Martin", language="fr")
    payment = pay(rated, member["id"], 2025, "2026-01-10").get_json()
    r = signed_in_client.get(f"/w/souss/governance/dues/payments/{payment['id']}/receipt.pdf")
    text = _pdf_text(r.data)
    assert "Reçu" in text and "200,00" in text


def test_a_member_reads_their_own_receipt_only(
    adherent_client: Any, adherent: Any, rated: Any
) -> None:
    mine = add(rated, "Amina Alaoui", user_id=adherent.id)
    other = add(rated, "Other")
    own = pay(rated, mine["id"], 2025, "2026-01-10").get_json()
    theirs = pay(rated, other["id"], 2025, "2026-01-10").get_json()
    url = "/w/souss/governance/dues/payments/{}/receipt.pdf"
    assert adherent_client.get(url.format(own["id"])).status_code == 200
    assert adherent_client.get(url.format(theirs["id"])).status_code == 403


def _remind(client: Any) -> Any:
    return client.post("/w/souss/governance/dues/reminders")


def test_reminders_go_to_late_members_in_their_language_once_per_period(
    treasurer_client: Any, rated: Any, mail_outbox: list[dict[str, Any]], frozen_clock: Any
) -> None:
    paid = add(rated, "Paid Up", email="paid@example.ma")
    pay(rated, paid["id"], 2026, "2026-01-05")
    add(rated, "Late Fr", email="late.fr@example.ma", joined_on="2025-01-01")
    add(rated, "متأخر", email="late.ar@example.ma", language="ar", joined_on="2025-01-01")
    assert _remind(treasurer_client).status_code in (302, 303)
    sent = {m["to"]: m for m in mail_outbox}
    assert set(sent) == {"late.fr@example.ma", "late.ar@example.ma"}
    assert "cotisation" in sent["late.fr@example.ma"]["subject"]
    assert "اشتراك" in sent["late.ar@example.ma"]["subject"]
    _remind(treasurer_client)
    assert len(mail_outbox) == 2  # not again within 30 days
    frozen_clock.shift(31 * 24 * 3600)
    _remind(treasurer_client)
    assert len(mail_outbox) == 4


def test_the_daily_schedule_reminds_and_respects_the_period(
    rated: Any, mail_outbox: list[dict[str, Any]], frozen_clock: Any
) -> None:
    from ent_plugins.governance.payments import remind_all

    add(rated, "Late", email="late@example.ma", joined_on="2025-01-01")
    assert remind_all() == 1
    assert remind_all() == 0
    frozen_clock.shift(31 * 24 * 3600)
    assert remind_all() == 1
    assert [m["to"] for m in mail_outbox] == ["late@example.ma"] * 2


def test_the_reminder_schedule_runs_daily(app_ctx: Any) -> None:
    from datetime import timedelta

    from ent_plugins.governance import plugin

    found = {s.name: s for s in plugin.ent_schedules()}
    assert found["governance.dues_reminders"].every == timedelta(days=1)


def test_a_member_pays_their_own_dues_online(
    adherent_client: Any, adherent: Any, rated: Any, dues_gateway: Any
) -> None:
    mine = add(rated, "Amina Alaoui", user_id=adherent.id, joined_on="2025-01-01")
    page = adherent_client.get("/w/souss/governance/membership").get_data(as_text=True)
    assert "Test card" in page
    r = adherent_client.post(
        "/w/souss/governance/membership/pay",
        data={"year": "2026", "provider": "testcard", "reference": "OK-981"},
    )
    assert r.status_code in (302, 303)
    assert dues_gateway.checked[-1] == (f"DUES-{mine['number']}-2026", "200.00")
    dues = rated.get(f"{BASE}/members/{mine['id']}/dues").get_json()
    assert dues["status"] == "up_to_date"
    assert [(p["method"], p["reference"]) for p in dues["payments"]] == [
        ("online", "testcard:OK-981")
    ]


def test_a_refused_online_payment_records_nothing(
    adherent_client: Any, adherent: Any, rated: Any, dues_gateway: Any
) -> None:
    mine = add(rated, "Amina Alaoui", user_id=adherent.id, joined_on="2025-01-01")
    r = adherent_client.post(
        "/w/souss/governance/membership/pay",
        data={"year": "2025", "provider": "testcard", "reference": "BAD-1"},
    )
    assert r.status_code == 422
    assert "The gateway refused this payment." in r.get_data(as_text=True)
    assert rated.get(f"{BASE}/members/{mine['id']}/dues").get_json()["payments"] == []


def test_the_roll_frozen_at_a_cut_off_ignores_later_payments(
    rated: Any, association: Any, frozen_clock: Any
) -> None:
    """``roll.freeze_roll`` (what a meeting calls): voters up to date on the cut-off day."""
    from ent_plugins.governance.roll import freeze_roll, roll_member_ids

    from ent_core import sdk

    on_time = add(rated, "On Time", joined_on="2024-01-01")
    pay(rated, on_time["id"], 2026, "2026-05-20")
    after = add(rated, "After", joined_on="2024-01-01")
    pay(rated, after["id"], 2026, "2026-06-10")
    add(rated, "Honorary", category="honorary", joined_on="2024-01-01")
    gone = add(rated, "Gone", joined_on="2024-01-01", left_on="2026-05-01")
    pay(rated, gone["id"], 2026, "2026-01-10")
    with sdk.in_workspace(association):
        roll = freeze_roll(date(2026, 6, 1))
        sdk.db.session.commit()
        assert roll_member_ids(roll.id) == {on_time["id"]}
