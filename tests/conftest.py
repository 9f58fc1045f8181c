"""Core test configuration; fixtures come from ent_core.testing (the pytest11 plugin)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def ent_plugin_modules() -> list[Any]:
    from tests.fixture_plugins import alpha, beta, gated, stall

    return [alpha, beta, gated, stall]
