"""No input reaches a server error: schemathesis over the OpenAPI document (docs/testing.md).

Every operation of ``/api/v1/openapi.json`` (core and bundled plugins) is called through the
WSGI app, without a server: a bearer token of a user who signed the charter, the path's
``workspace`` an approved workspace with every module on, and generated inputs, valid and
invalid (schemathesis' positive and negative modes: ids out of range, wrong types, odd text).
The seed is fixed (``derandomize``) and the examples per operation bounded, so a run repeats
exactly and stays under two minutes on two cores. A 5xx fails; so does a response that breaks
its own schema. Bearer requests carry no cookie, so CSRF never applies (as for any API client).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from ent_core.testing import enable_all

SLUG = "fuzz"
#: Examples per operation: enough to reach every branch of input validation, few enough for CI.
EXAMPLES = 60


#: Operations are split in shards so ``pytest -n 2`` runs them on both cores.
SHARDS = 2


@pytest.fixture(scope="session")
def api_schema(app: Any) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def bearer(make_user: Any, make_workspace: Any, make_api_client: Any) -> dict[str, str]:
    """Headers of an API client whose approved workspace ``fuzz`` has every module on."""
    owner = make_user("fuzz@example.ma")
    enable_all(make_workspace(SLUG, owner=owner))
    return {"Authorization": f"Bearer {make_api_client(owner).token}"}


def fuzz(operation: Any, headers: dict[str, str]) -> None:
    """Call ``operation`` with generated inputs; raises with the smallest failing example."""

    fixed = {"workspace": SLUG} if "{workspace}" in operation.path else None
    cases = st.one_of(operation.as_strategy(mode, path_parameters=fixed) for mode in GenerationMode)

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(
            headers=headers,
            checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
        )

    run()


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_input_gives_a_server_error(api_schema: Any, bearer: dict[str, str], shard: int):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert operations
    failures = []
    for operation in operations[shard::SHARDS]:
        try:
            fuzz(operation, bearer)
        except (Exception, BaseExceptionGroup) as exc:  # every operation is tried, all reported
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
