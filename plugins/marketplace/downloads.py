"""Digital goods: signed, personal, expiring download links with a limit per order line.

A link carries the buyer's user id and the order line, signed with the application's secret
key (itsdangerous, a salt of the marketplace's own); it works for ``download_hours`` after it
was made, for that buyer only, at most ``download_limit`` times per line (a guarded
``UPDATE ... SET downloads = downloads + 1 WHERE downloads < :limit``, so two clicks racing
cannot pass the limit). Links are made when the buyer's order page is drawn, once paid.
"""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace.models import Listing, Order, OrderLine
from ent_plugins.marketplace.settings import settings
from flask import current_app

from ent_core import sdk

SALT = "marketplace.download"
#: An order's files can be downloaded once it is paid, until it is refunded.
OPEN = ("paid", "delivered", "completed", "disputed")


class DownloadRefused(sdk.UserError):
    """403 (another account, a tampered link), 410 (expired, limit reached) or 404."""


def _serializer() -> Any:
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token(line: OrderLine, user: Any) -> str:
    return str(_serializer().dumps({"u": user.id, "l": line.id}))


def links(order: Order, user: Any) -> list[dict[str, Any]]:
    """The buyer's links for the order's digital lines, with the downloads left."""
    if order.status not in OPEN:
        return []
    limit = settings().download_limit
    found = []
    for line, listing in _digital_lines(order):
        found.append(
            {
                "line": line,
                "file_name": listing.file_name or line.label,
                "url": sdk.external_url(
                    "marketplace_buyer.money_download", token=token(line, user)
                ),
                "left": max(limit - line.downloads, 0),
            }
        )
    return found


def _digital_lines(order: Order) -> list[tuple[OrderLine, Listing]]:
    ids = [line.listing_id for line in order.lines if line.listing_id]
    if not ids:
        return []
    listings = {
        listing.id: listing
        for listing in sdk.db.session.scalars(
            sdk.db.select(Listing)
            .where(Listing.id.in_(ids))
            .execution_options(ent_all_workspaces=True)
        )
    }
    return [
        (line, listings[line.listing_id])
        for line in order.lines
        if line.listing_id in listings and listings[line.listing_id].file_token
    ]


def take(signed: str, user: Any) -> tuple[str, str]:
    """Check ``signed`` for ``user`` and count one download: ``(file_token, file_name)``."""
    from itsdangerous import BadSignature, SignatureExpired

    try:
        claims = _serializer().loads(signed, max_age=settings().download_hours * 3600)
    except SignatureExpired as error:
        raise DownloadRefused(
            "link_expired",
            sdk._("This download link has expired: open your order again for a new one."),
            410,
        ) from error
    except BadSignature as error:
        raise DownloadRefused(
            "forbidden", sdk._("This download link is not valid."), 403
        ) from error
    if claims.get("u") != user.id:
        raise DownloadRefused(
            "forbidden", sdk._("This download link belongs to another account."), 403
        )
    line = sdk.db.session.scalar(
        sdk.db.select(OrderLine)
        .where(OrderLine.id == claims.get("l"))
        .execution_options(ent_all_workspaces=True)
    )
    order = line.order if line is not None else None
    if line is None or order is None or order.buyer_id != user.id:
        raise DownloadRefused("not_found", sdk._("This file is no longer available."), 404)
    if order.status not in OPEN:
        raise DownloadRefused(
            "not_available", sdk._("This order's files are no longer available."), 410
        )
    digital = dict((ln.id, listing) for ln, listing in _digital_lines(order))
    listing = digital.get(line.id)
    if listing is None:
        raise DownloadRefused("not_found", sdk._("This file is no longer available."), 404)
    limit = settings().download_limit
    counted = sdk.db.session.execute(
        sdk.db.update(OrderLine)
        .where(OrderLine.id == line.id, OrderLine.downloads < limit)
        .values(downloads=OrderLine.downloads + 1)
        .execution_options(synchronize_session=False, ent_all_workspaces=True)
    ).rowcount
    if counted != 1:
        raise DownloadRefused(
            "download_limit",
            sdk._("You downloaded this file %(n)s times, the most allowed.", n=limit),
            410,
        )
    return str(listing.file_token), listing.file_name or line.label
