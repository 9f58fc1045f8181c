"""What the operator's money pages share: rows read across the sellers' workspaces, and the
guarded status changes that record a transfer's reference (a refund sent, a payout paid)."""

from __future__ import annotations

from typing import Any

from ent_core import sdk


def across(statement: Any) -> list[Any]:
    """The rows of ``statement`` in every workspace (the operator's pages only)."""
    return list(sdk.db.session.scalars(statement.execution_options(ent_all_workspaces=True)))


def transfer_reference(text: str | None) -> str:
    """The bank reference of a transfer the operator made, or a 422 naming ``reference``."""
    reference = (text or "").strip()
    if not reference:
        raise sdk.UserError(
            "validation_error", sdk._("Give the transfer's reference."), 422, field="reference"
        )
    return reference[:120]


def settle(row: Any, source: str, refused: str, **values: Any) -> None:
    """Move ``row`` from ``source`` with ``values`` through a guarded update: of two operators
    clicking at once, one passes; the other gets 409 ``invalid_transition`` (``refused``)."""
    model = type(row)
    done = sdk.db.session.execute(
        sdk.db.update(model)
        .where(model.id == row.id, model.status == source)
        .values(**values)
        .execution_options(synchronize_session=False, ent_all_workspaces=True)
    ).rowcount
    if done != 1:
        raise sdk.UserError("invalid_transition", refused, 409)
    sdk.db.session.refresh(row)
