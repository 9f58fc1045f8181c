"""Payments recorded at the same moment (two treasurers, a double click): receipt numbers stay
unique and in order, and a year is paid once. Real threads; row locks on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from governance_members_kit import BASE, add, pay, set_rate

from ent_core.testing import ApiClient, race

pytestmark = pytest.mark.frozen_clock


def _client(app: Any, api: Any) -> ApiClient:
    return ApiClient(app.test_client(), api.token)


def test_payments_recorded_at_once_get_distinct_receipt_numbers(app: Any, owner_api: Any) -> None:
    set_rate(owner_api, "active", 2025, "200")
    members = [add(owner_api, f"Racer {i}") for i in range(6)]
    clients = [_client(app, owner_api) for _ in members]
    answers = race(len(members), lambda i: pay(clients[i], members[i]["id"], 2025, "2026-03-01"))
    assert [a.status_code for a in answers] == [201] * 6
    numbers = sorted(a.get_json()["receipt_number"] for a in answers)
    assert numbers == [f"2026-{n:05d}" for n in range(1, 7)]


def test_a_double_click_pays_a_year_once(app: Any, owner_api: Any) -> None:
    set_rate(owner_api, "active", 2025, "200")
    member = add(owner_api, "Clicker")
    clients = [_client(app, owner_api) for _ in range(4)]
    answers = race(4, lambda i: pay(clients[i], member["id"], 2025, "2026-03-01"))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409]
    payments = owner_api.get(f"{BASE}/payments?member_id={member['id']}").get_json()["items"]
    assert len(payments) == 1
