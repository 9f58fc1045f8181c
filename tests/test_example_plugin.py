"""The example plugin (docs/examples/ent-noticeboard) works when installed with pip, unchanged.

CI installs it (``pip install -e docs/examples/ent-noticeboard``) and runs its own tests too;
here the core checks it is found through the ``ent.plugins`` entry point like any third-party
plugin. Without the distribution the tests skip, unless ``ENT_TEST_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, distribution, entry_points
from typing import Any

import pytest

from ent_core.plugins import ENTRY_POINT_GROUP
from ent_core.workspaces.service import enable_plugin


@pytest.fixture(autouse=True)
def _installed() -> None:
    try:
        distribution("ent-noticeboard")
    except PackageNotFoundError:
        message = "ent-noticeboard is not installed: pip install -e docs/examples/ent-noticeboard"
        if os.environ.get("ENT_TEST_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)


def test_it_is_registered_under_the_entry_point_group() -> None:
    found = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}

    assert found["noticeboard"].value == "ent_noticeboard.plugin"
    assert found["noticeboard"].dist is not None
    assert found["noticeboard"].dist.name == "ent-noticeboard"


def test_the_platform_loads_it_from_its_distribution(app: Any) -> None:
    plugin = app.extensions["ent"].get("noticeboard")

    assert plugin is not None
    assert plugin.distribution == "ent-noticeboard"
    assert plugin.meta.version == distribution("ent-noticeboard").version
    assert plugin.migrations_dir is not None
    assert "noticeboard.post" in app.extensions["ent.permissions"].permissions


def test_its_page_answers_once_switched_on(
    signed_in_client: Any, workspace: Any, user: Any
) -> None:
    assert signed_in_client.get("/w/acme/noticeboard/").status_code == 404

    enable_plugin(workspace, "noticeboard", actor=user)

    assert signed_in_client.get("/w/acme/noticeboard/").status_code == 200
