"""JSON errors with a stable ``code`` (see docs/api.md for the list)."""

from __future__ import annotations

from typing import Any

from ent_core.errors import UserError


class ApiError(UserError):
    """A refusal raised by API code itself (``validation_error``, ``unauthorized``...).

    Kept as the API's name of :class:`~ent_core.errors.UserError`, whose handler answers it; its
    default status is 400.
    """

    default_status = 400

    def __init__(
        self,
        code: str,
        message: str,
        status: int | None = None,
        details: dict[str, Any] | None = None,
        *,
        field: str | None = None,
    ) -> None:
        super().__init__(code, message, status, field=field, details=details)


#: HTTP status -> the code used when Flask raises it inside the API.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
}
