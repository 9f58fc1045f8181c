"""One error type for a refused action, and one way to answer it (docs/errors.md).

Services raise :class:`UserError` (or a subclass) when a person asked for something the platform
refuses: a taken slug, a quota used up, a transition not allowed from here. Nothing above the
service has to translate it: the application's handler rolls the session back and answers

- under ``/api/``: ``{"error": {"code", "message", "details"}}`` with ``status``, adding
  ``details.fields = {field: [message]}`` when the error blames one field;
- on a page: a flash message and a ``303`` back to the page the form was on (same site only),
  or an error page with ``status`` for a ``GET``.

A view that wants the form re-rendered with the message under the field wraps the service call
in :func:`user_errors`; the handler never sees those.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Response, jsonify

from ent_core.db import db


class UserError(Exception):
    """A refused action: ``code`` is stable for programs, ``message`` is for people.

    ``status`` is the HTTP status it answers with (each subclass may choose its default),
    ``field`` the form field or JSON member to blame, ``details`` machine-readable context
    (``details.allowed`` for transitions, ``details.limit`` for quotas...).
    """

    default_status = 422

    def __init__(
        self,
        code: str,
        message: str,
        status: int | None = None,
        *,
        field: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status if status is not None else self.default_status
        self.field = field
        self.details = dict(details or {})

    def __str__(self) -> str:
        return str(self.message)

    def to_dict(self) -> dict[str, Any]:
        """The body under ``"error"`` of the JSON answer."""
        body: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        details = dict(self.details)
        if self.field:
            fields = {
                name: _as_list(messages) for name, messages in details.get("fields", {}).items()
            }
            fields.setdefault(self.field, []).append(str(self.message))
            details["fields"] = fields
        if details:
            body["details"] = details
        return body

    def response(self) -> Response:
        """The JSON answer (the API's shape); ``details.retry_after`` also goes to its header."""
        resp = jsonify(error=self.to_dict())
        resp.status_code = self.status
        if "retry_after" in self.details:
            resp.headers["Retry-After"] = str(self.details["retry_after"])
        return resp


@dataclass(slots=True)
class Refusal:
    """What :func:`user_errors` caught, if anything: a view may answer with its ``status``."""

    error: UserError | None = None

    def status(self, default: int = 422) -> int:
        """The caught error's status, ``default`` when there was none."""
        return self.error.status if self.error is not None else default


@contextmanager
def user_errors(form: Any = None, *, rename: Mapping[str, str] | None = None) -> Iterator[Refusal]:
    """Turn a :class:`UserError` raised inside into form errors, so the view re-renders.

    The session is rolled back (nothing half-done is kept); the message goes under the blamed
    field of ``form`` when it has one, else among the form's own errors (``form.form_errors``,
    shown at the top of the form), else into a flash message. Code after the ``with`` block
    runs, so the view's usual ``render(...)`` shows the form again with what was typed::

        if form.validate_on_submit():
            with sdk.user_errors(form):
                article = service.create(...)
                return redirect(url_for(...), 303)
        return sdk.render("blog/new.html", form=form), 422 if form.errors else 200

    ``with user_errors(form) as refused:`` gives the :class:`Refusal`, for a view that answers
    with the error's own status (a quota's 409, a throttle's 429) rather than 422. ``rename``
    maps the service's field names to the form's where they differ (``{"author_ids": "authors"}``).
    """
    refusal = Refusal()
    try:
        yield refusal
    except UserError as exc:
        db.session.rollback()
        refusal.error = exc
        attach(exc, form, rename=rename)


def attach(exc: UserError, form: Any = None, *, rename: Mapping[str, str] | None = None) -> None:
    """Show ``exc`` on ``form``: under the fields it blames, else at the top; no form: a flash."""
    if form is None or not hasattr(form, "_fields"):
        from flask import flash

        flash(str(exc.message), "error")
        return
    given = exc.details.get("fields")
    fields = {name: _as_list(messages) for name, messages in dict(given or {}).items()}
    if exc.field:
        fields.setdefault(exc.field, []).append(str(exc.message))
    unplaced = []
    for name, messages in fields.items():
        name = (rename or {}).get(name, name)
        field = form._fields.get(name) if isinstance(name, str) else None
        if field is None:
            unplaced.extend(_as_list(messages))
        else:
            field.errors = [*field.errors, *_as_list(messages)]
    if not fields or unplaced:
        form.form_errors.append(str(exc.message))
        form.form_errors.extend(message for message in unplaced if message != str(exc.message))


def _as_list(messages: Any) -> list[str]:
    if isinstance(messages, (list, tuple)):
        return [str(message) for message in messages]
    return [str(messages)]
