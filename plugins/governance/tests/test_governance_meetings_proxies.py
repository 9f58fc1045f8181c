"""Proxies (procurations) and the quorum they count towards: both members on the roll, never
to oneself, at most ``max_proxies`` a holder, no chains."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.frozen_clock()

API = "/api/v1/workspaces/souss/governance"
PAGES = "/w/souss/governance"


@pytest.fixture
def meeting(api_client: Any, board: Any) -> dict[str, Any]:
    """A convened board meeting (roll of four, quorum one half, one proxy a holder)."""
    r = api_client.post(
        f"{API}/meetings",
        json={
            "body_id": board.id,
            "kind": "board",
            "title": "Conseil",
            "starts_at": "2026-07-15T18:00:00",
            "max_proxies": 1,
        },
    )
    meeting = r.get_json()
    api_client.post(f"{API}/meetings/{meeting['id']}/agenda", json={"title": "Budget"})
    api_client.post(f"{API}/meetings/{meeting['id']}/transitions", json={"transition": "convene"})
    return meeting


def give(api: Any, meeting: dict, principal: Any, holder: Any) -> Any:
    return api.post(
        f"{API}/meetings/{meeting['id']}/proxies",
        json={"principal_id": principal.id, "holder_id": holder.id},
    )


def code(r: Any) -> str:
    return r.get_json()["error"]["code"]


def test_a_proxy_is_recorded(api_client: Any, meeting: Any, registry: Any) -> None:
    r = give(api_client, meeting, registry["chaima"], registry["amina"])
    assert r.status_code == 201
    assert r.get_json()["holder_name"] == "Amina Alaoui"


def test_never_to_oneself(api_client: Any, meeting: Any, registry: Any) -> None:
    assert code(give(api_client, meeting, registry["chaima"], registry["chaima"])) == (
        "proxy_to_self"
    )


def test_at_most_max_proxies_a_holder(api_client: Any, meeting: Any, registry: Any) -> None:
    give(api_client, meeting, registry["chaima"], registry["amina"])
    assert code(give(api_client, meeting, registry["driss"], registry["amina"])) == (
        "too_many_proxies"
    )


def test_a_holder_who_gave_their_proxy_holds_none(
    api_client: Any, meeting: Any, registry: Any
) -> None:
    give(api_client, meeting, registry["amina"], registry["brahim"])
    assert code(give(api_client, meeting, registry["chaima"], registry["amina"])) == ("proxy_chain")


def test_a_holder_cannot_pass_on_their_own(api_client: Any, meeting: Any, registry: Any) -> None:
    give(api_client, meeting, registry["chaima"], registry["amina"])
    assert code(give(api_client, meeting, registry["amina"], registry["brahim"])) == ("proxy_chain")


def test_only_members_on_the_roll(
    api_client: Any, meeting: Any, registry: Any, association: Any
) -> None:
    from datetime import date

    from ent_plugins.governance.models import Member

    from ent_core import sdk

    with sdk.in_workspace(association):
        late = Member(
            number="M999",
            name="Late Joiner",
            category_id=registry["amina"].category_id,
            joined_on=date(2026, 6, 1),
        )
        sdk.db.session.add(late)
        sdk.db.session.commit()
    assert code(give(api_client, meeting, late, registry["amina"])) == "not_on_roll"


def test_a_member_gives_their_own_proxy_from_the_page(
    brahim_client: Any, api_client: Any, meeting: Any, registry: Any
) -> None:
    brahim_client.post(
        f"{PAGES}/meetings/{meeting['id']}/proxies", data={"holder_id": registry["amina"].id}
    )
    [proxy] = api_client.get(f"{API}/meetings/{meeting['id']}/proxies").get_json()["items"]
    assert (proxy["principal_name"], proxy["holder_name"]) == ("Brahim Bennani", "Amina Alaoui")


def test_a_member_cannot_give_another_member_proxy(
    brahim_api: Any, meeting: Any, registry: Any
) -> None:
    r = give(brahim_api, meeting, registry["chaima"], registry["brahim"])
    assert r.status_code == 403


def test_the_principal_withdraws_their_proxy(
    brahim_api: Any, api_client: Any, meeting: Any, registry: Any
) -> None:
    proxy = brahim_api.post(
        f"{API}/meetings/{meeting['id']}/proxies", json={"holder_id": registry["amina"].id}
    ).get_json()
    assert brahim_api.delete(f"{API}/proxies/{proxy['id']}").status_code == 204


def test_a_represented_member_counts_towards_the_quorum(
    api_client: Any, meeting: Any, registry: Any
) -> None:
    give(api_client, meeting, registry["chaima"], registry["amina"])
    api_client.put(
        f"{API}/meetings/{meeting['id']}/attendance/{registry['amina'].id}",
        json={"presence": "in_room"},
    )
    quorum = api_client.get(f"{API}/meetings/{meeting['id']}/quorum").get_json()
    assert (quorum["present"], quorum["represented"], quorum["reached"]) == (1, 1, True)


def test_a_proxy_whose_holder_is_absent_counts_for_nothing(
    api_client: Any, meeting: Any, registry: Any
) -> None:
    give(api_client, meeting, registry["chaima"], registry["amina"])
    quorum = api_client.get(f"{API}/meetings/{meeting['id']}/quorum").get_json()
    assert quorum["represented"] == 0


def test_a_principal_who_comes_votes_in_person(
    api_client: Any, meeting: Any, registry: Any
) -> None:
    give(api_client, meeting, registry["chaima"], registry["amina"])
    api_client.put(
        f"{API}/meetings/{meeting['id']}/attendance/{registry['chaima'].id}",
        json={"presence": "in_room"},
    )
    assert api_client.get(f"{API}/meetings/{meeting['id']}/proxies").get_json()["items"] == []


def test_proxies_given_at_once_never_exceed_the_cap(
    make_api_client: Any, user: Any, meeting: Any, registry: Any
) -> None:
    """Three principals give their proxy to the same holder at the same moment, through
    three connections: the meeting's row lock lets exactly one through (max_proxies = 1)."""
    import threading

    clients = [make_api_client(user) for _ in range(3)]
    principals = [registry["brahim"].id, registry["chaima"].id, registry["driss"].id]
    holder = registry["amina"].id
    barrier = threading.Barrier(3)
    statuses: list[int] = [0, 0, 0]

    def run(i: int) -> None:
        barrier.wait(timeout=10)
        r = clients[i].post(
            f"{API}/meetings/{meeting['id']}/proxies",
            json={"principal_id": principals[i], "holder_id": holder},
        )
        statuses[i] = r.status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [201, 409, 409]
