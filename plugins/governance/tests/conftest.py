"""Fixtures of the governance plugin's tests (the platform's come from ``ent_core.testing``).

The association ``souss`` is owned by ``user`` (the ``signed_in_client``), approved, with the
governance module on, the way an operator and an owner set it up.
"""

from __future__ import annotations

from typing import Any

import pytest

from ent_core import sdk


@pytest.fixture
def association(make_workspace: Any) -> Any:
    """Workspace ``souss`` (owned by ``user``), approved, with governance on."""
    workspace = make_workspace(
        "souss", name="Souss Green", kind="association", plugins=("governance",)
    )
    workspace.status = "approved"
    sdk.db.session.commit()
    return workspace


# -- development plans and projects (test_governance_plans*.py) -------------------------------
def _officer(association: Any, app_ctx: Any, person: Any, role: str | None) -> Any:
    """``person`` joins the association as a member, with the plugin role ``role`` granted on
    the workspace's members page by its owner."""
    from ent_core.testing import sign_in

    membership = add_member(association, person, "member")
    if role is not None:
        owner = sign_in(app_ctx.test_client(), association.memberships[0].user)
        r = owner.post(f"/w/souss/members/{membership.id}/roles", data={"role": role})
        assert r.status_code in (302, 303)
    return person


@pytest.fixture
def treasurer(make_user: Any, association: Any, app_ctx: Any) -> Any:
    return _officer(
        association, app_ctx, make_user("tresoriere@example.ma", name="Amina"), "treasurer"
    )


@pytest.fixture
def treasurer_client(app_ctx: Any, treasurer: Any) -> Any:
    from ent_core.testing import sign_in

    return sign_in(app_ctx.test_client(), treasurer)


@pytest.fixture
def plain_member(make_user: Any, association: Any, app_ctx: Any) -> Any:
    return _officer(association, app_ctx, make_user("membre@example.ma", name="Brahim"), None)


@pytest.fixture
def member_client(app_ctx: Any, plain_member: Any) -> Any:
    from ent_core.testing import sign_in

    return sign_in(app_ctx.test_client(), plain_member)


@pytest.fixture
def member_api(make_api_client: Any, plain_member: Any) -> Any:
    return make_api_client(plain_member)


@pytest.fixture
def gov_api(api_client: Any, association: Any) -> Any:
    """The owner's API client, for arranging plans and projects through the API."""
    return api_client


# -- bodies, mandates and meetings (items 2 and 3) ------------------------------------------------
@pytest.fixture
def brahim_user(make_user: Any, association: Any) -> Any:
    """A plain member of the workspace (no officer role), on the registry as ``brahim``."""

    person = make_user("brahim@example.ma", name="Brahim Bennani")
    add_member(association, person, "member")
    return person


@pytest.fixture
def registry(association: Any, user: Any, brahim_user: Any) -> dict[str, Any]:
    """Four members up to date with their dues: ``amina`` (the owner's own entry), ``brahim``
    (an account, plain member of the workspace), ``chaima`` and ``driss`` (no account; Driss
    reads Arabic)."""
    from datetime import date
    from decimal import Decimal

    from ent_plugins.governance.models import DuesPayment, DuesRate, Member, MemberCategory

    with sdk.in_workspace(association):
        # The module came with its default categories (members.ensure_default_categories).
        active = sdk.db.session.scalars(
            sdk.db.select(MemberCategory).where(MemberCategory.code == "active")
        ).one()
        for year in (2025, 2026):
            sdk.db.session.add(DuesRate(category_id=active.id, year=year, amount=Decimal("100")))
        people = {}
        for number, (key, name, email, language, account) in enumerate(
            [
                ("amina", "Amina Alaoui", user.email, "fr", user),
                ("brahim", "Brahim Bennani", brahim_user.email, "fr", brahim_user),
                ("chaima", "Chaima Chraibi", "chaima@example.ma", "fr", None),
                ("driss", "Driss Drissi", "driss@example.ma", "ar", None),
            ],
            start=1,
        ):
            member = Member(
                number=f"M{number:03d}",
                name=name,
                email=email,
                language=language,
                category_id=active.id,
                user_id=account.id if account else None,
                joined_on=date(2024, 1, 10),
            )
            sdk.db.session.add(member)
            sdk.db.session.flush()
            for year in (2025, 2026):
                sdk.db.session.add(
                    DuesPayment(
                        member_id=member.id,
                        year=year,
                        amount=Decimal("100"),
                        method="cash",
                        paid_on=date(year, 1, 15),
                        receipt_number=f"R{year}-{number:03d}",
                    )
                )
            people[key] = member
        sdk.db.session.commit()
    return people


