"""Fixtures of the training plugin's tests (the platform's come from ``ent_core.testing``).

The course is built the way a trainer builds it: through the members' pages, as the owner of
the training centre ``cime``.
"""

from __future__ import annotations

from typing import Any

import pytest
from training_kit import Built, build_course

from ent_core import sdk
from ent_core.testing import add_member, sign_in


@pytest.fixture
def centre(make_workspace: Any) -> Any:
    """Workspace ``cime`` (owned by ``user``), approved, with training on."""
    workspace = make_workspace("cime", name="CIME", kind="training_centre", plugins=("training",))
    workspace.status = "approved"
    sdk.db.session.commit()
    return workspace


@pytest.fixture
def learner(make_user: Any, centre: Any) -> Any:
    person = make_user("learner@example.ma", name="Layla Learner")
    add_member(centre, person, "member")
    return person


@pytest.fixture
def learner_client(app_ctx: Any, learner: Any) -> Any:
    return sign_in(app_ctx.test_client(), learner)


@pytest.fixture
def learner_api(make_api_client: Any, learner: Any) -> Any:
    return make_api_client(learner)


@pytest.fixture
def built(signed_in_client: Any, centre: Any) -> Built:
    return build_course(signed_in_client)


@pytest.fixture
def trainer(make_user: Any, centre: Any, app_ctx: Any) -> Any:
    """A member who holds the plugin's ``trainer`` role (granted on the members page)."""
    person = make_user("trainer@example.ma", name="Tarik Trainer")
    membership = add_member(centre, person, "member")
    owner = sign_in(app_ctx.test_client(), centre.memberships[0].user)
    r = owner.post(f"/w/cime/members/{membership.id}/roles", data={"role": "trainer"})
    assert r.status_code in (302, 303)
    return person


@pytest.fixture
def trainer_client(app_ctx: Any, trainer: Any) -> Any:
    return sign_in(app_ctx.test_client(), trainer)
