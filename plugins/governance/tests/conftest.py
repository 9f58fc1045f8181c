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


# -- members and dues (test_governance_members*.py; treasurer and _officer above) --------------
@pytest.fixture
def adherent(make_user: Any, association: Any) -> Any:
    """A member of the workspace who holds no office."""
    from ent_core.testing import add_member

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
