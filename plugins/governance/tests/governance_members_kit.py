"""Arranging the registry through the API, as an owner or officer would."""

from __future__ import annotations

from typing import Any

BASE = "/api/v1/workspaces/souss/governance"


def set_rate(api: Any, category: str, year: int, amount: str) -> dict[str, Any]:
    r = api.put(
        f"{BASE}/dues-rates",
        json={"category": category, "year": year, "amount": {"amount": amount, "currency": "MAD"}},
    )
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def add(api: Any, name: str, **fields: Any) -> dict[str, Any]:
    body = {"name": name, "category": "active", "joined_on": "2020-01-15", **fields}
    r = api.post(f"{BASE}/members", json=body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def pay(api: Any, member_id: int, year: int, paid_on: str, amount: str = "200") -> Any:
    return api.post(
        f"{BASE}/payments",
        json={
            "member_id": member_id,
            "year": year,
            "amount": {"amount": amount, "currency": "MAD"},
            "method": "cash",
            "paid_on": paid_on,
        },
    )
