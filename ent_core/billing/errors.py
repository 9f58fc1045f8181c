"""The one error billing services raise; UI, API and CLI turn it into their own shape."""

from __future__ import annotations

from typing import Any


class BillingError(Exception):
    """A refused billing operation: ``code`` is the API code, ``status`` its HTTP status."""

    def __init__(
        self, code: str, message: str, *, status: int = 422, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details or {}
