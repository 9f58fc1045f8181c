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
