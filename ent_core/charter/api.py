"""``GET /api/v1/charter`` and ``POST /api/v1/charter/signatures``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, request
from flask_babel import get_locale
from flask_login import current_user
from pydantic import Field

from ent_core.api.errors import ApiError
from ent_core.api.openapi import api_operation
from ent_core.api.schemas import ApiModel
from ent_core.charter import service

bp = Blueprint("charter_api", __name__, url_prefix="/api/v1/charter")


class CharterOut(ApiModel):
    version: str
    language: str = Field(description="Language of `text`: the caller's, else French.")
    text: str = Field(description="The charter in Markdown, exactly as signed.")
    sha256: str = Field(description="Hex SHA-256 of `text` encoded as UTF-8.")
    summary: str = Field(description="What changed in this version.")
    published_at: datetime
    signed: bool
    signed_at: datetime | None


class SignatureIn(ApiModel):
    version: str = Field(description="The version being signed: must be the current one.")
    sha256: str | None = Field(
        default=None, description="Optional: the SHA-256 of the text read, checked if given."
    )


class SignatureOut(ApiModel):
    version: str
    language: str
    sha256: str
    signed_at: datetime


def _current() -> Any:
    current = service.current_version()
    if current is None:
        raise ApiError("not_found", "No charter is published.", 404)
    return current


@bp.get("")
@api_operation(
    summary="The current ethics charter and whether you signed it",
    response=CharterOut,
    tags=["charter"],
)
def read() -> Any:
    current = _current()
    text = service.text_for(current, str(get_locale() or "fr"))
    signature = service.signature_for(current_user, current)
    return CharterOut(
        version=current.version,
        language=text.language,
        text=text.body,
        sha256=service.sha256_of(text.body),
        summary=current.summary,
        published_at=current.published_at,
        signed=signature is not None,
        signed_at=signature.signed_at if signature else None,
    )


@bp.post("/signatures")
@api_operation(
    summary="Sign the current ethics charter",
    body=SignatureIn,
    response=SignatureOut,
    status=201,
    errors=[409],
    tags=["charter"],
)
def sign(body: SignatureIn) -> Any:
    signature, created = service.sign(
        current_user,
        body.version,
        language=str(get_locale() or "fr"),
        ip_address=request.remote_addr,
        user_agent=request.user_agent.string,
        expected_sha256=body.sha256,
    )
    result = SignatureOut(
        version=body.version,
        language=signature.language,
        sha256=signature.text_sha256,
        signed_at=signature.signed_at,
    )
    return (result.model_dump(mode="json"), 201 if created else 200)
