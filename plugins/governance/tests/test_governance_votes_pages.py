"""Votes from the members' pages (CSRF on): the home's section, preparing, casting with the
receipt shown once, the chair's buttons, the results and the receipt check."""

from __future__ import annotations

import re
from typing import Any

import pytest
from ent_plugins.governance.tests.conftest import VOTES, option

from ent_core.testing import sign_in

pytestmark = pytest.mark.frozen_clock
BASE = "/w/souss/governance/votes"


@pytest.fixture(autouse=True)
def _english(signed_in_client: Any) -> None:
    """The assertions read English; French is the default (one test reads Arabic)."""
    signed_in_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def member_client(voting: Any, app_ctx: Any) -> tuple[Any, Any]:
    member, _ = voting.member("Amina")
    client = sign_in(app_ctx.test_client(), member.user)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return member, client


def test_the_home_lists_the_open_votes(voting: Any, member_client: Any) -> None:
    vote = voting.create(title="Approve the 2025 accounts")
    page = member_client[1].get("/w/souss/governance/").get_data(as_text=True)
    assert "Approve the 2025 accounts" in page
    assert f"{BASE}/{vote['id']}" in page


def test_the_list_puts_the_votes_awaiting_me_first(voting: Any, member_client: Any) -> None:
    voting.create(title="Awaiting")  # older: the newest come first otherwise
    done = voting.create(title="Done already")
    _, client = member_client
    client.post(f"{BASE}/{done['id']}/ballots", data={"choice": option(done, "for")})
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert page.index("Awaiting") < page.index("Done already")
    assert "Your vote is awaited" in page


def test_the_chair_prepares_and_opens_a_vote(signed_in_client: Any, voting: Any) -> None:
    r = signed_in_client.post(
        f"{BASE}/new",
        data={
            "title": "Where to dig",
            "kind": "single",
            "majority": "simple",
            "max_choices": "1",
            "agenda_item_id": "0",
            "office_id": "0",
            "cutoff_on": "2026-06-01",
            "options": "North well\nSouth well",
        },
    )
    assert r.status_code == 303
    page = r.headers["Location"]
    assert "North well" in signed_in_client.get(page).get_data(as_text=True)
    opened = signed_in_client.post(f"{page}/open")
    assert opened.status_code == 303
    assert "Close the vote" in signed_in_client.get(page).get_data(as_text=True)


def test_a_form_error_shows_the_form_again(signed_in_client: Any, voting: Any) -> None:
    r = signed_in_client.post(
        f"{BASE}/new",
        data={"title": "Q", "kind": "single", "majority": "simple", "max_choices": "1",
              "agenda_item_id": "0", "office_id": "0"},
    )  # fmt: skip
    assert r.status_code == 422
    assert "cut-off date" in r.get_data(as_text=True)


def test_a_member_casts_and_sees_the_receipt_once(voting: Any, member_client: Any) -> None:
    vote = voting.create(secret=True)
    _, client = member_client
    r = client.post(f"{BASE}/{vote['id']}/ballots", data={"choice": option(vote, "for")})
    assert r.status_code == 201
    receipt = re.search(r'<strong class="ltr" dir="ltr">([0-9a-f]{20})</strong>', r.get_data(True))
    assert receipt
    again = client.get(f"{BASE}/{vote['id']}").get_data(as_text=True)
    assert receipt.group(1) not in again
    assert "Voted" in again


def test_a_second_ballot_from_the_page_is_refused(voting: Any, member_client: Any) -> None:
    vote = voting.create()
    _, client = member_client
    client.post(f"{BASE}/{vote['id']}/ballots", data={"choice": option(vote, "for")})
    r = client.post(f"{BASE}/{vote['id']}/ballots", data={"choice": option(vote, "against")})
    assert r.status_code == 303
    assert "already voted" in client.get(r.headers["Location"]).get_data(as_text=True)


def test_a_ballot_without_the_csrf_token_is_refused(voting: Any, member_client: Any) -> None:
    vote = voting.create()
    _, client = member_client
    r = client.post(
        f"{BASE}/{vote['id']}/ballots", data={"choice": option(vote, "for")}, csrf=False
    )
    assert r.status_code == 400


def test_results_wait_for_the_close_then_check_a_receipt(
    signed_in_client: Any, voting: Any, member_client: Any
) -> None:
    vote = voting.create(secret=True)
    _, client = member_client
    page = client.post(f"{BASE}/{vote['id']}/ballots", data={"choice": option(vote, "against")})
    receipt = re.search(r'dir="ltr">([0-9a-f]{20})<', page.get_data(True)).group(1)
    assert client.get(f"{BASE}/{vote['id']}/results").status_code == 403
    closed = signed_in_client.post(f"{BASE}/{vote['id']}/close")
    assert closed.status_code == 303
    results = client.get(f"{BASE}/{vote['id']}/results").get_data(as_text=True)
    assert "Published ballots" in results
    checked = client.post(f"{BASE}/{vote['id']}/results", data={"receipt": receipt})
    assert "Your ballot was counted for: Against." in checked.get_data(as_text=True)


