"""Delivery: decisions, clicks, viewability beacons, creative files and the external tags.

Public and platform-wide (``serve_bp`` at ``/ads``): no session, no CSRF, no workspace; JSON
errors. Decisions (``GET /ads/d``) and beacons (``POST /ads/v``) are the hot paths: they are
answered by a WSGI middleware before Flask (``ent_wsgi_middleware``). The decision also has a
Flask view (``ads_serve.decision``, for ``url_for``) that calls the same function; the beacon
has none: a ``POST`` that a browser sends with the page's cookies would meet Flask's CSRF
check, while its only authority is the signed token it carries (docs/ads.md, "Delivery").
"""

from __future__ import annotations

import json
import logging
import mimetypes
import posixpath
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ent_plugins.ads import bots, caps, counting, index
from ent_plugins.ads.decide import AdDecision, AdRequest, decide
from ent_plugins.ads.delivery_tokens import (
    Served,
    TokenRefused,
    impression_token,
    new_impression_id,
    read_click,
    read_impression,
)
from ent_plugins.ads.models import Creative
from flask import Response, redirect, render_template, request, session

from ent_core import sdk

Answer = tuple[int, list[tuple[str, str]], bytes]
log = logging.getLogger(__name__)

NO_STORE = ("Cache-Control", "no-store")
JSON_TYPE = ("Content-Type", "application/json")
#: What a decision's own answer carries instead of the platform's headers (it skips Flask).
DECISION_HEADERS = [
    JSON_TYPE,
    NO_STORE,
    ("X-Content-Type-Options", "nosniff"),
    ("Cross-Origin-Resource-Policy", "same-site"),
]
#: An HTML5 creative runs scripts in an opaque origin: never the platform's, so it reaches
#: neither the host page nor our cookies; it may open the advertiser's page in a new tab.
CREATIVE_POLICY = (
    "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox; frame-ancestors *"
)
#: The iframe page of external sites: our scripts only, shown inside any site.
FRAME_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors *",
    )
)
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
STATIC = Path(__file__).parent / "static" / "ads"


def reader_key(raw: str | None, now: Any) -> str | None:
    """The reader's rotating, hashed key for frequency caps, or none without an id."""
    if not raw or len(raw) > 64:
        return None
    return caps.reader_key(raw, now)


# -- decisions -------------------------------------------------------------------------------
def _error(status: int, code: str, message: str) -> Answer:
    body = {"error": {"code": code, "message": message, "details": {}}}
    return status, [JSON_TYPE, NO_STORE], json.dumps(body).encode()


def _arg(args: dict[str, list[str]], name: str, limit: int = 100) -> str | None:
    values = args.get(name)
    value = values[0].strip() if values else ""
    return value[:limit] or None


def answer_decision(environ: dict[str, Any]) -> Answer:
    """``GET /ads/d?p=<placement>&s=<size>&r=<reader>&sector=&tags=&lang=``: the ad to show
    (JSON) or 204; robots and prefetches get 204 and count for nothing."""
    if bots.filtered(environ):
        return 204, [NO_STORE], b""
    args = parse_qs(environ.get("QUERY_STRING", ""), max_num_fields=20)
    public_id = _arg(args, "p", 32)
    if not public_id:
        return _error(400, "placement_required", sdk._("Name the placement (p=)."))
    place = index.current().placements.get(public_id)
    if place is None:  # unknown, out of the network, or ads off in its workspace
        return 204, [NO_STORE], b""
    now = sdk.utcnow()
    tags = tuple(t.strip().lower() for t in (_arg(args, "tags", 500) or "").split(",") if t)
    ad_request = AdRequest(
        placement=public_id,
        now=now,
        size=_arg(args, "s", 9),
        sector=_arg(args, "sector", 40),
        tags=tags[:20],
        language=_arg(args, "lang", 5),
        reader=reader_key(_arg(args, "r", 64), now),
    )
    decision = decide(ad_request)
    if decision is None:
        counting.requested(place.id, place.publisher_id, counting.hour_of(now))
        return 204, [NO_STORE], b""
    if not decision.counted:  # a capped campaign's reservation counted it already
        counting.delivery.add(decision.count_key, workspace=None)
    return 200, DECISION_HEADERS, json.dumps(_rendering(decision)).encode()


def _rendering(decision: AdDecision) -> dict[str, Any]:
    served = Served(
        new_impression_id(),
        decision.advertiser_id,
        decision.campaign_id,
        decision.creative_id,
        decision.placement_id,
        decision.publisher_id,
        decision.click_micros,
        decision.click_url,
    )
    width, _, height = (decision.size or "").partition("x")
    token = impression_token(served)
    return {
        "format": decision.format,
        "size": decision.size,
        "width": int(width) if width.isdigit() else None,
        "height": int(height) if height.isdigit() else None,
        "src": decision.asset_path,
        "click": f"/ads/c/{token}",
        "token": token,
        "beacon": "/ads/v",
        "headline": decision.headline,
        "body": decision.body,
        "alt": decision.alt_text or decision.headline,
    }


# -- viewability -----------------------------------------------------------------------------
def answer_beacon(environ: dict[str, Any], body: bytes) -> Answer:
    """``POST /ads/v`` with the impression token as its body (``navigator.sendBeacon``):
    counted once per token, whatever repeats it; 204 either way, 400 for a forged one."""
    if bots.filtered(environ):
        return 204, [NO_STORE], b""
    try:
        served = read_impression(body.decode("ascii", "replace").strip())
    except TokenRefused:
        return _error(400, "invalid_token", sdk._("This impression token is not valid."))
    if sdk.cache.add(f"viewed:{served.impression}", ttl=3 * 3600, workspace=None):
        counting.viewed(
            served.advertiser_id,
            served.campaign_id,
            served.creative_id,
            served.placement_id,
            served.publisher_id,
            counting.hour_of(sdk.utcnow()),
        )
    return 204, [NO_STORE], b""


