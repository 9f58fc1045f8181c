"""The chair's side of votes: proxies, a show of hands, elections and their mandates, times."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from ent_plugins.governance.tests.conftest import VOTES, option
from sqlalchemy import select

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock


def test_a_proxy_holder_casts_for_themself_and_each_principal(voting: Any) -> None:
    holder, client = voting.member("Holder")
    principal, _ = voting.member("Principal", account=False)
    meeting = voting.meeting(proxies=((principal, holder),))
    vote = voting.create(meeting_id=meeting.id)
    url = f"{VOTES}/{vote['id']}/ballots"
    mine = client.post(url, json={"choices": [option(vote, "for")]})
    theirs = client.post(
        url, json={"choices": [option(vote, "against")], "on_behalf_of": principal.id}
    )
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert theirs.json["member_id"] == principal.id
    again = client.post(url, json={"choices": [option(vote, "for")], "on_behalf_of": principal.id})
    assert again.json["error"]["code"] == "already_voted"
    voting.close(vote)
    assert client.get(f"{VOTES}/{vote['id']}/results").json["participants"] == 2


def test_nobody_votes_for_a_member_without_their_proxy(voting: Any) -> None:
    holder, _ = voting.member("Holder")
    principal, _ = voting.member("Principal", account=False)
    _, stranger = voting.member("Stranger")
    meeting = voting.meeting(proxies=((principal, holder),))
    vote = voting.create(meeting_id=meeting.id)
    r = stranger.post(
        f"{VOTES}/{vote['id']}/ballots",
        json={"choices": [option(vote, "for")], "on_behalf_of": principal.id},
    )
    assert (r.status_code, r.json["error"]["code"]) == (403, "no_proxy")


def test_a_vote_on_an_agenda_item_belongs_to_its_meeting(voting: Any) -> None:
    from ent_plugins.governance.models import AgendaItem

    meeting = voting.meeting()
    with sdk.in_workspace(voting.workspace):
        item = AgendaItem(meeting_id=meeting.id, title="Accounts 2025")
        sdk.db.session.add(item)
        sdk.db.session.commit()
    vote = voting.create(agenda_item_id=item.id, open=False)
    assert (vote["meeting_id"], vote["agenda_item_id"], vote["roll_id"]) == (
        meeting.id,
        item.id,
        None,
    )


def test_a_show_of_hands_is_counted_from_the_chairs_entry(voting: Any) -> None:
    _, client = voting.member("Amina")
    vote = voting.create(manual=True, majority="two_thirds")
    refused = client.post(f"{VOTES}/{vote['id']}/ballots", json={"choices": [option(vote, "for")]})
    assert refused.json["error"]["code"] == "manual_vote"
    counts = {option(vote, "for"): 20, option(vote, "against"): 9, option(vote, "abstain"): 3}
    r = voting.chair_api.put(f"{VOTES}/{vote['id']}/tally", json={"counts": counts})
    assert r.status_code == 200
    voting.close(vote)
    results = client.get(f"{VOTES}/{vote['id']}/results").json
    assert {c["option_id"]: c["count"] for c in results["counts"]} == counts
    assert results["outcome"]["adopted"] is True  # 20 of 29 cast: two thirds reached
    assert results["ballots"] == []


def test_an_online_vote_takes_no_manual_counts(voting: Any) -> None:
    vote = voting.create()
    r = voting.chair_api.put(
        f"{VOTES}/{vote['id']}/tally", json={"counts": {str(option(vote, "for")): 3}}
    )
    assert (r.status_code, r.json["error"]["code"]) == (409, "not_manual")


def _election(voting: Any, seats: int = 1) -> tuple[dict[str, Any], list[Any], list[Any]]:
    from ent_plugins.governance.models import Body, Office

    with sdk.in_workspace(voting.workspace):
        body = Body(kind="bureau", name="Bureau", term_years=3)
        sdk.db.session.add(body)
        sdk.db.session.flush()
        office = Office(body_id=body.id, title="Treasurer", role="treasurer", seats=seats)
        sdk.db.session.add(office)
        sdk.db.session.commit()
    people = [voting.member(name) for name in ("Karim", "Leila", "Omar")]
    vote = voting.create(
        kind="election",
        max_choices=seats,
        office_id=office.id,
        candidate_ids=[m.id for m, _ in people[:2]],
        secret=True,
    )
    return vote, [m for m, _ in people], [c for _, c in people]


def test_the_elected_start_their_mandates_once(voting: Any) -> None:
    from ent_plugins.governance.models import Mandate

    vote, members, clients = _election(voting)
    karim = option(vote, "Karim")
    for client in clients[:2]:
        client.post(f"{VOTES}/{vote['id']}/ballots", json={"choices": [karim]})
    clients[2].post(f"{VOTES}/{vote['id']}/ballots", json={"choices": [option(vote, "Leila")]})
    voting.close(vote)
    assert clients[0].get(f"{VOTES}/{vote['id']}/results").json["outcome"]["winners"] == [karim]
    r = voting.chair_api.post(f"{VOTES}/{vote['id']}/mandates", json={"starts_on": "2026-07-01"})
    assert r.status_code == 201
    assert r.json["members"] == [members[0].id]
    with sdk.in_workspace(voting.workspace):
        [mandate] = sdk.db.session.scalars(select(Mandate)).all()
    assert (mandate.vote_id, str(mandate.starts_on)) == (vote["id"], "2026-07-01")
    again = voting.chair_api.post(f"{VOTES}/{vote['id']}/mandates", json={})
    assert (again.status_code, again.json["error"]["code"]) == (409, "mandates_started")


def test_mandates_wait_for_the_close(voting: Any) -> None:
    vote, _, _ = _election(voting)
    r = voting.chair_api.post(f"{VOTES}/{vote['id']}/mandates", json={})
    assert (r.status_code, r.json["error"]["code"]) == (409, "vote_not_closed")


def test_the_schedule_opens_and_closes_votes_at_their_times(voting: Any, frozen_clock) -> None:
    from ent_plugins.governance.votes import open_and_close_votes

    now = sdk.utcnow()
    vote = voting.create(
        open=False,
        opens_at=(now + timedelta(hours=1)).isoformat(),
        closes_at=(now + timedelta(hours=2)).isoformat(),
    )
    assert open_and_close_votes() == (0, 0)
    frozen_clock.shift(timedelta(hours=1, minutes=1))
    assert open_and_close_votes() == (1, 0)
    assert voting.chair_api.get(f"{VOTES}/{vote['id']}").json["status"] == "open"
    frozen_clock.shift(timedelta(hours=1))
    assert open_and_close_votes() == (0, 1)
    assert voting.chair_api.get(f"{VOTES}/{vote['id']}").json["status"] == "closed"


def test_a_ballot_after_the_closing_time_is_refused_before_the_job_runs(
    voting: Any, frozen_clock
) -> None:
    _, client = voting.member("Amina")
    closes = (sdk.utcnow() + timedelta(minutes=5)).isoformat()
    vote = voting.create(closes_at=closes)
    frozen_clock.shift(timedelta(minutes=6))
    r = client.post(f"{VOTES}/{vote['id']}/ballots", json={"choices": [option(vote, "for")]})
    assert r.json["error"]["code"] == "vote_not_open"


def test_the_schedule_is_declared(app_ctx: Any) -> None:
    from ent_plugins.governance import plugin

    assert "governance.votes" in {schedule.name for schedule in plugin.ent_schedules()}


def test_the_elected_wait_for_a_seat_the_statutes_leave_free(voting: Any) -> None:
    from datetime import date

    from ent_plugins.governance.models import Mandate, Vote

    vote, members, clients = _election(voting)
    with sdk.in_workspace(voting.workspace):
        office_id = sdk.db.session.get(Vote, vote["id"]).office_id
        sdk.db.session.add(
            Mandate(office_id=office_id, member_id=members[2].id, starts_on=date(2025, 1, 1))
        )
        sdk.db.session.commit()
    clients[0].post(f"{VOTES}/{vote['id']}/ballots", json={"choices": [option(vote, "Karim")]})
    voting.close(vote)
    r = voting.chair_api.post(f"{VOTES}/{vote['id']}/mandates", json={"starts_on": "2026-07-01"})
    assert (r.status_code, r.json["error"]["code"]) == (409, "office_full")
