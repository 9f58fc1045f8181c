"""What a request may carry: ids in range, JSON of bounded depth, text without control characters.

Bad input must answer 404 or 4xx, never 500, and be checked once here rather than in every view:

- ``<int:...>`` in every URL rule (core and plugins) accepts 0 to ``ID_MAX`` (PostgreSQL's
  ``integer``), so ``/x/99999999999`` is a 404; text segments refuse control characters.
- API bodies and query strings (``ent_core.api.openapi.parse_body``/``parse_model``): JSON
  nested deeper than ``MAX_JSON_DEPTH`` is a 400 ``json_too_deep``, a body over
  ``ENT_API_MAX_JSON_BYTES`` a 413, integers outside 32 bits and text with invalid characters
  a 422 naming the field.
- ``request.args.get("page", type=int)`` (and ``request.form``) treats a number beyond 32 bits
  as not a number: the view's default applies.
- Forms (``ent_core.forms.FlaskForm``, the SDK's) refuse invalid characters and huge numbers
  with a field error; any query string with invalid characters is a 422 (``invalid_characters``
  in the API, an error page otherwise).
- Last net, below every view: a statement whose parameters hold a NUL or a lone surrogate (which
  the database drivers cannot send) is refused as ``invalid_characters`` before it leaves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, Request, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter

from ent_core.api.errors import ApiError

#: Largest id (and whole number) accepted: PostgreSQL's ``integer``.
ID_MAX = 2**31 - 1
ID_MIN = -(2**31)
#: Deepest JSON accepted (objects and arrays inside one another).
MAX_JSON_DEPTH = 32
DEFAULT_MAX_JSON_BYTES = 2 * 1024 * 1024

#: NUL and the other C0 controls but tab, newline and carriage return; lone UTF-16 surrogates.
INVALID_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
#: What the database drivers cannot carry at all (the last net checks only these: cheap).
_UNSENDABLE = re.compile("[\x00\ud800-\udfff]")
INVALID_CHARACTERS_MESSAGE = _l("Remove the invisible control characters from this text.")


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>``: 0 to ``ID_MAX`` unless the rule says otherwise; larger is a 404."""

    def __init__(
        self,
        map: Any,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, ID_MAX if max is None else max, signed)


class TextConverter(UnicodeConverter):
    """The default converter, without control characters (a NUL in a slug is a 404)."""

    def __init__(
        self, map: Any, minlength: int = 1, maxlength: int | None = None, length: int | None = None
    ) -> None:
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", "[^/\\x00-\\x1f\\x7f]")


class TextPathConverter(PathConverter):
    """``<path:...>`` without control characters."""

    regex = "[^/\\x00-\\x1f\\x7f].*?"
    part_isolating = False

    def to_python(self, value: str) -> str:
        if INVALID_CHARACTERS.search(value):
            from werkzeug.routing import ValidationError

            raise ValidationError()
        return value


def bounded_int(value: Any) -> int:
    """``int(value)`` within ``ID_MIN``..``ID_MAX``; a ``ValueError`` otherwise."""
    number = int(value)
    if not ID_MIN <= number <= ID_MAX:
        raise ValueError(f"{number} is outside 32 bits")
    return number


class BoundedArgs(ImmutableMultiDict):  # type: ignore[type-arg]
    """Query strings and forms where ``get(..., type=int)`` (and ``getlist``) stay in 32 bits:
    a larger number counts as not a number, so the view falls back to its default."""

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:
        return super().get(key, default, bounded_int if type is int else type)

    def getlist(self, key: Any, type: Any = None) -> Any:
        return super().getlist(key, bounded_int if type is int else type)


class GuardedRequest(Request):
    parameter_storage_class = BoundedArgs


class JsonTooDeep(ValueError):
    """JSON nested deeper than ``MAX_JSON_DEPTH`` (a ``ValueError``, as json's own errors)."""