# -- the middleware --------------------------------------------------------------------------
MAX_BEACON = 4096


def middleware(app: Any) -> Callable[[Any], Any]:
    """``ent_wsgi_middleware``: decisions and beacons answered before Flask's request
    machinery, in an application context of their own (docs/ads.md, "Speed")."""

    def wrap(inner: Any) -> Any:
        def delivery(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
            if path == "/ads/d" and method == "GET":
                answer = _answered(app, answer_decision, environ)
            elif path == "/ads/v" and method == "POST":
                answer = _answered(app, answer_beacon, environ, _body(environ))
            else:
                return inner(environ, start_response)  # type: ignore[no-any-return]
            status, headers, payload = answer
            start_response(_STATUS[status], [*headers, ("Content-Length", str(len(payload)))])
            return [payload]

        return delivery

    return wrap


_STATUS = {200: "200 OK", 204: "204 No Content", 400: "400 Bad Request"}


def _answered(app: Any, answer: Callable[..., Answer], *args: Any) -> Answer:
    """The answer, in an application context; a failure (Redis or PostgreSQL down) is logged
    and shows no ad rather than an error page in someone's article."""
    with app.app_context():
        try:
            return answer(*args)
        except Exception:
            log.exception("ads delivery failed; answered 204")
            sdk.db.session.rollback()
            return 204, [NO_STORE], b""


def _body(environ: dict[str, Any]) -> bytes:
    try:
        length = min(int(environ.get("CONTENT_LENGTH") or 0), MAX_BEACON)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _flask(answer: Answer) -> Response:
    status, headers, payload = answer
    return Response(payload, status=status, headers=headers)


# -- Flask views (url_for, and the same answers when the middleware is not installed) --------
def decision() -> Response:
    return _flask(answer_decision(request.environ))


def click(token: str) -> Response:
    """``GET /ads/c/<token>``: count the click once per impression and go to the signed
    destination (http or https only); a token not signed by us is refused (400)."""
    try:
        served, fresh = read_click(token)
    except TokenRefused:
        return _flask(_error(400, "invalid_token", sdk._("This ad link is not valid.")))
    destination = served.destination
    if urlsplit(destination).scheme not in ("http", "https") or not urlsplit(destination).netloc:
        return _flask(_error(400, "invalid_destination", sdk._("This ad leads nowhere.")))
    if (
        fresh
        and not bots.filtered(request.environ)
        and sdk.cache.add(f"clicked:{served.impression}", ttl=8 * 86400, workspace=None)
    ):
        now = sdk.utcnow()
        billed = served.click_micros
        if billed and not caps.allow_click(served.campaign_id, billed, now):
            billed = 0
        counting.clicked(
            served.advertiser_id,
            served.campaign_id,
            served.creative_id,
            served.placement_id,
            served.publisher_id,
            counting.hour_of(now),
            click_micros=billed,
        )
    response = redirect(destination, code=302)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "origin"
    return response


def creative(creative_id: int, path: str = "") -> Response:
    """An approved creative's file: the image, or a member of its HTML5 bundle (the entry
    page by default), sandboxed; immutable when asked with its content hash (``?v=``)."""
    with sdk.all_workspaces():
        found = sdk.db.session.get(Creative, creative_id)
        if found is None or found.status != "approved" or not found.file_token:
            return _flask(_error(404, "not_found", sdk._("No such creative.")))
        token, kind, entry, digest, file_type = (
            found.file_token,
            found.format,
            found.entry,
            found.content_sha256,
            found.file_type,
        )
    if kind == "html5":
        data, content_type = _bundle_member(token, path or entry)
        if data is None:
            return _flask(_error(404, "not_found", sdk._("No such file in this creative.")))
    elif path:
        return _flask(_error(404, "not_found", sdk._("No such file in this creative.")))
    else:
        with sdk.open_upload(token) as handle:
            data = handle.read()
        content_type = file_type or "application/octet-stream"
    response = Response(data, content_type=content_type)
    response.headers["Content-Security-Policy"] = CREATIVE_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    asked = request.args.get("v")
    response.headers["Cache-Control"] = IMMUTABLE if digest and asked == digest[:12] else SHORT
    if digest:
        response.set_etag(digest)
    return response.make_conditional(request)


def _bundle_member(token: str, path: str) -> tuple[bytes | None, str]:
    name = posixpath.normpath(path.lstrip("/"))
    if name.startswith("..") or name in (".", ""):
        return None, ""
    with sdk.open_upload(token) as handle, zipfile.ZipFile(handle) as bundle:
        try:
            info = bundle.getinfo(name)
        except KeyError:
            return None, ""
        if info.is_dir() or info.file_size > 5 * 2**20:
            return None, ""
        data = bundle.read(info)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript",):
        content_type += "; charset=utf-8"
    return data, content_type


def tag() -> Response:
    """``/ads/tag.js``: the script external sites include; it puts our iframe in its place."""
    response = Response((STATIC / "tag.js").read_bytes(), content_type="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def frame(public_id: str) -> Response:
    """``/ads/frame/<placement>?size=300x250``: a page holding one ad, for an iframe on a
    site hosted elsewhere (the tag writes it; publishers may paste it as it is)."""
    size = request.args.get("size", "")
    if size and size not in sdk.IAB_SIZES:
        size = ""
    html = render_template(
        "ads/delivery/frame.html",
        public_id=public_id[:32],
        size=size,
        endpoint="/ads/d",
    )
    # ``?lang=`` chose the label's language; it is not remembered in a cookie (no cookie on
    # other sites' pages, ever).
    session.modified = False
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = FRAME_POLICY
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
