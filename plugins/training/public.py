"""Public pages: anyone checks a certificate by its URL, without an account.

Stable URLs under ``/s/<workspace>/training/``: the verification page (also the credential's
``id`` and the PDF's QR code), the signed credential as JSON (and VC-JWT), the revocation
status list, and the course page the credential's achievement points to.
"""

from __future__ import annotations

import functools
from typing import Any

from ent_plugins.training import certificates as certs
from ent_plugins.training.models import Certificate, Course, StatusSlot
from flask import Response, current_app, jsonify, render_template
from sqlalchemy import func, select

from ent_core import sdk

CACHE = "public, max-age=300"


def _by_number(number: str) -> Certificate:
    item = sdk.db.session.scalar(select(Certificate).where(Certificate.number == number))
    if item is None:
        sdk.abort(404)
    return item


def index() -> Any:
    courses = sdk.db.session.scalars(sdk.scoped(Course).order_by(Course.title)).all()
    return render_template("training/public/index.html", courses=courses)


def course(course_id: int) -> Any:
    return render_template("training/public/course.html", course=sdk.get_or_404(Course, course_id))


def verify(number: str) -> Any:
    item = _by_number(number)
    response = Response(
        render_template(
            "training/public/verify.html",
            certificate=item,
            status=item.status,
            credential_url=certs.credential_url(item),
        )
    )
    # The status changes with revocation and expiry: let caches keep it briefly only.
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def credential(number: str) -> Any:
    item = _by_number(number)
    response = jsonify(item.credential)
    response.mimetype = "application/vc+ld+json"
    response.headers["Content-Disposition"] = f'inline; filename="{item.number}.json"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def credential_jwt(number: str) -> Any:
    from ent_plugins.training import credentials

    item = _by_number(number)
    response = Response(credentials.credential_jwt(item.credential), mimetype="application/vc+jwt")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@functools.lru_cache(maxsize=64)
def _signed_status_list(
    url: str, revoked: tuple[int, ...], length: int, key_id: str, issuer_name: str, instance: str
) -> dict[str, Any]:
    """Signing costs milliseconds and verifiers poll: sign each distinct list once per process
    (a revocation changes ``revoked``, hence the key; ``instance`` keeps platforms apart)."""
    from ent_plugins.training import credentials

    return credentials.status_list_credential(
        url, revoked, length=length, issuer=key_id, issuer_name=issuer_name
    )


def status_list(key_id: str) -> Any:
    """The revocation list of the credentials this workspace signed with ``key_id``: the bit at
    a certificate's ``status_index`` is 1 once it is revoked."""
    from ent_plugins.training import credentials

    workspace = sdk.current_workspace()
    revoked = set(
        sdk.db.session.scalars(
            select(Certificate.status_index).where(
                Certificate.issuer_key == key_id, Certificate.revoked_at.is_not(None)
            )
        )
    )
    # Positions are allocated platform-wide: the list grows in steps of its minimum length
    # to cover every position handed out so far.
    highest = sdk.db.session.scalar(select(func.max(StatusSlot.id))) or 0
    step = credentials.status_list.MIN_LENGTH
    length = max(step, -(-(highest + 1) // step) * step)
    try:
        document = _signed_status_list(
            certs.status_list_url(workspace.slug, key_id),
            tuple(sorted(revoked)),
            length,
            key_id,
            workspace.name,
            current_app.instance_path,
        )
    except LookupError:
        sdk.abort(404)
    response = jsonify(document)
    response.mimetype = "application/vc+ld+json"
    response.headers["Cache-Control"] = "public, max-age=60"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
