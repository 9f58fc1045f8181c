"""The platform's associates: their status on their author pages, verified on a public page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ent_core import sdk
from ent_core.testing import add_member, operator_settings, sign_in

pytestmark = pytest.mark.frozen_clock  # 15 June 2026


@pytest.fixture
def associates(make_workspace: Any, make_user: Any) -> Any:
    """The associates' workspace ``associes`` and two journalists on its registry: Nadia has
    paid her 2026 dues, Omar has paid nothing since he joined; both have an account there."""
    from ent_plugins.governance.models import DuesPayment, DuesRate, Member, MemberCategory

    workspace = make_workspace(
        "associes", name="Associés de Smart Médias", kind="association", plugins=("governance",)
    )
    nadia = make_user("nadia@example.ma", name="Nadia Journalist")
    omar = make_user("omar@example.ma", name="Omar Journalist")
    add_member(workspace, nadia, "member")
    add_member(workspace, omar, "member")
    with sdk.in_workspace(workspace):
        category = MemberCategory(code="associate", name="Associé")
        sdk.db.session.add(category)
        sdk.db.session.flush()
        sdk.db.session.add(DuesRate(category_id=category.id, year=2026, amount=Decimal("300")))
        members = {}
        for number, user in (("A1", nadia), ("A2", omar)):
            members[user.email] = Member(
                number=number,
                name=user.display_name,
                email=user.email,
                category_id=category.id,
                joined_on=date(2024, 1, 10),
                user_id=user.id,
            )
            sdk.db.session.add(members[user.email])
        sdk.db.session.flush()
        sdk.db.session.add(
            DuesPayment(
                member_id=members[nadia.email].id,
                year=2026,
                amount=Decimal("300"),
                method="transfer",
                paid_on=date(2026, 1, 20),
                receipt_number="2026-0001",
            )
        )
        sdk.db.session.commit()
    with operator_settings("governance", associates_workspace="associes"):
        yield workspace, nadia, omar


def _show_badge(app_ctx: Any, user: Any) -> None:
    """The associate chooses to show the badge, on their page of the associates' workspace."""
    client = sign_in(app_ctx.test_client(), user)
    r = client.post("/w/associes/governance/associates/badge", data={"shown": "y"})
    assert r.status_code == 303


def _badges(app_ctx: Any, user: Any) -> list[Any]:
    with app_ctx.test_request_context("/"):
        return [b for b in sdk.profile_badges(user) if b.kind == "membership"]


def test_an_associate_up_to_date_carries_the_badge(app_ctx, associates):
    _, nadia, _ = associates
    _show_badge(app_ctx, nadia)
    (badge,) = _badges(app_ctx, nadia)
    assert badge.issuer == "Associés de Smart Médias"
    assert badge.url.startswith("http://localhost/s/associes/governance/associates/")


def test_an_associate_behind_with_dues_has_no_badge(app_ctx, associates):
    _, _, omar = associates
    _show_badge(app_ctx, omar)
    assert _badges(app_ctx, omar) == []


def test_no_badge_when_the_operator_names_no_workspace(app_ctx, associates):
    _, nadia, _ = associates
    _show_badge(app_ctx, nadia)
    with operator_settings("governance", associates_workspace=""):
        assert _badges(app_ctx, nadia) == []


def test_an_associate_who_left_has_no_badge(app_ctx, associates):
    from ent_plugins.governance.models import Member

    workspace, nadia, _ = associates
    _show_badge(app_ctx, nadia)
    with sdk.in_workspace(workspace):
        member = sdk.db.session.scalar(sdk.db.select(Member).where(Member.user_id == nadia.id))
        member.left_on = date(2026, 6, 1)
        sdk.db.session.commit()
    assert _badges(app_ctx, nadia) == []


def test_the_badge_links_to_a_public_verification_page(app_ctx, associates, client):
    _, nadia, _ = associates
    _show_badge(app_ctx, nadia)
    (badge,) = _badges(app_ctx, nadia)
    r = client.get(badge.url.removeprefix("http://localhost"))
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Nadia Journalist" in html and "Associés de Smart Médias" in html
    assert "à jour de ses cotisations" in html
    assert "nadia@example.ma" not in html
    assert r.headers["Cache-Control"] == "no-store"


def test_the_verification_page_tells_a_late_status(app_ctx, associates, client):
    from ent_plugins.governance.associates import verify_url
    from ent_plugins.governance.models import Member

    workspace, _, omar = associates
    with app_ctx.test_request_context("/"), sdk.in_workspace(workspace):
        member = sdk.db.session.scalar(sdk.db.select(Member).where(Member.user_id == omar.id))
        url = verify_url(workspace, member)
    html = client.get(url.removeprefix("http://localhost")).get_data(as_text=True)
    assert "Omar Journalist" in html
    assert "à jour de ses cotisations aujourd'hui" not in html


def test_a_forged_token_is_not_found(associates, client):
    assert client.get("/s/associes/governance/associates/1.forged").status_code == 404


def test_the_page_exists_only_in_the_associates_workspace(app_ctx, associates, association, client):
    _, nadia, _ = associates
    _show_badge(app_ctx, nadia)
    (badge,) = _badges(app_ctx, nadia)
    token = badge.url.rsplit("/", 1)[1]
    assert client.get(f"/s/souss/governance/associates/{token}").status_code == 404


def test_no_badge_until_the_associate_chooses_to_show_it(app_ctx, associates):
    _, nadia, _ = associates
    assert _badges(app_ctx, nadia) == []


def test_the_associate_hides_the_badge_again(app_ctx, associates):
    _, nadia, _ = associates
    _show_badge(app_ctx, nadia)
    client = sign_in(app_ctx.test_client(), nadia)
    client.post("/w/associes/governance/associates/badge", data={})
    assert _badges(app_ctx, nadia) == []


def test_the_badge_page_shows_the_status_and_the_verification_link(app_ctx, associates):
    _, nadia, _ = associates
    html = sign_in(app_ctx.test_client(), nadia).get("/w/associes/governance/associates/badge")
    text = html.get_data(as_text=True)
    assert "Nadia Journalist" in text and "/s/associes/governance/associates/" in text


def test_the_associates_home_links_the_badge_page(app_ctx, associates):
    _, nadia, _ = associates
    page = sign_in(app_ctx.test_client(), nadia).get("/w/associes/governance/")
    assert "/w/associes/governance/associates/badge" in page.get_data(as_text=True)


def test_the_badge_page_is_only_in_the_associates_workspace(
    associates, signed_in_client, association
):
    assert signed_in_client.get("/w/souss/governance/associates/badge").status_code == 404
    assert "associates/badge" not in signed_in_client.get("/w/souss/governance/").get_data(
        as_text=True
    )


def test_the_api_shows_and_hides_the_badge(associates, make_api_client, app_ctx):
    _, nadia, _ = associates
    api = make_api_client(nadia)
    url = "/api/v1/workspaces/associes/governance/associates/badge"
    assert api.get(url).json["shown"] is False
    r = api.put(url, json={"shown": True})
    assert r.status_code == 200 and r.json["shown"] is True and r.json["status"] == "up_to_date"
    assert len(_badges(app_ctx, nadia)) == 1


def test_someone_off_the_registry_has_no_badge_to_choose(associates, make_user, make_api_client):
    workspace, _, _ = associates
    stranger = make_user("stranger@example.ma")
    add_member(workspace, stranger, "member")
    r = make_api_client(stranger).get("/api/v1/workspaces/associes/governance/associates/badge")
    assert r.status_code == 404 and r.json["error"]["code"] == "not_an_associate"
