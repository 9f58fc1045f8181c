"""The bare Flask baseline of ``bench/ads_delivery.py``: ``GET /ads/d`` answers a fixed ad
kept in Redis (one ``GET``), as JSON with ``Cache-Control: no-store``. No decision, no
counting, no signatures: what any Flask app pays to answer an ad from Redis.

    gunicorn --pythonpath bench 'ads_baseline_app:create_app()'   (REDIS_URL set)
"""

from __future__ import annotations

import json
import os

from flask import Flask, Response
from redis import Redis

KEY = "bench:ads:fixed-ad"
AD = {
    "format": "image", "size": "300x250", "width": 300, "height": 250,
    "src": "/ads/creatives/1/", "click": "/ads/c/" + "x" * 180, "token": "y" * 120,
    "beacon": "/ads/v", "headline": "La fibre à Casablanca", "body": "1 Gb/s dès 299 DH",
    "alt": "Atlas Télécom: la fibre",
}  # fmt: skip


def create_app() -> Flask:
    app = Flask(__name__)
    redis = Redis.from_url(os.environ["REDIS_URL"])
    redis.set(KEY, json.dumps(AD))

    @app.get("/ads/d")
    def decision() -> Response:
        return Response(
            redis.get(KEY),
            content_type="application/json",
            headers={"Cache-Control": "no-store"},
        )

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    return app
