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
