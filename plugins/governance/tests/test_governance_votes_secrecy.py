"""A secret ballot's tables hold nothing that links a voter to a choice (docs/governance.md,
"Secret ballots"): the rows are inspected column by column, as a database reader would."""

from __future__ import annotations

import re
from typing import Any

import pytest
from ent_plugins.governance.models import Ballot, Participation
from ent_plugins.governance.tests.conftest import VOTES, option
from sqlalchemy import Date, DateTime, select, text

from ent_core import sdk

pytestmark = pytest.mark.frozen_clock

SHARED = {"vote_id", "workspace_id"}


def _rows(model: Any, vote_id: int) -> list[dict[str, Any]]:
    sdk.db.session.expire_all()
    columns = [c.name for c in model.__table__.columns]
    table = model.__table__
    with sdk.all_workspaces():
        rows = sdk.db.session.execute(select(table).where(table.c.vote_id == vote_id)).all()
    return [dict(zip(columns, row, strict=True)) for row in rows]


@pytest.fixture
def secret_vote(voting: Any) -> tuple[dict[str, Any], list[str]]:
    """A secret resolution on which ten members voted, in this order, with these receipts."""
    clients = [voting.member(f"Voter {i}")[1] for i in range(10)]
    vote = voting.create(secret=True)
    codes = ["for", "against", "abstain"]
    receipts = [
        c.post(
            f"{VOTES}/{vote['id']}/ballots", json={"choices": [option(vote, codes[i % 3])]}
        ).json["receipt"]
        for i, c in enumerate(clients)
    ]
    return vote, receipts


def test_the_two_tables_share_no_column_but_the_vote(app_ctx: Any) -> None:
    ballot = {c.name for c in Ballot.__table__.columns}
    participation = {c.name for c in Participation.__table__.columns}
    # ``id`` is a random string on ballots, a number on participations; ``member_id`` is
    # written on open ballots only (the next test checks it is empty on secret ones).
    assert ballot & participation == SHARED | {"id", "member_id"}
    assert not [c.name for c in Ballot.__table__.columns if isinstance(c.type, DateTime | Date)], (
        "a ballot carries no time"
    )
    assert not [fk for fk in Ballot.__table__.foreign_keys if fk.column.table.name.endswith(
        "participation"
    )]  # fmt: skip


def test_no_value_of_a_secret_ballot_appears_in_a_participation(secret_vote: Any) -> None:
    vote, _ = secret_vote
    ballots = _rows(Ballot, vote["id"])
    participations = _rows(Participation, vote["id"])
    assert len(ballots) == len(participations) == 10
    assert all(b["member_id"] is None for b in ballots)
    seen = {v for p in participations for k, v in p.items() if k not in SHARED}
    for b in ballots:
        scalars = {v for k, v in b.items() if k not in SHARED and k != "choices"}
        assert scalars & seen <= {None}, b
        assert re.fullmatch(r"[0-9a-f]{32}", b["id"])
        assert re.fullmatch(r"[0-9a-f]{64}", b["receipt_hash"])


def test_ballot_keys_are_random_not_ordered(secret_vote: Any) -> None:
    from ent_plugins.governance.votes import receipt_hash

    vote, receipts = secret_vote
    by_hash = {b["receipt_hash"]: b["id"] for b in _rows(Ballot, vote["id"])}
    in_casting_order = [by_hash[receipt_hash(r)] for r in receipts]
    assert len(set(in_casting_order)) == 10
    # Ten random keys come out sorted in the order of casting once in 3.6 million runs.
    assert in_casting_order != sorted(in_casting_order)


def test_the_receipt_itself_is_never_stored(secret_vote: Any) -> None:
    vote, receipts = secret_vote
    stored = {str(v) for b in _rows(Ballot, vote["id"]) for v in b.values()}
    stored |= {str(v) for p in _rows(Participation, vote["id"]) for v in p.values()}
    assert not set(receipts) & stored


def test_closing_rewrites_the_ballots_in_an_order_nobody_chose(
    secret_vote: Any, voting: Any
) -> None:
    """What the database keeps of the casting order (SQLite's rowid, PostgreSQL's heap
    position and writing transaction) no longer follows the voters after the close."""
    from ent_plugins.governance.votes import receipt_hash

    vote, receipts = secret_vote
    voting.close(vote)
    table = Ballot.__table__.name
    postgres = sdk.db.engine.dialect.name == "postgresql"
    position = "ctid" if postgres else "rowid"
    with sdk.all_workspaces():
        stored = sdk.db.session.execute(
            text(f"SELECT receipt_hash FROM {table} WHERE vote_id = :v ORDER BY {position}"),  # noqa: S608 - constant names
            {"v": vote["id"]},
        ).scalars().all()  # fmt: skip
        if postgres:
            writers = sdk.db.session.execute(
                text(f"SELECT count(DISTINCT xmin::text) FROM {table} WHERE vote_id = :v"),  # noqa: S608
                {"v": vote["id"]},
            ).scalar()
            assert writers == 1  # every live ballot was written by the closing transaction
    assert sorted(stored) == sorted(receipt_hash(r) for r in receipts)
    assert stored != [receipt_hash(r) for r in receipts]  # 1 chance in 3.6 million
