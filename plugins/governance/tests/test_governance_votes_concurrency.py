"""One member, one vote under concurrency: 50 ballots of the same member at once, on
PostgreSQL (as tests/test_billing_concurrency.py races requests)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from ent_plugins.governance.models import Ballot, Participation
from ent_plugins.governance.tests.conftest import VOTES, option
from sqlalchemy import func, select

from ent_core import sdk
from ent_core.testing import ApiClient, skip_or_fail

ATTEMPTS = 50


@pytest.fixture
def postgres(app_ctx: Any) -> None:
    """Concurrent writers are PostgreSQL's; SQLite runs one writer at a time."""
    if sdk.db.engine.dialect.name != "postgresql":
        skip_or_fail("needs PostgreSQL: set ENT_TEST_DATABASE_URL")


def race(app: Any, count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released together; results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                results[i] = work(i)
            except Exception as exc:
                sdk.db.session.rollback()
                results[i] = exc
            finally:
                sdk.db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _count(model: Any, vote_id: int) -> int:
    sdk.db.session.expire_all()
    with sdk.all_workspaces():
        return sdk.db.session.scalar(
            select(func.count()).select_from(model).where(model.vote_id == vote_id)
        )


@pytest.mark.postgres
@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
def test_fifty_ballots_of_one_member_at_once_count_once(
    postgres: Any, app_ctx: Any, voting: Any, secret: bool
) -> None:
    _, client = voting.member("Eager")
    vote = voting.create(secret=secret)
    choice = option(vote, "for")

    def cast(_i: int) -> tuple[int, str | None]:
        r = ApiClient(app_ctx.test_client(), client.token).post(
            f"{VOTES}/{vote['id']}/ballots", json={"choices": [choice]}
        )
        return r.status_code, (r.json.get("error") or {}).get("code")

    results = race(app_ctx, ATTEMPTS, cast)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results.count((201, None)) == 1, results
    assert results.count((409, "already_voted")) == ATTEMPTS - 1, results
    assert _count(Participation, vote["id"]) == 1
    assert _count(Ballot, vote["id"]) == 1


@pytest.mark.postgres
def test_a_holder_and_a_principal_racing_for_the_same_ballot_count_once(
    postgres: Any, app_ctx: Any, voting: Any
) -> None:
    holder, holder_client = voting.member("Holder")
    principal, principal_client = voting.member("Principal")
    meeting = voting.meeting(proxies=((principal, holder),))
    vote = voting.create(meeting_id=meeting.id)
    body = {"choices": [option(vote, "against")], "on_behalf_of": principal.id}

    def cast(i: int) -> int:
        token = (holder_client if i % 2 else principal_client).token
        return (
            ApiClient(app_ctx.test_client(), token)
            .post(f"{VOTES}/{vote['id']}/ballots", json=body)
            .status_code
        )

    results = race(app_ctx, 20, cast)
    assert sorted(results) == [201] + [409] * 19, results
    assert _count(Participation, vote["id"]) == 1
