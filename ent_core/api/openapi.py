"""Declare API operations once: the declaration validates requests and writes the OpenAPI document.

``@api_operation(...)`` stores an :class:`Operation` on the view; :func:`build_openapi` walks
``app.url_map`` for every rule under ``/api/v1`` (core and plugin ``ApiBlueprint`` routes alike)
and turns rules, operations and pydantic models into an OpenAPI 3.1 document.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.json_schema import models_json_schema
from werkzeug.wrappers import Response as BaseResponse

from ent_core.api.errors import ApiError
from ent_core.api.schemas import Error, PageQuery
from ent_core.input_guard import (
    DEFAULT_MAX_JSON_BYTES,
    ID_MAX,
    MAX_JSON_DEPTH,
    JsonTooDeep,
    refuse_invalid_text,
    refuse_out_of_range,
)
from ent_core.input_guard import loads as input_guard_loads
from ent_core.version import __version__

F = TypeVar("F", bound=Callable[..., Any])

API_PREFIX = "/api/v1"
OPENAPI_VERSION = "3.1.0"
_REF = "#/components/schemas/{model}"
_IGNORED_METHODS = frozenset({"HEAD", "OPTIONS"})
_RULE_ARGUMENT = re.compile(r"<(?:(?P<converter>[a-zA-Z_]\w*)(?:\([^>]*\))?:)?(?P<name>\w+)>")
_CONVERTER_SCHEMAS = {
    "int": {"type": "integer", "minimum": 0, "maximum": ID_MAX},
    "float": {"type": "number"},
    "uuid": {"type": "string", "format": "uuid"},
}
_PATH_PARAMETER_DESCRIPTIONS = {"workspace": "Slug of the workspace."}

#: Reusable error responses (``components/responses``), by HTTP status.
ERROR_RESPONSES = {
    400: (
        "BadRequest",
        "The request is malformed (`invalid_json`, `json_too_deep`, `invalid_cursor`), or it "
        "carries the site's cookies without an `X-CSRFToken` header (`csrf_failed`).",
    ),
    401: (
        "Unauthorized",
        "No valid bearer token (`unauthorized`), or its account is suspended "
        "(`account_suspended`).",
    ),
    403: ("Forbidden", "Authenticated but not allowed (`forbidden`, `email_not_verified`...)."),
    404: ("NotFound", "No such resource, or not visible to the caller (`not_found`)."),
    409: ("Conflict", "The resource's state refuses the change (`plugin_requires`...)."),
    413: ("PayloadTooLarge", "The body is larger than accepted (`payload_too_large`)."),
    415: ("UnsupportedMediaType", "The body is not JSON (`unsupported_media_type`)."),
    422: (
        "ValidationError",
        "Invalid input (`validation_error`, `invalid_characters`); `details.fields` maps "
        "fields to messages.",
    ),
    429: ("RateLimited", "Too many attempts (`rate_limited`); see `Retry-After`."),
}


@dataclass(frozen=True)
class Operation:
    """What ``@api_operation`` knows about a view; read by the wrapper and by the document."""

    summary: str
    description: str | None = None
    body: type[BaseModel] | None = None
    body_required: bool = True
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    tags: tuple[str, ...] = ()
    errors: tuple[int, ...] = ()
    auth: bool = True
    operation_id: str | None = None

    @functools.cached_property
    def adapter(self) -> TypeAdapter[Any] | None:
        return TypeAdapter(self.response) if self.response is not None else None


def api_operation(
    *,
    summary: str,
    description: str | None = None,
    body: type[BaseModel] | None = None,
    body_required: bool = True,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    tags: Iterable[str] = (),
    errors: Iterable[int] = (),
    auth: bool = True,
    operation_id: str | None = None,
) -> Callable[[F], F]:
    """Declare an API view: validate ``query`` and ``body``, shape the response, document it.

    The view receives the parsed models as keyword arguments ``query=`` and ``body=``; it may
    return a pydantic model, plain data (validated against ``response``), ``None`` for 204, or
    a Flask response. ``errors`` lists the extra error statuses worth documenting (403, 409...).
    Decorators stacked above with ``functools.wraps`` (``require_permission``) keep the metadata.
    """
    op = Operation(
        summary=summary,
        description=description,
        body=body,
        body_required=body_required,
        query=query,
        response=response,
        status=status,
        tags=tuple(tags),
        errors=tuple(errors),
        auth=auth,
        operation_id=operation_id,
    )

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if op.auth and not current_user.is_authenticated:
                raise unauthorized()
            if op.query is not None:
                kwargs["query"] = parse_model(op.query, request.args.to_dict())
            if op.body is not None:
                kwargs["body"] = parse_body(op.body, required=op.body_required)
            return _respond(op, view(*args, **kwargs))

        wrapper.ent_api_operation = op  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


def unauthorized() -> ApiError:
    return ApiError("unauthorized", _("A valid bearer token is required."), 401)


def parse_model(model: type[BaseModel], data: Any) -> BaseModel:
    """Validate ``data`` with ``model``; 422 ``validation_error`` with per-field messages.

    Text with control characters (422 ``invalid_characters``) and whole numbers outside 32 bits
    (the database's ``integer``) are refused too, whatever the model declares.
    """
    refuse_invalid_text(data)
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc) from None
    refuse_out_of_range(parsed)
    return parsed


def parse_body(model: type[BaseModel], *, required: bool = True) -> BaseModel | None:
    """The request's JSON body as ``model``: 415 when not JSON, 400 when malformed, 422 invalid."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if not required:
            return None
        raise ApiError(
            "validation_error",
            _("Some fields are not valid."),
            422,
            {"fields": {"body": [_("A JSON body is required.")]}},
        )
    if not request.is_json:
        raise ApiError(
            "unsupported_media_type",
            _("Send the body as JSON with the header Content-Type: application/json."),
            415,
        )
    limit = current_app.config.get("ENT_API_MAX_JSON_BYTES") or DEFAULT_MAX_JSON_BYTES
    if len(raw) > limit:
        raise ApiError(
            "payload_too_large",
            _("The body is too large: at most %(n)s bytes.", n=limit),
            413,
            {"limit": limit},
        )
    try:
        data = input_guard_loads(raw)
    except JsonTooDeep:
        raise ApiError(
            "json_too_deep",
            _("The JSON body is nested too deeply: at most %(n)s levels.", n=MAX_JSON_DEPTH),
            400,
            {"max_depth": MAX_JSON_DEPTH},
        ) from None
    except ValueError as exc:
        raise ApiError(
            "invalid_json", _("The body is not valid JSON."), 400, {"position": str(exc)}
        ) from None
    return parse_model(model, data)


def validation_error(exc: ValidationError) -> ApiError:
    """Turn pydantic's errors into ``details.fields`` = ``{field: [messages]}``."""
    fields: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        name = ".".join(str(part) for part in error["loc"]) or "body"
        fields.setdefault(name, []).append(_message(error))
    return ApiError("validation_error", _("Some fields are not valid."), 422, {"fields": fields})


def _message(error: Any) -> str:
    """A translated message for the common error types; pydantic's English text otherwise."""
    kind, ctx = error["type"], error.get("ctx") or {}
    messages: dict[str, Callable[[], str]] = {
        "missing": lambda: _("This field is required."),
        "extra_forbidden": lambda: _("Unknown field."),
        "string_type": lambda: _("Enter text."),
        "string_too_short": lambda: _("Enter at least %(n)s characters.", n=ctx["min_length"]),
        "string_too_long": lambda: _("Enter at most %(n)s characters.", n=ctx["max_length"]),
        "literal_error": lambda: _("Choose one of: %(values)s.", values=ctx["expected"]),
        "int_type": lambda: _("Enter a whole number."),
        "int_parsing": lambda: _("Enter a whole number."),
        "bool_type": lambda: _("Enter true or false."),
        "bool_parsing": lambda: _("Enter true or false."),
        "greater_than_equal": lambda: _("Enter a number of at least %(n)s.", n=ctx["ge"]),
        "less_than_equal": lambda: _("Enter a number of at most %(n)s.", n=ctx["le"]),
        "list_type": lambda: _("Enter a list."),
        "dict_type": lambda: _("Enter a JSON object."),
        "model_type": lambda: _("Enter a JSON object."),
    }
    maker = messages.get(kind)
    return maker() if maker is not None else error["msg"]


def _respond(op: Operation, result: Any) -> Any:
    if isinstance(result, BaseResponse | tuple):
        return result
    if result is None:
        return Response(status=204 if op.status == 200 else op.status)
    if op.adapter is not None:
        data = op.adapter.dump_python(op.adapter.validate_python(result), mode="json")
    elif isinstance(result, BaseModel):
        data = result.model_dump(mode="json")
    else:
        data = result
    resp = jsonify(data)
    resp.status_code = op.status
    return resp


# -- the document ----------------------------------------------------------------------------


def openapi_document(app: Flask | None = None) -> dict[str, Any]:
    """The OpenAPI document of ``app``, built on first use and kept (routes never change)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    document = app.extensions.get("ent.openapi")
    if document is None:
        document = app.extensions["ent.openapi"] = build_openapi(app)
    return document


def build_openapi(app: Flask) -> dict[str, Any]:
    """Walk every rule under ``/api/v1`` and describe it (see ``docs/api.md``)."""
    routes = _api_routes(app)
    wanted: dict[tuple[type[BaseModel], str], None] = {(Error, "serialization"): None}
    for _rule, op, _plugin in routes:
        if op.body is not None:
            wanted[(op.body, "validation")] = None
        if op.query is not None:
            wanted[(op.query, "validation")] = None
        if op.response is not None:
            wanted[(op.response, "serialization")] = None
    refs, definitions = models_json_schema(list(wanted), ref_template=_REF)  # type: ignore[arg-type]
    schemas: dict[str, Any] = definitions.get("$defs", {})

    paths: dict[str, dict[str, Any]] = {}
    used_ids: set[str] = set()
    tags: set[str] = set()
    for rule, op, plugin in routes:
        path, parameters = _path_and_parameters(rule.rule)
        methods = sorted(rule.methods - _IGNORED_METHODS) if rule.methods else []
        for method in methods:
            operation = _operation(
                op,
                rule.endpoint,
                method,
                len(methods),
                plugin is not None or bool(parameters),
                refs,
                schemas,
            )
            operation["tags"] = list(op.tags) or [plugin or "core"]
            operation["parameters"] = parameters + operation.get("parameters", [])
            if not operation["parameters"]:
                del operation["parameters"]
            operation["operationId"] = _unique(operation["operationId"], used_ids)
            tags.update(operation["tags"])
            paths.setdefault(path, {})[method.lower()] = operation

    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Smart Médias ENT API",
            "version": __version__,
            "description": "API v1 of the platform and its installed plugins. "
            'Errors: `{"error": {"code", "message", "details"}}`.',
        },
        "servers": [{"url": app.config.get("ENT_BASE_URL") or "/"}],  # the configured address
        "security": [{"bearerAuth": []}],
        "tags": [{"name": name} for name in sorted(tags)],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                name: {
                    "description": text,
                    "content": {"application/json": {"schema": refs[(Error, "serialization")]}},
                }
                for name, text in ERROR_RESPONSES.values()
            },
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token (`ent_...`): `ent token create EMAIL` "
                    "or the account's tokens page.",
                }
            },
        },
    }


def _api_routes(app: Flask) -> list[tuple[Any, Operation, str | None]]:
    """(rule, operation, owning plugin) for every rule under ``/api/v1``, in path order."""
    routes = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.rule != API_PREFIX and not rule.rule.startswith(API_PREFIX + "/"):
            continue
        view = app.view_functions[rule.endpoint]
        op = getattr(view, "ent_api_operation", None) or _undeclared(view, rule.endpoint)
        routes.append((rule, op, _owner(app, rule.endpoint)))
    return routes


def _undeclared(view: Callable[..., Any], endpoint: str) -> Operation:
    """Routes without ``@api_operation`` are documented from their docstring."""
    doc = (view.__doc__ or "").strip()
    summary = doc.splitlines()[0] if doc else endpoint
    return Operation(summary=summary, operation_id=endpoint.replace(".", "_"))


def _owner(app: Flask, endpoint: str) -> str | None:
    blueprint = app.blueprints.get(endpoint.rsplit(".", 1)[0]) if "." in endpoint else None
    return getattr(blueprint, "ent_plugin", None)


def _path_and_parameters(rule: str) -> tuple[str, list[dict[str, Any]]]:
    parameters = []
    for match in _RULE_ARGUMENT.finditer(rule):
        name = match["name"]
        parameter: dict[str, Any] = {
            "name": name,
            "in": "path",
            "required": True,
            "schema": dict(_CONVERTER_SCHEMAS.get(match["converter"] or "", {"type": "string"})),
        }
        if name in _PATH_PARAMETER_DESCRIPTIONS:
            parameter["description"] = _PATH_PARAMETER_DESCRIPTIONS[name]
        parameters.append(parameter)
    return _RULE_ARGUMENT.sub(lambda m: "{" + m["name"] + "}", rule), parameters


def _operation(
    op: Operation,
    endpoint: str,
    method: str,
    method_count: int,
    may_be_missing: bool,
    refs: dict[Any, Any],
    schemas: dict[str, Any],
) -> dict[str, Any]:
    operation_id = op.operation_id or endpoint.replace(".", "_")
    if method_count > 1:
        operation_id += "_" + method.lower()
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": op.summary,
    }
    if op.description:
        operation["description"] = op.description
    if not op.auth:
        operation["security"] = []
    errors = set(op.errors)
    if op.auth:
        errors |= {401, 429}
    if op.query is not None:
        operation["parameters"] = _query_parameters(refs[(op.query, "validation")], schemas)
        errors.add(422)
        if issubclass(op.query, PageQuery):
            errors.add(400)
    if op.body is not None:
        operation["requestBody"] = {
            "required": op.body_required,
            "content": {"application/json": {"schema": refs[(op.body, "validation")]}},
        }
        errors |= {400, 413, 415, 422}
    if may_be_missing:  # a path parameter, or a plugin that may be off for the workspace
        errors.add(404)
    operation["responses"] = {str(op.status): _success(op, refs)} | {
        str(status): {"$ref": f"#/components/responses/{ERROR_RESPONSES[status][0]}"}
        for status in sorted(errors)
        if status in ERROR_RESPONSES
    }
    return operation


def _success(op: Operation, refs: dict[Any, Any]) -> dict[str, Any]:
    if op.status == 204:
        return {"description": "No content."}
    if op.response is None:
        return {"description": "Success."}
    return {
        "description": (op.response.__doc__ or "Success.").strip().splitlines()[0],
        "content": {"application/json": {"schema": refs[(op.response, "serialization")]}},
    }


def _query_parameters(ref: dict[str, Any], schemas: dict[str, Any]) -> list[dict[str, Any]]:
    name = ref["$ref"].rsplit("/", 1)[-1]
    model_schema = schemas[name]
    required = set(model_schema.get("required", ()))
    parameters = []
    for field, schema in model_schema.get("properties", {}).items():
        schema = dict(schema)
        description = schema.pop("description", None)
        schema.pop("title", None)
        parameter: dict[str, Any] = {
            "name": field,
            "in": "query",
            "required": field in required,
            "schema": schema,
        }
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


def _unique(operation_id: str, used: set[str]) -> str:
    candidate, n = operation_id, 2
    while candidate in used:
        candidate, n = f"{operation_id}_{n}", n + 1
    used.add(candidate)
    return candidate
