"""Votes through the API: preparing, opening, casting once, results hidden until the close."""

from __future__ import annotations

from typing import Any

import pytest
from ent_plugins.governance.tests.conftest import VOTES, option

pytestmark = pytest.mark.frozen_clock


def test_a_resolution_gets_for_against_and_abstain(voting: Any) -> None:
    vote = voting.create(open=False)
    assert vote["status"] == "draft"
    assert [o["code"] for o in vote["options"]] == ["for", "against", "abstain"]
    assert vote["roll_id"] is not None  # a consultation freezes its own roll


def test_a_consultation_without_a_cutoff_is_refused(voting: Any) -> None:
    r = voting.chair_api.post(VOTES, json={"title": "Q", "kind": "single"})
    assert (r.status_code, r.json["error"]["code"]) == (422, "cutoff_required")


def test_a_cutoff_after_today_is_refused(voting: Any) -> None:
    r = voting.chair_api.post(
        VOTES, json={"title": "Q", "kind": "for_against_abstain", "cutoff_on": "2026-06-16"}
    )
    assert (r.status_code, r.json["error"]["code"]) == (422, "cutoff_in_future")


def test_a_member_casts_once_and_gets_a_receipt(voting: Any) -> None:
    _, client = voting.member("Amina")
    vote = voting.create()
    url = f"{VOTES}/{vote['id']}/ballots"
    r = client.post(url, json={"choices": [option(vote, "for")]})
    assert r.status_code == 201
    assert len(r.json["receipt"]) == 20
    again = client.post(url, json={"choices": [option(vote, "against")]})
    assert (again.status_code, again.json["error"]["code"]) == (409, "already_voted")
    assert client.get(f"{VOTES}/{vote['id']}").json["voted"] is True


def test_results_are_hidden_until_the_vote_closes(voting: Any) -> None:
    _, client = voting.member("Amina")
    vote = voting.create()
    r = client.get(f"{VOTES}/{vote['id']}/results")
    assert (r.status_code, r.json["error"]["code"]) == (403, "results_hidden")


def test_closed_resolution_publishes_counts_outcome_and_receipts(voting: Any) -> None:
    clients = [voting.member(name)[1] for name in ("A", "B", "C")]
    vote = voting.create(secret=True)
    receipts = [
        c.post(f"{VOTES}/{vote['id']}/ballots", json={"choices": [option(vote, code)]}).json[
            "receipt"
        ]
        for c, code in zip(clients, ("for", "for", "against"), strict=True)
    ]
    voting.close(vote)
    r = clients[0].get(f"{VOTES}/{vote['id']}/results")
    assert r.status_code == 200
    counts = {c["option_id"]: c["count"] for c in r.json["counts"]}
    assert counts[option(vote, "for")] == 2
    assert counts[option(vote, "against")] == 1
    assert r.json["outcome"]["adopted"] is True
    assert (r.json["participants"], r.json["electorate"]) == (3, 4)  # the chair did not vote
    assert len(r.json["ballots"]) == 3
    assert all(b["member"] is None for b in r.json["ballots"])
    check = clients[2].post(f"{VOTES}/{vote['id']}/receipts/check", json={"receipt": receipts[2]})
    assert check.json == {"found": True, "choices": [option(vote, "against")]}
    unknown = clients[2].post(f"{VOTES}/{vote['id']}/receipts/check", json={"receipt": "nope"})
    assert unknown.json == {"found": False, "choices": []}


def test_an_open_ballot_names_the_voters_in_the_results(voting: Any) -> None:
    _, client = voting.member("Amina")
    vote = voting.create()
    client.post(f"{VOTES}/{vote['id']}/ballots", json={"choices": [option(vote, "abstain")]})
    voting.close(vote)
    [ballot] = client.get(f"{VOTES}/{vote['id']}/results").json["ballots"]
    assert ballot["member"] == "Amina"


def test_a_closed_vote_refuses_ballots(voting: Any) -> None:
    _, client = voting.member("Amina")
    vote = voting.create()
    voting.close(vote)
    r = client.post(f"{VOTES}/{vote['id']}/ballots", json={"choices": [option(vote, "for")]})
    assert (r.status_code, r.json["error"]["code"]) == (409, "vote_not_open")