@pytest.fixture
def brahim_client(app_ctx: Any, brahim_user: Any) -> Any:
    from ent_core.testing import sign_in

    return sign_in(app_ctx.test_client(), brahim_user)


@pytest.fixture
def brahim_api(make_api_client: Any, brahim_user: Any) -> Any:
    return make_api_client(brahim_user)


@pytest.fixture
def board(association: Any, registry: Any) -> Any:
    """The board, whose four seats the four members of ``registry`` hold since January."""
    from datetime import date

    from ent_plugins.governance.models import Body, Mandate, Office

    with sdk.in_workspace(association):
        body = Body(kind="board", name="Conseil", term_years=3)
        sdk.db.session.add(body)
        sdk.db.session.flush()
        office = Office(body_id=body.id, title="Administrateur", role="board_member", seats=5)
        sdk.db.session.add(office)
        sdk.db.session.flush()
        for member in registry.values():
            sdk.db.session.add(
                Mandate(office_id=office.id, member_id=member.id, starts_on=date(2026, 1, 1))
            )
        sdk.db.session.commit()
    return body


@pytest.fixture
def assembly_body(association: Any) -> Any:
    from ent_plugins.governance.models import Body

    with sdk.in_workspace(association):
        body = Body(kind="general_assembly", name="Assemblée générale")
        sdk.db.session.add(body)
        sdk.db.session.commit()
    return body


# -- minutes, portal and associates (helper gn) ----------------------------------------------
# Meetings, rolls and votes are arranged as rows: the pages that make them belong to other
# parts of the module; what these tests check (minutes, portal, badges) goes through HTTP.
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from secrets import token_hex  # noqa: E402
from types import SimpleNamespace  # noqa: E402

from ent_core.testing import add_member, sign_in  # noqa: E402

MEETING_AT = datetime(2026, 5, 9, 9, 30, tzinfo=UTC)


def _member(workspace: Any, category: Any, number: str, name: str, user: Any = None) -> Any:
    from ent_plugins.governance.models import Member

    with sdk.in_workspace(workspace):
        member = Member(
            number=number,
            name=name,
            category_id=category.id,
            joined_on=date(2020, 1, 1),
            user_id=user.id if user is not None else None,
        )
        sdk.db.session.add(member)
        sdk.db.session.flush()
    return member


@pytest.fixture
def officers(association: Any, make_user: Any, signed_in_client: Any, app_ctx: Any) -> Any:
    """The president (Pia) and the secretary (Samir): roles granted, on the registry."""
    from ent_plugins.governance.models import MemberCategory

    president = make_user("pia@example.ma", name="Pia President")
    secretary = make_user("samir@example.ma", name="Samir Secretary")
    _officer(association, app_ctx, president, "president")
    _officer(association, app_ctx, secretary, "secretary")
    with sdk.in_workspace(association):
        # The module came with its default categories (members.ensure_default_categories).
        active = sdk.db.session.scalars(
            sdk.db.select(MemberCategory).where(MemberCategory.code == "active")
        ).one()
    people = SimpleNamespace(
        president=president,
        secretary=secretary,
        category=active,
        president_member=_member(association, active, "1", "Pia President", president),
        secretary_member=_member(association, active, "2", "Samir Secretary", secretary),
        others=[_member(association, active, str(n), f"Member {n}") for n in range(3, 7)],
    )
    sdk.db.session.commit()
    return people


def _resolution(meeting: Any, item: Any, title: str, for_: int, against: int, voters: list) -> Any:
    from ent_plugins.governance.models import Ballot, Participation, Vote, VoteOption

    vote = Vote(
        meeting_id=meeting.id,
        agenda_item_id=item.id if item is not None else None,
        title=title,
        kind="resolution",
        status="closed",
        opened_at=meeting.starts_at,
        closed_at=meeting.starts_at + timedelta(hours=1),
    )
    sdk.db.session.add(vote)
    sdk.db.session.flush()
    options = {}
    labels = (("for", "For"), ("against", "Against"), ("abstain", "Abstain"))
    for position, (code, label) in enumerate(labels):
        options[code] = VoteOption(vote_id=vote.id, position=position, label=label, code=code)
        sdk.db.session.add(options[code])
    sdk.db.session.flush()
    choices = ["for"] * for_ + ["against"] * against
    for member, code in zip(voters, choices, strict=False):
        sdk.db.session.add(
            Participation(vote_id=vote.id, member_id=member.id, cast_by_id=member.id)
        )
        sdk.db.session.add(
            Ballot(
                id=token_hex(16),
                vote_id=vote.id,
                choices=[options[code].id],
                member_id=member.id,
                receipt_hash=token_hex(32),
            )
        )
    sdk.db.session.flush()
    return vote


