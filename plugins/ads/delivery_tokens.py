"""The signed token of an impression: what its click and its viewability beacon are about.

Signed with the application's ``SECRET_KEY`` (itsdangerous, HMAC-SHA1 over the timestamped
JSON, salt ``ads.impression``): ids, the click's price and the click's destination, so the
redirect follows nothing a visitor wrote (no open redirect). One token serves both the click
URL (``/ads/c/<token>``) and the beacon: both go to the same browser, and a decision signs
once (the signature is a good part of a decision's CPU).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

#: A viewability beacon comes within seconds of its impression; two hours is generous.
IMPRESSION_MAX_AGE = 2 * 3600
#: A click counts for a week after its page was shown (a tab left open); later it still
#: leads to the ad's page, uncounted.
CLICK_MAX_AGE = 7 * 86400


@dataclass(frozen=True, slots=True)
class Served:
    """One impression as counting needs it: who pays, who earns, what and where."""

    impression: str
    advertiser_id: int
    campaign_id: int
    creative_id: int
    placement_id: int
    publisher_id: int
    click_micros: int = 0
    destination: str = ""

    def fields(self) -> list[Any]:
        return [
            self.impression,
            self.advertiser_id,
            self.campaign_id,
            self.creative_id,
            self.placement_id,
            self.publisher_id,
            self.click_micros,
        ]


class TokenRefused(ValueError):
    """A token that was tampered with, made with another key, or is not one of ours."""


def new_impression_id() -> str:
    return secrets.token_urlsafe(9)


def _serializer(salt: str) -> URLSafeTimedSerializer:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    kept: dict[str, URLSafeTimedSerializer] = app.extensions.setdefault("ads.serializers", {})
    serializer = kept.get(salt)
    if serializer is None:
        serializer = kept[salt] = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=salt)
    return serializer


def impression_token(served: Served) -> str:
    return _serializer("ads.impression").dumps([*served.fields(), served.destination])


def read_impression(token: str) -> Served:
    """The impression a beacon reports; ``TokenRefused`` if forged or older than two hours."""
    try:
        fields = _serializer("ads.impression").loads(token, max_age=IMPRESSION_MAX_AGE)
    except BadSignature as exc:
        raise TokenRefused(str(exc)) from exc
    return _split(fields)


def read_click(token: str) -> tuple[Served, bool]:
    """The clicked impression and whether the click still counts (a week); the destination
    is followed later too. ``TokenRefused`` if the token was not signed by us."""
    serializer = _serializer("ads.impression")
    try:
        fields = serializer.loads(token, max_age=CLICK_MAX_AGE)
        fresh = True
    except SignatureExpired as exc:  # the signature is good, only old
        fields = serializer.load_payload(exc.payload)
        fresh = False
    except BadSignature as exc:
        raise TokenRefused(str(exc)) from exc
    return _split(fields), fresh


def _split(fields: Any) -> Served:
    if not isinstance(fields, list) or len(fields) != 8:
        raise TokenRefused("not an impression")
    return _served(fields[:7], fields[7])


def _served(fields: Any, destination: Any) -> Served:
    if not isinstance(fields, list) or len(fields) != 7 or not isinstance(destination, str):
        raise TokenRefused("not an impression")
    impression, *ids = fields
    if not isinstance(impression, str) or not all(type(i) is int for i in ids):
        raise TokenRefused("not an impression")
    return Served(impression, *ids, destination=destination)
