"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ent_core.db import db, utcnow

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Any:
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any failure means "not ready"
        db.session.rollback()
        checks["database"] = f"error: {exc.__class__.__name__}"
    if current_app.config.get("REDIS_URL"):
        from ent_core.jobs import redis_connection

        try:
            redis_connection().ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {exc.__class__.__name__}"
    ready = all(v == "ok" for v in checks.values())
    body: dict[str, Any] = {"status": "ok" if ready else "unavailable", "checks": checks}
    if checks["database"] == "ok":
        body["jobs_outbox"] = _outbox()
    return jsonify(body), 200 if ready else 503


def _outbox() -> dict[str, Any]:
    """Jobs recorded but not yet handed to the queue: information, not a readiness check (a
    backlog drains by itself once Redis answers; the web process can still serve)."""
    from ent_core.jobs.outbox import backlog

    waiting = backlog()
    age = None if waiting.oldest is None else (utcnow() - waiting.oldest).total_seconds()
    return {"waiting": waiting.waiting, "oldest_seconds": None if age is None else round(age)}
