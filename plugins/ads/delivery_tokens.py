"""The signed token of an impression: what its click and its viewability beacon are about.

Signed with the application's ``SECRET_KEY`` (itsdangerous' ``TimestampSigner``, HMAC-SHA1
with a key derived for the salt ``ads.impression``): ids, the click's price and the click's
destination, so the redirect follows nothing a visitor wrote (no open redirect). One token
serves both the click URL (``/ads/c/<token>``) and the beacon: both go to the same browser,
and a decision signs once.
"""

from __future__ import annotations

import secrets
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

SALT = "ads.impression"
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


def _signer() -> TimestampSigner:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    secret = app.config["SECRET_KEY"]
    kept = app.extensions.get("ads.signer")
    if kept is None or kept[0] != secret:
        kept = app.extensions["ads.signer"] = (secret, TimestampSigner(secret, salt=SALT))
    return kept[1]  # type: ignore[no-any-return]


def impression_token(served: Served) -> str:
    """``<base64url of the fields joined by "|">.<timestamp>.<signature>``: no JSON and no
    compression to try, so signing costs a few microseconds (a decision signs once)."""
    raw = "|".join(map(str, (*served.fields(), served.destination))).encode()
    return _signer().sign(urlsafe_b64encode(raw).rstrip(b"=")).decode("ascii")


def read_impression(token: str) -> Served:
    """The impression a beacon reports; ``TokenRefused`` if forged or older than two hours."""
    try:
        payload = _signer().unsign(token, max_age=IMPRESSION_MAX_AGE)
    except BadSignature as exc:
        raise TokenRefused(str(exc)) from exc
    return _split(payload)


def read_click(token: str) -> tuple[Served, bool]:
    """The clicked impression and whether the click still counts (a week); the destination
    is followed later too. ``TokenRefused`` if the token was not signed by us."""
    try:
        payload = _signer().unsign(token, max_age=CLICK_MAX_AGE)
        fresh = True
    except SignatureExpired as exc:  # the signature is good, only old
        payload, fresh = exc.payload, False
    except BadSignature as exc:
        raise TokenRefused(str(exc)) from exc
    return _split(payload), fresh


def _split(payload: Any) -> Served:
    try:
        raw = urlsafe_b64decode(payload + b"=" * (-len(payload) % 4)).decode("utf-8")
    except (TypeError, ValueError) as exc:
        raise TokenRefused("not an impression") from exc
    impression, *ids, destination = raw.split("|", 7)
    if len(ids) != 6 or not impression or not all(i.isascii() and i.isdigit() for i in ids):
        raise TokenRefused("not an impression")
    return Served(impression, *map(int, ids), destination=destination)