def make_meeting(association: Any, officers: Any, *, title: str, at: datetime) -> Any:
    """A held general assembly: a roll of 6, 3 in the room, 1 online, 1 proxy, two items."""
    from ent_plugins.governance.models import (
        AgendaItem,
        Body,
        ElectoralRoll,
        Meeting,
        MeetingAttendance,
        Proxy,
        RollEntry,
    )

    everyone = [officers.president_member, officers.secretary_member, *officers.others]
    with sdk.in_workspace(association):
        body = sdk.db.session.scalar(sdk.db.select(Body)) or Body(
            kind="general_assembly", name="Assemblée générale"
        )
        sdk.db.session.add(body)
        roll = ElectoralRoll(cutoff_on=at.date() - timedelta(days=15), frozen_at=at)
        sdk.db.session.add(roll)
        sdk.db.session.flush()
        for member in everyone:
            sdk.db.session.add(RollEntry(roll_id=roll.id, member_id=member.id))
        meeting = Meeting(
            body_id=body.id,
            kind="ordinary",
            title=title,
            starts_at=at,
            location="Agadir",
            roll_id=roll.id,
            status="held",
        )
        sdk.db.session.add(meeting)
        sdk.db.session.flush()
        presences = ("in_room", "in_room", "in_room", "online")
        for member, presence in zip(everyone, presences, strict=False):
            sdk.db.session.add(
                MeetingAttendance(meeting_id=meeting.id, member_id=member.id, presence=presence)
            )
        sdk.db.session.add(
            Proxy(meeting_id=meeting.id, principal_id=everyone[4].id, holder_id=everyone[0].id)
        )
        report = AgendaItem(meeting_id=meeting.id, position=1, title="Moral report")
        budget = AgendaItem(meeting_id=meeting.id, position=2, title="Budget 2026")
        sdk.db.session.add_all([report, budget])
        sdk.db.session.flush()
        adopted = _resolution(meeting, report, "Approve the moral report", 4, 1, everyone)
        rejected = _resolution(meeting, budget, "Raise the dues", 1, 4, everyone)
        sdk.db.session.commit()
    return SimpleNamespace(meeting=meeting, adopted=adopted, rejected=rejected)


@pytest.fixture
def later_meeting(association: Any, officers: Any) -> Any:
    """An extraordinary assembly of 1 June 2026 (after ``held``), its votes closed."""
    return make_meeting(
        association, officers, title="Extraordinary assembly", at=datetime(2026, 6, 1, tzinfo=UTC)
    )


@pytest.fixture
def held(association: Any, officers: Any) -> Any:
    """The general assembly of 9 May 2026, held, with its votes closed."""
    return make_meeting(association, officers, title="General assembly 2026", at=MEETING_AT)


@pytest.fixture
def secretary_client(app_ctx: Any, officers: Any) -> Any:
    return sign_in(app_ctx.test_client(), officers.secretary)


@pytest.fixture
def president_client(app_ctx: Any, officers: Any) -> Any:
    return sign_in(app_ctx.test_client(), officers.president)


@pytest.fixture
def secretary_api(make_api_client: Any, officers: Any) -> Any:
    return make_api_client(officers.secretary)


@pytest.fixture
def president_api(make_api_client: Any, officers: Any) -> Any:
    return make_api_client(officers.president)