def test_the_chair_enters_a_show_of_hands(signed_in_client: Any, voting: Any) -> None:
    vote = voting.create(manual=True)
    counts = {f"count-{option(vote, c)}": n for c, n in (("for", 12), ("against", 4))}
    r = signed_in_client.post(f"{BASE}/{vote['id']}/tally", data=counts)
    assert r.status_code == 303
    signed_in_client.post(f"{BASE}/{vote['id']}/close")
    page = signed_in_client.get(f"{BASE}/{vote['id']}/results").get_data(as_text=True)
    assert "The resolution is adopted." in page


def test_members_do_not_see_drafts(voting: Any, member_client: Any) -> None:
    vote = voting.create(open=False)
    _, client = member_client
    assert client.get(f"{BASE}/{vote['id']}").status_code == 404
    assert client.get(f"{BASE}/new").status_code == 403


def test_the_ballot_reads_right_to_left_in_arabic(voting: Any, member_client: Any) -> None:
    vote = voting.create(secret=True)
    _, client = member_client
    page = client.get(f"{BASE}/{vote['id']}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "الإدلاء بهذا الصوت" in page  # "Cast this ballot"
    assert "اقتراع سري" in page  # "Secret ballot"


def test_the_chair_runs_an_election_to_its_mandates(
    signed_in_client: Any, voting: Any, app_ctx: Any
) -> None:
    from ent_plugins.governance.models import Body, Mandate, Office
    from sqlalchemy import select

    from ent_core import sdk

    with sdk.in_workspace(voting.workspace):
        body = Body(kind="bureau", name="Bureau")
        sdk.db.session.add(body)
        sdk.db.session.flush()
        office = Office(body_id=body.id, title="President", role="president")
        sdk.db.session.add(office)
        sdk.db.session.commit()
    karim, api = voting.member("Karim")
    client = sign_in(app_ctx.test_client(), karim.user)
    vote = voting.create(kind="election", office_id=office.id, open=False)
    page = f"{BASE}/{vote['id']}"
    for member in (karim, voting.chair):
        r = signed_in_client.post(f"{page}/options", data={"candidate_id": member.id, "label": ""})
        assert r.status_code == 303
    assert "Karim" in signed_in_client.get(page).get_data(as_text=True)
    signed_in_client.post(f"{page}/open")
    opened = api.get(f"{VOTES}/{vote['id']}").json
    ballot = client.post(f"{page}/ballots", data={"choice": option(opened, "Karim")})
    assert ballot.status_code == 201
    signed_in_client.post(f"{page}/close")
    results = signed_in_client.get(f"{page}/results").get_data(as_text=True)
    assert "Start the mandates of the elected" in results
    r = signed_in_client.post(f"{page}/mandates", data={"starts_on": "2026-07-01"})
    assert r.status_code == 303
    with sdk.in_workspace(voting.workspace):
        [mandate] = sdk.db.session.scalars(select(Mandate)).all()
    assert (mandate.member_id, mandate.office_id) == (karim.id, office.id)


def test_the_list_sends_as_many_statements_for_two_votes_as_for_eight(
    voting: Any, member_client: Any
) -> None:
    from ent_core.testing import sql_statements

    holder, client = member_client
    principal, _ = voting.member("Principal", account=False)
    meeting = voting.meeting(proxies=((principal, holder),))

    def counted() -> tuple[int, int]:
        with sql_statements() as page:
            assert client.get(f"{BASE}/").status_code == 200
        with sql_statements() as api:
            assert voting.chair_api.get(VOTES).status_code == 200
        return len(page), len(api)

    for _ in range(2):
        voting.create(meeting_id=meeting.id)
    few = counted()
    for _ in range(6):
        voting.create(meeting_id=meeting.id)
        voting.create()
    assert counted() == few


def test_a_resolution_links_to_its_meeting(voting: Any, member_client: Any) -> None:
    meeting = voting.meeting()
    vote = voting.create(meeting_id=meeting.id)
    page = member_client[1].get(f"{BASE}/{vote['id']}").get_data(as_text=True)
    assert f'href="/w/souss/governance/meetings/{meeting.id}"' in page


def test_the_list_pages_through_past_votes_newest_first(signed_in_client: Any, voting: Any) -> None:
    titles = [f"Question {n}" for n in range(1, 4)]
    for title in titles:
        voting.create(title=title, open=False)
    first = signed_in_client.get("/w/souss/governance/votes/?limit=2").get_data(as_text=True)
    assert "Question 3" in first and "Question 2" in first and "Question 1" not in first
    link = re.search(r'href="([^"]+)" rel="next"|rel="next" href="([^"]+)"', first)
    assert link is not None
    nxt = (link.group(1) or link.group(2)).replace("&amp;", "&")
    second = signed_in_client.get(nxt + "&limit=2").get_data(as_text=True)
    assert "Question 1" in second and "Question 3" not in second