def loads(raw: str | bytes) -> Any:
    """``json.loads`` that refuses nesting deeper than ``MAX_JSON_DEPTH`` (never recursing far)."""
    try:
        data = json.loads(raw)
    except RecursionError:
        raise JsonTooDeep(f"nested deeper than {MAX_JSON_DEPTH}") from None
    if _depth_over(data, MAX_JSON_DEPTH):
        raise JsonTooDeep(f"nested deeper than {MAX_JSON_DEPTH}")
    return data


def _depth_over(data: Any, limit: int) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        stack.extend((item, depth + 1) for item in value)
    return False


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with the depth guard, for any view that calls ``get_json``."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s)


def invalid_text(data: Any, path: str = "") -> Iterator[str]:
    """Paths (``a.0.b``) of strings, keys included, that hold invalid characters."""
    if isinstance(data, str):
        if INVALID_CHARACTERS.search(data):
            yield path or "body"
    elif isinstance(data, dict):
        for key, value in data.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and INVALID_CHARACTERS.search(key):
                yield path or "body"
            else:
                yield from invalid_text(value, name)
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from invalid_text(value, f"{path}.{index}" if path else str(index))


def out_of_range(data: Any, path: str = "") -> Iterator[str]:
    """Paths of whole numbers outside ``ID_MIN``..``ID_MAX`` in parsed input (models too)."""
    from pydantic import BaseModel, RootModel

    if isinstance(data, bool):
        return
    if isinstance(data, int):
        if not ID_MIN <= data <= ID_MAX:
            yield path or "body"
    elif isinstance(data, RootModel):
        yield from out_of_range(data.root, path)
    elif isinstance(data, BaseModel):
        for name in type(data).model_fields:
            yield from out_of_range(getattr(data, name), f"{path}.{name}" if path else name)
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from out_of_range(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list | tuple | set | frozenset):
        for index, value in enumerate(data):
            yield from out_of_range(value, f"{path}.{index}" if path else str(index))


def refuse_invalid_text(data: Any) -> None:
    """422 ``invalid_characters`` naming each field of ``data`` that holds invalid characters."""
    fields = sorted(set(invalid_text(data)))
    if fields:
        raise InvalidCharacters(fields)


def refuse_out_of_range(data: Any) -> None:
    """422 ``validation_error`` naming each whole number of ``data`` outside 32 bits."""
    fields = sorted(set(out_of_range(data)))
    if fields:
        message = _("Enter a number between %(low)s and %(high)s.", low=ID_MIN, high=ID_MAX)
        raise ApiError(
            "validation_error",
            _("Some fields are not valid."),
            422,
            {"fields": {name: [message] for name in fields}},
        )


class InvalidCharacters(ApiError):
    """Text with NUL, other control characters or lone surrogates: 422 naming the fields."""

    def __init__(self, fields: list[str] | None = None) -> None:
        details = {"fields": {name: [str(INVALID_CHARACTERS_MESSAGE)] for name in fields or ()}}
        super().__init__(
            "invalid_characters",
            _("Some text contains invisible control characters; remove them and try again."),
            422,
            details if fields else None,
        )


def refuse_invalid_query() -> None:
    """``before_request``: a query string with invalid characters never reaches a view."""
    args = request.args
    if not args:
        return
    fields = sorted(
        {key for key, value in args.items(multi=True) if INVALID_CHARACTERS.search(key + value)}
    )
    if fields:
        raise InvalidCharacters(fields)


def _refuse_unsendable(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
    """``before_cursor_execute``: the drivers fail on NUL and lone surrogates; refuse them."""
    rows = parameters if isinstance(parameters, list) else (parameters,)
    for row in rows:
        values = row.values() if isinstance(row, dict) else row or ()
        for value in values:
            if type(value) is str and _UNSENDABLE.search(value):
                raise InvalidCharacters()


def install(app: Flask) -> None:
    """Converters, JSON provider, query guard and the database net; before any route exists."""
    app.url_map.converters.update(
        int=BoundedIntegerConverter,
        default=TextConverter,
        string=TextConverter,
        path=TextPathConverter,
    )
    app.json = GuardedJSONProvider(app)
    app.request_class = GuardedRequest
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "before_cursor_execute", _refuse_unsendable):
        event.listen(Engine, "before_cursor_execute", _refuse_unsendable)
