"""The OpenAPI document is generated from the routes, valid, and open to plugins' endpoints."""

from __future__ import annotations

import types
from typing import Any

import pytest
from flask import jsonify
from openapi_spec_validator import validate

from ent_core import sdk
from ent_core.testing import ApiClient

DOC = "/api/v1/openapi.json"


@pytest.fixture
def document(client) -> dict[str, Any]:
    resp = client.get(DOC)
    assert resp.status_code == 200
    return resp.json


def test_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_document_needs_no_token(client):
    assert client.get(DOC).status_code == 200


def test_core_paths_and_methods(document):
    paths = {path: set(ops) for path, ops in document["paths"].items()}
    assert paths["/api/v1/me"] == {"get"}
    assert paths["/api/v1/workspaces"] == {"get", "post"}
    assert paths["/api/v1/workspaces/{workspace}"] == {"get", "patch"}
    assert paths["/api/v1/plugins"] == {"get"}
    assert paths["/api/v1/workspaces/{workspace}/plugins"] == {"get"}
    assert paths["/api/v1/workspaces/{workspace}/plugins/{name}"] == {"put", "delete"}
    assert not any("<" in path for path in paths)


def test_plugin_api_routes_are_documented(document):
    ping = document["paths"]["/api/v1/workspaces/{workspace}/alpha/ping"]["get"]
    assert ping["tags"] == ["alpha"]
    assert [p["name"] for p in ping["parameters"]] == ["workspace"]
    assert "404" in ping["responses"]


def test_schemas_come_from_the_models(document):
    schemas = document["components"]["schemas"]
    create = document["paths"]["/api/v1/workspaces"]["post"]
    ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schemas[ref.rsplit("/", 1)[-1]]
    assert set(body["required"]) == {"slug", "name", "kind"}
    assert body["properties"]["kind"]["enum"] == [
        "media",
        "auto_entrepreneur",
        "association",
        "training_centre",
    ]
    assert create["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Workspace"
    }
    assert set(schemas["Workspace"]["properties"]) == {
        "slug",
        "name",
        "kind",
        "sectors",
        "status",
        "plugins",
        "timezone",
        "created_at",
        "url",
    }
    assert schemas["Error"]["properties"]["error"]["$ref"] == "#/components/schemas/ErrorBody"


def test_errors_and_security_are_declared(document):
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["security"] == [{"bearerAuth": []}]
    assert document["paths"][DOC]["get"]["security"] == []
    put = document["paths"]["/api/v1/workspaces/{workspace}/plugins/{name}"]["put"]
    assert {"401", "403", "404", "409", "422"} <= set(put["responses"])
    assert put["requestBody"]["required"] is False
    listing = document["paths"]["/api/v1/workspaces"]["get"]
    assert [p["name"] for p in listing["parameters"]] == ["cursor", "limit", "all"]
    limit = listing["parameters"][1]["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 100, 50)


def test_document_is_built_once_per_app(app, client):
    from ent_core.api.openapi import openapi_document

    client.get(DOC)
    assert openapi_document(app) is app.extensions["ent.openapi"]
    assert openapi_document(app) is openapi_document(app)


# -- a plugin declaring its own operations ---------------------------------------------------


class NoteIn(sdk.ApiModel):
    """A note to keep."""

    title: str
    stars: int = 1


class NoteOut(sdk.ApiModel):
    """A kept note."""

    title: str
    stars: int
    workspace: str


def _gamma_plugin() -> types.ModuleType:
    """A plugin defined in the test: one ApiBlueprint route declared with ``api_operation``."""
    module = types.ModuleType("gamma_plugin")
    module.__file__ = __file__  # the registry looks for migrations/ next to it: none here
    module.meta = sdk.PluginMeta(name="gamma", version="2.0.0", label="Gamma")
    api = sdk.ApiBlueprint("gamma_api", "gamma_plugin")

    @api.post("/notes")
    @sdk.api_operation(summary="Keep a note", body=NoteIn, response=NoteOut, status=201)
    def keep(body: NoteIn) -> Any:
        return {"title": body.title, "stars": body.stars, "workspace": sdk.current_workspace().slug}

    @api.get("/raw")
    def raw() -> Any:
        """Answer without a declaration."""
        return jsonify(ok=True)

    @sdk.hookimpl
    def ent_blueprints() -> list[Any]:
        return [api]

    module.ent_blueprints = ent_blueprints
    return module


@pytest.fixture(scope="module")
def gamma_app(app, ent_config):
    from ent_core import create_app
    from ent_core.db import db
    from tests.fixture_plugins import alpha, beta

    other = create_app(dict(ent_config), plugin_modules=[alpha, beta, _gamma_plugin()])
    other.test_client_class = app.test_client_class
    yield other
    with other.app_context():
        db.engine.dispose()


def test_plugin_operations_validate_and_are_documented(gamma_app, user, workspace):
    from ent_core.identity.tokens import create_api_token

    _, secret = create_api_token(user, "gamma")
    api = ApiClient(gamma_app.test_client(), secret)
    notes = "/api/v1/workspaces/acme/gamma/notes"
    assert api.post(notes, json={"title": "x"}).status_code == 404  # gamma is off here
    assert api.put("/api/v1/workspaces/acme/plugins/gamma").status_code == 200

    created = api.post(notes, json={"title": "Salam", "stars": 3})
    assert created.status_code == 201
    assert created.json == {"title": "Salam", "stars": 3, "workspace": "acme"}
    invalid = api.post(notes, json={"stars": "many"})
    assert invalid.status_code == 422
    assert set(invalid.json["error"]["details"]["fields"]) == {"title", "stars"}

    document = api.get(DOC).json
    validate(document)
    keep = document["paths"]["/api/v1/workspaces/{workspace}/gamma/notes"]["post"]
    assert keep["summary"] == "Keep a note"
    assert keep["tags"] == ["gamma"]
    assert keep["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/NoteIn"
    }
    assert "NoteOut" in document["components"]["schemas"]
    raw = document["paths"]["/api/v1/workspaces/{workspace}/gamma/raw"]["get"]
    assert raw["summary"] == "Answer without a declaration."
