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
    from ent_core.testing import add_member, sign_in

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
    from ent_core.testing import add_member

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
        active = MemberCategory(code="active", name="Active", pays_dues=True, votes=True)
        sdk.db.session.add(active)
        sdk.db.session.flush()
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


# -- votes (issue #16 item 4) ------------------------------------------------------------------
class Voting:
    """The association ``souss`` with a voting category and members, some with accounts."""

    def __init__(self, workspace: Any, make_user: Any, make_api_client: Any, owner: Any) -> None:
        from datetime import date

        from ent_plugins.governance.models import Member, MemberCategory

        from ent_core.testing import add_member

        self.workspace = workspace
        self._make_user = make_user
        self._make_api_client = make_api_client
        with sdk.in_workspace(workspace):
            self.category = MemberCategory(code="active", name="Active", pays_dues=False)
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
