"""Slots of ``booking`` listings: times people type on their workspace's clock, stored in
UTC; a weekly repeat adds the same time for the following weeks (each computed on the wall
clock, so a Ramadan clock change keeps the hour people read)."""

from __future__ import annotations

from datetime import datetime, timedelta

from ent_plugins.marketplace.models import Listing, ListingSlot

from ent_core import sdk

CAPACITY_MAX = 10_000
REPEAT_MAX = 52


def _refuse(field_name: str, message: str) -> sdk.UserError:
    return sdk.UserError("validation_error", message, 422, field=field_name)


def add_slots(
    listing: Listing, starts: datetime, ends: datetime, capacity: int, repeat_weeks: int = 0
) -> list[ListingSlot]:
    """``starts`` and ``ends`` naive on the workspace's clock (or aware); one slot, plus one a
    week for ``repeat_weeks`` more weeks. Times already past are refused."""
    if listing.kind != "booking":
        raise sdk.UserError(
            "not_a_booking", sdk._("Only bookings are sold by slots."), 409, field="starts_at"
        )
    if not 1 <= capacity <= CAPACITY_MAX:
        raise _refuse("capacity", sdk._("Between 1 and 10,000 places."))
    if not 0 <= repeat_weeks <= REPEAT_MAX:
        raise _refuse("repeat_weeks", sdk._("Repeat for at most 52 weeks."))
    if starts.tzinfo is not None:
        starts, ends = sdk.to_local(starts), sdk.to_local(ends)
        starts, ends = starts.replace(tzinfo=None), ends.replace(tzinfo=None)
    if ends <= starts:
        raise _refuse("ends_at", sdk._("The end comes after the start."))
    if sdk.to_utc(starts) <= sdk.utcnow():
        raise _refuse("starts_at", sdk._("Choose a time in the future."))
    slots = []
    for week in range(repeat_weeks + 1):
        shift = timedelta(weeks=week)
        slot = ListingSlot(
            listing_id=listing.id,
            starts_at=sdk.to_utc(starts + shift),
            ends_at=sdk.to_utc(ends + shift),
            capacity=capacity,
        )
        sdk.db.session.add(slot)
        slots.append(slot)
    sdk.db.session.flush()
    return slots


def listing_slots(listing: Listing, upcoming_only: bool = True) -> list[ListingSlot]:
    query = sdk.scoped(ListingSlot).where(ListingSlot.listing_id == listing.id)
    if upcoming_only:
        query = query.where(ListingSlot.ends_at > sdk.utcnow())
    return list(sdk.db.session.scalars(query.order_by(ListingSlot.starts_at, ListingSlot.id)))


def slot_of(listing: Listing, slot_id: int) -> ListingSlot:
    slot = sdk.get_or_404(ListingSlot, slot_id)
    if slot.listing_id != listing.id:
        sdk.abort(404)
    return slot


def delete_slot(listing: Listing, slot_id: int) -> None:
    """Only a slot nobody holds: ``DELETE ... WHERE taken = 0`` (a buyer may be racing)."""
    slot = slot_of(listing, slot_id)
    done = sdk.db.session.execute(
        sdk.db.delete(ListingSlot)
        .where(ListingSlot.id == slot.id, ListingSlot.taken == 0)
        .execution_options(synchronize_session=False)
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        raise sdk.UserError(
            "slot_taken",
            sdk._("Somebody holds a place in this slot: it cannot be deleted."),
            409,
        )
    sdk.db.session.expunge(slot)
