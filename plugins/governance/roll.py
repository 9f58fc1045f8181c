"""The electoral roll: frozen once at a cut-off date, read by quorum and votes ever after."""

from __future__ import annotations

from datetime import date

from ent_plugins.governance.dues import up_to_date_ids
from ent_plugins.governance.models import ElectoralRoll, RollEntry
from sqlalchemy import insert, select

from ent_core import sdk


def freeze_roll(cutoff_on: date) -> ElectoralRoll:
    """A roll of the members entitled to vote on ``cutoff_on`` (``dues.up_to_date_ids``).

    Payments and registrations after the cut-off do not change it: it is written once, here.
    """
    roll = ElectoralRoll(cutoff_on=cutoff_on, frozen_at=sdk.utcnow())
    sdk.db.session.add(roll)
    sdk.db.session.flush()
    ids = sorted(up_to_date_ids(cutoff_on))
    if ids:
        workspace_id = roll.workspace_id
        sdk.db.session.execute(
            insert(RollEntry),
            [{"workspace_id": workspace_id, "roll_id": roll.id, "member_id": i} for i in ids],
        )
    return roll


def roll_member_ids(roll_id: int | None) -> set[int]:
    if roll_id is None:
        return set()
    return set(
        sdk.db.session.scalars(select(RollEntry.member_id).where(RollEntry.roll_id == roll_id))
    )
