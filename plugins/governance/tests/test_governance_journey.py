"""Browser journey in headless Chromium: the secretary convenes a general assembly, one member
gives their proxy, members check in online and vote (one for himself and by proxy), the quorum
is reached, the minutes are drafted, signed by the president and the secretary, published, and
appear on the association's public pages and on the sector portal.

Skipped without Chromium or Playwright (fails instead under ``ENT_TEST_REQUIRE_SERVICES=1``).
The voters' category owes no dues, so the roll does not depend on the day the test runs.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from ent_core import sdk
from ent_core.testing import add_member, browser_sign_in, sign_in

pytestmark = pytest.mark.browser

MEETING = "General assembly of the year"
RESOLUTION = "Approve the year's accounts"


@pytest.fixture
def assembly(association: Any, assembly_body: Any, user: Any, make_user: Any, app_ctx: Any) -> Any:
    """Amina (the owner) is secretary, Brahim president, Chaima a member: all three on the
    registry with an account; Driss on the registry without one."""
    from ent_plugins.governance.models import Member, MemberCategory

    owner = sign_in(app_ctx.test_client(), user)
    people = {"amina": user}
    for key, role in (("brahim", "president"), ("chaima", None)):
        person = make_user(f"{key}@example.ma", name=key.capitalize())
        membership = add_member(association, person, "member")
        if role:
            r = owner.post(f"/w/souss/members/{membership.id}/roles", data={"role": role})
            assert r.status_code in (302, 303)
        people[key] = person
    r = owner.post(
        f"/w/souss/members/{association.memberships[0].id}/roles", data={"role": "secretary"}
    )
    assert r.status_code in (302, 303)
    with sdk.in_workspace(association):
        voters = MemberCategory(code="voter", name="Voter", pays_dues=False, votes=True)
        sdk.db.session.add(voters)
        sdk.db.session.flush()
        for number, key in enumerate(("amina", "brahim", "chaima", "driss"), start=1):
            account = people.get(key)
            sdk.db.session.add(
                Member(
                    number=f"J{number}",
                    name=key.capitalize(),
                    category_id=voters.id,
                    user_id=account.id if account else None,
                    joined_on=date(2020, 1, 1),
                )
            )
        sdk.db.session.commit()
    return people


def test_an_assembly_from_convocation_to_published_minutes(
    in_chromium: Any, served_app: str, assembly: Any, association: Any
) -> None:
    starts = sdk.to_local(sdk.utcnow(), association) + timedelta(minutes=30)
    in_chromium(lambda chromium: _journey(chromium, served_app, starts))


def _tab(chromium: Any, base: str, email: str | None) -> Any:
    context = chromium.new_context(base_url=base, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the pages' data-confirm questions
    if email is not None:
        browser_sign_in(page, email)
    return page


def _button(page: Any, name: str) -> Any:
    return page.get_by_role("main").get_by_role("button", name=name, exact=True)


def _link(page: Any, name: str) -> Any:
    return page.get_by_role("main").get_by_role("link", name=name, exact=True)


def _journey(chromium: Any, served: str, starts: datetime) -> None:
    from playwright.sync_api import expect

    secretary = _tab(chromium, served, "owner@example.ma")
    secretary.goto("/w/souss/governance/meetings/new")
    secretary.get_by_label("Title").fill(MEETING)
    secretary.get_by_label("Kind").select_option(label="Ordinary general assembly")
    secretary.get_by_label("Starts at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    secretary.get_by_label("Place").fill("Maison des associations, Agadir")
    secretary.get_by_label("Days of notice").fill("0")
    _button(secretary, "Save the meeting").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text(MEETING)
    meeting_url = secretary.url
    secretary.get_by_label("Item").fill(RESOLUTION)
    _button(secretary, "Add to the agenda").click()
    _link(secretary, "Convene").click()
    _button(secretary, "Convene and mail the members").click()
    expect(secretary.get_by_role("main")).to_contain_text("Convened")

    chaima = _tab(chromium, served, "chaima@example.ma")
    chaima.goto(meeting_url)
    chaima.get_by_label("Give my proxy to").select_option(label="Brahim")
    _button(chaima, "Give my proxy").click()
    expect(chaima.get_by_role("main")).to_contain_text("Your proxy is held by Brahim")

    president = _tab(chromium, served, "brahim@example.ma")
    for page in (president, secretary):
        page.goto(meeting_url)
        _button(page, "Check in: I am following online").click()
        expect(page.get_by_role("main")).to_contain_text("You are signed in as present.")
    secretary.reload()
    expect(secretary.get_by_role("main")).to_contain_text("Quorum reached")
    expect(secretary.get_by_role("main")).to_contain_text("2 present and 1 represented")

    _link(secretary, "Prepare a vote on this item").click()
    assert secretary.get_by_label("Agenda item of a meeting").input_value() != "0"  # chosen
    secretary.get_by_label("Question put to the vote").fill(RESOLUTION)
    _button(secretary, "Prepare the vote").click()
    _button(secretary, "Open the vote").click()
    vote_url = secretary.url

    president.goto(vote_url)
    for form in (
        president.locator("form", has_text="Your choice"),
        president.locator("form", has_text="who gave you their proxy"),
    ):
        form.get_by_label("For", exact=True).check()
        form.get_by_role("button", name="Cast this ballot").click()
    expect(president.get_by_role("main")).to_contain_text("by proxy")
    secretary.goto(vote_url)
    secretary.locator("form", has_text="Your choice").get_by_label("Against", exact=True).check()
    _button(secretary, "Cast this ballot").click()
    _button(secretary, "Close the vote").click()  # and on to the results
    expect(secretary.get_by_role("main")).to_contain_text("The resolution is adopted.")

    secretary.goto(meeting_url)
    _button(secretary, "Mark as held").click()
    _link(secretary, "Draft the minutes").click()
    secretary.get_by_label("Language of the minutes").select_option("fr")
    _button(secretary, "Draft the minutes").click()
    expect(secretary.get_by_role("main")).to_contain_text(RESOLUTION)
    minutes_url = secretary.url
    _button(secretary, "Sign as Secretary general").click()
    president.goto(minutes_url)
    _button(president, "Sign as President").click()
    secretary.goto(minutes_url)
    _button(secretary, "Publish on the public pages").click()

    reader = _tab(chromium, served, None)
    reader.goto("/s/souss/governance/minutes/")
    reader.get_by_role("link", name=MEETING).click()
    expect(reader.get_by_role("main")).to_contain_text(RESOLUTION)
    reader.goto("/portal/?lang=en")
    expect(reader.get_by_role("main")).to_contain_text(MEETING)