# -- votes (issue #16 item 4) ------------------------------------------------------------------
class Voting:
    """The association ``souss`` with a voting category and members, some with accounts."""

    def __init__(self, workspace: Any, make_user: Any, make_api_client: Any, owner: Any) -> None:
        from datetime import date

        from ent_plugins.governance.models import Member, MemberCategory

        self.workspace = workspace
        self._make_user = make_user
        self._make_api_client = make_api_client
        with sdk.in_workspace(workspace):
            # "active" is one of the module's default categories; this one owes no dues.
            self.category = MemberCategory(code="voter", name="Voter", pays_dues=False)
            sdk.db.session.add(self.category)
            sdk.db.session.flush()
            self.joined = date(2020, 1, 1)
            self.chair = Member(
                number="1", name="Chair", category_id=self.category.id, user_id=owner.id,
                joined_on=self.joined,
            )  # fmt: skip
            sdk.db.session.add(self.chair)
            sdk.db.session.commit()
        self.chair_api = make_api_client(owner)
        self._add_member = add_member
        self._count = 1

    def member(self, name: str, *, account: bool = True) -> tuple[Any, Any]:
        """A member of the registry (and of the workspace, with an API client when
        ``account``): ``(member, api_client or None)``."""
        from ent_plugins.governance.models import Member

        self._count += 1
        user = client = None
        if account:
            user = self._make_user(f"m{self._count}@example.ma", name=name)
            self._add_member(self.workspace, user)
            client = self._make_api_client(user)
        with sdk.in_workspace(self.workspace):
            member = Member(
                number=str(self._count), name=name, category_id=self.category.id,
                user_id=user.id if user else None, joined_on=self.joined,
            )  # fmt: skip
            sdk.db.session.add(member)
            sdk.db.session.commit()
        member.user = user
        return member, client

    def meeting(self, *, proxies: tuple[tuple[Any, Any], ...] = ()) -> Any:
        """A general assembly with its roll frozen today and ``(principal, holder)`` proxies."""
        from datetime import date

        from ent_plugins.governance.models import Body, Meeting, Proxy
        from ent_plugins.governance.roll import freeze_roll

        with sdk.in_workspace(self.workspace):
            body = Body(kind="general_assembly", name="General assembly")
            sdk.db.session.add(body)
            sdk.db.session.flush()
            roll = freeze_roll(date(2026, 6, 1))
            meeting = Meeting(
                body_id=body.id, kind="ordinary", title="AG 2026", starts_at=sdk.utcnow(),
                roll_id=roll.id, status="convened",
            )  # fmt: skip
            sdk.db.session.add(meeting)
            sdk.db.session.flush()
            for principal, holder in proxies:
                sdk.db.session.add(
                    Proxy(meeting_id=meeting.id, principal_id=principal.id, holder_id=holder.id)
                )
            sdk.db.session.commit()
        return meeting

    def create(self, **body: Any) -> dict[str, Any]:
        """A vote prepared and opened through the API by the chair (``open=False``: a draft)."""
        opening = body.pop("open", True)
        body.setdefault("title", "Approve the accounts")
        body.setdefault("kind", "for_against_abstain")
        if "meeting_id" not in body:
            body.setdefault("cutoff_on", "2026-06-01")
        r = self.chair_api.post(f"{VOTES}", json=body)
        assert r.status_code == 201, r.json
        vote = r.json
        if opening:
            r = self.chair_api.post(
                f"{VOTES}/{vote['id']}/transitions", json={"transition": "open"}
            )
            assert r.status_code == 200, r.json
            vote = r.json
        return vote

    def close(self, vote: dict[str, Any]) -> None:
        r = self.chair_api.post(f"{VOTES}/{vote['id']}/transitions", json={"transition": "close"})
        assert r.status_code == 200, r.json


VOTES = "/api/v1/workspaces/souss/governance/votes"


def option(vote: dict[str, Any], code_or_label: str) -> int:
    """The id of a vote's option by its code (for, against, abstain) or its label."""
    return next(o["id"] for o in vote["options"] if code_or_label in (o["code"], o["label"]))


@pytest.fixture
def voting(association: Any, make_user: Any, make_api_client: Any, user: Any) -> Voting:
    return Voting(association, make_user, make_api_client, user)


# -- members and dues (test_governance_members*.py; treasurer and _officer above) --------------
@pytest.fixture
def adherent(make_user: Any, association: Any) -> Any:
    """A member of the workspace who holds no office."""

    person = make_user("amina@example.ma", name="Amina Alaoui")
    add_member(association, person, "member")
    return person


@pytest.fixture
def adherent_client(app_ctx: Any, adherent: Any) -> Any:
    from ent_core.testing import sign_in

    return sign_in(app_ctx.test_client(), adherent)


@pytest.fixture
def adherent_api(make_api_client: Any, adherent: Any) -> Any:
    return make_api_client(adherent)


@pytest.fixture
def owner_api(api_client: Any, association: Any) -> Any:
    """The owner's API client, with the association's registry switched on."""
    return api_client


@pytest.fixture
def dues_gateway(app_ctx: Any) -> Any:
    """A test payment provider (``testcard``), installed for this test only."""
    import governance_dues_gateway as module

    registry = app_ctx.extensions["ent"]
    registry.pm.register(module, name="governance_dues_gateway")
    try:
        yield module
    finally:
        registry.pm.unregister(name="governance_dues_gateway")


# -- end of members and dues --
