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