def test_a_user_not_on_the_registry_cannot_vote(voting: Any, make_user, make_api_client) -> None:
    from ent_core.testing import add_member

    outsider = make_user("outsider@example.ma")
    add_member(voting.workspace, outsider)
    vote = voting.create()
    r = make_api_client(outsider).post(
        f"{VOTES}/{vote['id']}/ballots", json={"choices": [option(vote, "for")]}
    )
    assert (r.status_code, r.json["error"]["code"]) == (403, "not_a_member")


def test_a_member_who_joined_after_the_cutoff_is_not_on_the_roll(voting: Any) -> None:
    from datetime import date

    from ent_core import sdk

    member, client = voting.member("Late")
    with sdk.in_workspace(voting.workspace):
        member = sdk.db.session.merge(member)
        member.joined_on = date(2026, 6, 10)
        sdk.db.session.commit()
    vote = voting.create()  # cut-off 1 June
    r = client.post(f"{VOTES}/{vote['id']}/ballots", json={"choices": [option(vote, "for")]})
    assert (r.status_code, r.json["error"]["code"]) == (403, "not_on_roll")


def test_a_resolution_takes_exactly_one_choice(voting: Any) -> None:
    _, client = voting.member("Amina")
    vote = voting.create()
    both = [option(vote, "for"), option(vote, "against")]
    r = client.post(f"{VOTES}/{vote['id']}/ballots", json={"choices": both})
    assert (r.status_code, r.json["error"]["code"]) == (422, "invalid_choice")


def test_multiple_choice_respects_max_choices(voting: Any) -> None:
    _, client = voting.member("Amina")
    vote = voting.create(kind="multiple", max_choices=2, options=["Wells", "School", "Road"])
    picks = [option(vote, label) for label in ("Wells", "School", "Road")]
    r = client.post(f"{VOTES}/{vote['id']}/ballots", json={"choices": picks})
    assert (r.status_code, r.json["error"]["code"]) == (422, "too_many_choices")
    ok = client.post(f"{VOTES}/{vote['id']}/ballots", json={"choices": picks[:2]})
    assert ok.status_code == 201


def test_only_a_draft_can_be_changed(voting: Any) -> None:
    vote = voting.create(open=False)
    r = voting.chair_api.patch(f"{VOTES}/{vote['id']}", json={"majority": "two_thirds"})
    assert r.json["majority"] == "two_thirds"
    voting.chair_api.post(f"{VOTES}/{vote['id']}/transitions", json={"transition": "open"})
    r = voting.chair_api.patch(f"{VOTES}/{vote['id']}", json={"title": "Other"})
    assert (r.status_code, r.json["error"]["code"]) == (409, "vote_not_draft")


def test_a_refused_transition_lists_the_allowed_ones(voting: Any) -> None:
    vote = voting.create(open=False)
    r = voting.chair_api.post(f"{VOTES}/{vote['id']}/transitions", json={"transition": "close"})
    assert r.status_code == 409
    assert r.json["error"]["details"]["allowed"] == ["open"]


def test_a_single_choice_vote_needs_two_options_to_open(voting: Any) -> None:
    vote = voting.create(kind="single", options=["Only"], open=False)
    r = voting.chair_api.post(f"{VOTES}/{vote['id']}/transitions", json={"transition": "open"})
    assert (r.status_code, r.json["error"]["code"]) == (409, "too_few_options")
    voting.chair_api.post(f"{VOTES}/{vote['id']}/options", json={"label": "Other"})
    r = voting.chair_api.post(f"{VOTES}/{vote['id']}/transitions", json={"transition": "open"})
    assert r.json["status"] == "open"


def test_members_may_not_prepare_votes(voting: Any) -> None:
    _, client = voting.member("Amina")
    r = client.post(VOTES, json={"title": "Q", "kind": "single", "cutoff_on": "2026-06-01"})
    assert r.status_code == 403


def test_the_list_filters_by_status(voting: Any) -> None:
    voting.create(open=False)
    opened = voting.create()
    r = voting.chair_api.get(f"{VOTES}?status=open")
    assert [v["id"] for v in r.json["items"]] == [opened["id"]]


def test_votes_of_another_workspace_are_not_found(voting: Any, make_workspace: Any) -> None:
    vote = voting.create()
    make_workspace("other", kind="association", plugins=("governance",))
    r = voting.chair_api.get(f"/api/v1/workspaces/other/governance/votes/{vote['id']}")
    assert r.status_code == 404
