"""Cursor pagination for API lists: ``?cursor=`` and ``?limit=`` in, ``{items, next_cursor}`` out.

Cursors are opaque to clients and signed, so a forged one is refused instead of probing rows.
SQL lists page by key (``WHERE key > last``), which stays fast and stable while rows are added.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from pydantic import ValidationError

from ent_core.api.errors import ApiError
from ent_core.api.schemas import PageQuery
from ent_core.db import db

_SALT = "ent.api.cursor"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def encode_cursor(value: Any) -> str:
    """Wrap the last key of a page into an opaque, signed cursor."""
    return _serializer().dumps(value)


def decode_cursor(cursor: str) -> Any:
    """The key inside ``cursor``; 400 ``invalid_cursor`` when it was not issued by us."""
    try:
        return _serializer().loads(cursor)
    except BadSignature:
        raise ApiError(
            "invalid_cursor",
            _("This cursor is not valid; start again without it."),
            400,
            {"fields": {"cursor": [_("Not a cursor issued by this API.")]}},
        ) from None


def page_query() -> PageQuery:
    """``cursor`` and ``limit`` of the current request (422 when ``limit`` is out of range)."""
    from ent_core.api.openapi import validation_error

    try:
        return PageQuery.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise validation_error(exc) from None


def paginate(
    statement: Any,
    *,
    key: Any,
    serialize: Callable[[list[Any]], list[Any]] | None = None,
    query: PageQuery | None = None,
    descending: bool = False,
) -> dict[str, Any]:
    """Run ``statement`` (a ``select`` of one entity) one page at a time, ordered by ``key``
    (newest first with ``descending``).

    ``key`` is a unique, sortable column (usually the primary key); ``serialize`` turns the
    page's rows into JSON-ready items in one go (so it can batch-load what they need).
    """
    query = query or page_query()
    if query.cursor:
        after = decode_cursor(query.cursor)
        statement = statement.where(key < after if descending else key > after)
    order = key.desc() if descending else key
    rows = list(db.session.scalars(statement.order_by(order).limit(query.limit + 1)))
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    next_cursor = None
    if more:
        next_cursor = encode_cursor(getattr(rows[-1], key.key))
    items = serialize(rows) if serialize is not None else rows
    return {"items": items, "next_cursor": next_cursor}


def paginate_sequence(items: Sequence[Any], query: PageQuery | None = None) -> dict[str, Any]:
    """Paginate an in-memory list (installed plugins and the like) by position."""
    query = query or page_query()
    start = 0
    if query.cursor:
        start = decode_cursor(query.cursor)
        if not isinstance(start, int) or start < 0:
            raise ApiError("invalid_cursor", _("This cursor is not valid; start again without it."))
    end = start + query.limit
    next_cursor = encode_cursor(end) if end < len(items) else None
    return {"items": list(items[start:end]), "next_cursor": next_cursor}
