"""A listing's rating figures: the sum, the count and the stored average, always together.

``rating_average`` exists so that sorting and filtering by rating read an index; it must
never drift from ``rating_sum``/``rating_count``, so every change goes through
``set_rating`` (one UPDATE that sets the three from the same expressions).
"""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Listing
from sqlalchemy import Integer, Numeric, case, cast, literal

from ent_core import sdk


def average(rating_sum: Any, rating_count: Any) -> Any:
    """``round(sum / count, 2)``, half up, as SQL (NULL when ``count`` is 0).

    Computed on integers (hundredths = (200·sum + count) div (2·count)), so PostgreSQL and
    SQLite round alike, without floating point.
    """
    hundredths = (rating_sum * 200 + rating_count) // (rating_count * 2)
    return case((rating_count > 0, cast(hundredths, Numeric(7, 2)) / 100), else_=None)


def set_rating(listing_id: int, rating_sum: Any, rating_count: Any, *guard: Any) -> bool:
    """Set the listing's sum, count and average in one UPDATE; whether a row changed.

    ``rating_sum``/``rating_count`` are numbers (a recount) or SQL expressions on the row
    (``Listing.rating_count + 1``); ``guard`` adds conditions to the WHERE. Not committed.
    """
    if isinstance(rating_sum, int):
        rating_sum = literal(rating_sum, Integer)
    if isinstance(rating_count, int):
        rating_count = literal(rating_count, Integer)
    changed = sdk.db.session.execute(
        sdk.db.update(Listing)
        .where(Listing.id == listing_id, *guard)
        .values(
            rating_sum=rating_sum,
            rating_count=rating_count,
            rating_average=average(rating_sum, rating_count),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    # The row's figures changed under any loaded copy: read them again when next used.
    loaded = sdk.db.session.identity_map.get(sdk.db.session.identity_key(Listing, listing_id))
    if loaded is not None:
        sdk.db.session.expire(loaded, ["rating_sum", "rating_count", "rating_average"])
    return changed == 1
