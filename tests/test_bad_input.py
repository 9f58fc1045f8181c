"""Bad input answers 4xx, never 5xx (ent_core.input_guard, docs/api.md#errors)."""

from __future__ import annotations

import logging
import re

import pytest

from ent_core.db import db
from ent_core.testing import SAMPLE_IDENTIFIERS, enable_all
from ent_core.workspaces.models import Workspace

EN = {"Accept-Language": "en"}
HUGE = 99_999_999_999  # above PostgreSQL's integer


def count_workspaces() -> int:
    return db.session.scalar(db.select(db.func.count(Workspace.id)))


def new_workspace(**fields):
    return {"slug": "atelier", "name": "Atelier", "kind": "auto_entrepreneur", **fields}


# -- ids ----------------------------------------------------------------------------------------


def _every_get_rule_with_an_id(app):
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        kinds = {name: type(conv).__name__ for name, conv in rule._converters.items()}
        if any(kind.endswith("IntegerConverter") for kind in kinds.values()):
            yield rule, kinds


def test_an_id_above_32_bits_is_a_404_on_every_page_and_api_route(app, client, make_workspace):
    enable_all(make_workspace("acme"))
    checked = 0
    for rule, kinds in _every_get_rule_with_an_id(app):
        path = rule.rule
        for name, kind in kinds.items():
            value = str(HUGE) if kind.endswith("IntegerConverter") else "acme"
            path = re.sub(rf"<(?:[^:>]+:)?{name}>", value, path)
        resp = client.get(path)
        assert resp.status_code == 404, (path, resp.status_code)
        checked += 1
    assert checked > 20  # core, publishing and training routes


def test_a_huge_id_in_the_api_is_a_json_404(api_client, make_workspace):
    make_workspace("acme")

    resp = api_client.get(f"/api/v1/workspaces/acme/application/documents/{HUGE}")

    assert resp.status_code == 404
    assert resp.get_json()["error"]["code"] == "not_found"


def test_a_huge_number_in_a_json_body_is_a_field_error(api_client, make_workspace):
    make_workspace("acme", plugins=("publishing",))
    body = {"title": "Titre", "author_ids": [HUGE]}

    resp = api_client.post("/api/v1/workspaces/acme/publishing/articles", json=body, headers=EN)

    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "validation_error"
    assert "Enter a number between" in error["details"]["fields"]["author_ids.0"][0]


def test_a_huge_number_in_a_query_is_a_field_error(api_client, make_workspace):
    make_workspace("acme", plugins=("publishing",))

    resp = api_client.get(f"/api/v1/workspaces/acme/publishing/articles?limit={HUGE}")

    assert resp.status_code == 422
    assert "limit" in resp.get_json()["error"]["details"]["fields"]


# -- JSON depth and size ----------------------------------------------------------------------


@pytest.mark.parametrize("depth", [20_000, 100])
def test_deeply_nested_json_is_refused(api_client, depth):
    body = '{"slug": ' + "[" * depth + "]" * depth + "}"

    resp = api_client.post(
        "/api/v1/workspaces", data=body, headers={"Content-Type": "application/json", **EN}
    )

    assert resp.status_code == 400
    error = resp.get_json()["error"]
    assert error["code"] == "json_too_deep"
    assert "nested too deeply" in error["message"]


def test_a_json_body_over_the_limit_is_413(api_client, app, monkeypatch):
    monkeypatch.setitem(app.config, "ENT_API_MAX_JSON_BYTES", 1000)

    resp = api_client.post("/api/v1/workspaces", json=new_workspace(name="x" * 2000))

    assert resp.status_code == 413
    assert resp.get_json()["error"]["code"] == "payload_too_large"


def test_get_json_is_guarded_too(app):
    with app.test_request_context(
        "/", method="POST", data="[" * 5000 + "]" * 5000, content_type="application/json"
    ):
        from flask import request
        from werkzeug.exceptions import BadRequest

        with pytest.raises(BadRequest):
            request.get_json()


# -- characters -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Ate\x00lier", "Ate\x07lier", "Ate\ud800lier"])
def test_invalid_characters_in_json_are_a_field_error(api_client, text):
    body = new_workspace(name=text, identifiers=SAMPLE_IDENTIFIERS["auto_entrepreneur"])

    resp = api_client.post("/api/v1/workspaces", json=body, headers=EN)

    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "invalid_characters"
    assert error["details"]["fields"] == {
        "name": ["Remove the invisible control characters from this text."]
    }
    assert count_workspaces() == 0


def test_tabs_and_line_breaks_are_ordinary_text(api_client):
    body = new_workspace(name="Ate\tlier\r\n", identifiers=SAMPLE_IDENTIFIERS["auto_entrepreneur"])

    assert api_client.post("/api/v1/workspaces", json=body).status_code == 201


def test_a_nul_in_a_form_field_is_a_field_error(signed_in_client):
    data = {"name": "Souss\x00", "slug": "souss", "kind": "media", "sectors": ["it"]}
    data.update(SAMPLE_IDENTIFIERS["media"])

    resp = signed_in_client.post("/workspaces/new", data=data, headers=EN)

    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "Remove the invisible control characters from this text." in page
    assert 'id="name-errors"' in page
    assert count_workspaces() == 0


def test_a_nul_in_the_sign_in_form_is_refused_without_a_query(client, caplog):
    resp = client.post(
        "/auth/sign-in", data={"email": "a\x00b@example.ma", "password": "x"}, headers=EN
    )

    assert resp.status_code in (200, 422)
    assert "Remove the invisible control characters" in resp.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/?q=a%00b", "/api/v1/plans?x=%01"])
def test_invalid_characters_in_a_query_string_are_refused(client, path):
    resp = client.get(path, headers=EN)

    assert resp.status_code == 422


@pytest.mark.parametrize("path", ["/w/ac%00me/", "/api/v1/workspaces/ac%00me"])
def test_a_nul_in_an_address_is_a_404(client, make_workspace, path):
    make_workspace("acme")

    assert client.get(path).status_code == 404


def test_text_read_outside_forms_never_reaches_the_database_with_a_nul(make_user, client):
    from ent_core.testing import sign_in

    sign_in(client, make_user("root@example.ma", admin=True))

    resp = client.post("/admin/portal/hide", data={"key": "k", "title": "a\x00b"}, headers=EN)

    # A refused form with no form of its own to show it on: flashed, back where it was sent.
    assert resp.status_code == 303
    page = client.get(resp.headers["Location"], headers=EN).get_data(as_text=True)
    assert "invisible control characters" in page


# -- the error handlers -----------------------------------------------------------------------


def test_an_error_page_that_cannot_render_still_answers_and_is_logged(client, caplog, monkeypatch):
    import ent_core.errorpages

    def broken(*args, **kwargs):
        raise RuntimeError("template broken")

    monkeypatch.setattr(ent_core.errorpages, "render_template", broken)
    with caplog.at_level(logging.WARNING, logger="ent_core"):
        resp = client.get("/no-such-page", headers={"X-Request-ID": "req-abc123"})

    assert resp.status_code == 404
    assert resp.mimetype == "text/html"
    assert "req-abc123" in resp.get_data(as_text=True)
    failed = [r for r in caplog.records if "error handler failed" in r.getMessage()]
    assert failed and failed[0].request_id == "req-abc123"
    assert failed[0].exc_info is not None


def test_an_api_error_that_cannot_be_built_still_answers_json(client, monkeypatch):
    from ent_core.api import errors

    def broken(self):
        raise RuntimeError("jsonify broken")

    monkeypatch.setattr(errors.ApiError, "response", broken)
    resp = client.get("/api/v1/no-such-thing")

    assert resp.status_code == 404
    assert resp.get_json()["error"]["code"] == "not_found"


def test_records_of_the_platform_carry_the_request_id(app, caplog):
    from flask import g

    with app.test_request_context("/"), caplog.at_level(logging.ERROR, logger="ent_core"):
        g.request_id = "req-xyz"
        app.logger.error("boom")

    assert caplog.records[-1].request_id == "req-xyz"


def test_an_sdk_form_refuses_a_whole_number_beyond_32_bits(app):
    from wtforms import IntegerField, StringField

    from ent_core import sdk

    class PositionForm(sdk.FlaskForm):
        title = StringField()
        position = IntegerField()

    data = {"title": "Module", "position": str(HUGE)}
    with app.test_request_context("/?lang=en", method="POST", data=data):
        form = PositionForm(meta={"csrf": False})
        assert not form.validate()
        assert form.errors == {"position": ["Enter a number between -2147483648 and 2147483647."]}
    with app.test_request_context("/", method="POST", data={**data, "position": "12"}):
        assert PositionForm(meta={"csrf": False}).validate()


ODD_QUERY = (
    f"?page={HUGE * 10**9}&before={HUGE * 10**9}&limit={HUGE}&cursor=%ff%fe&q=%27%22%3C"
    "&status=nope&action=x&ws=nope&against=nope&sector=nope&mine=1"
)


def test_odd_query_values_never_give_a_server_error_on_any_page(
    app, client, make_user, make_workspace
):
    from ent_core.testing import sign_in

    admin = make_user("root@example.ma", admin=True)
    enable_all(make_workspace("acme", owner=admin))
    sign_in(client, admin)
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or set(rule.arguments) - {"workspace"}:
            continue
        path = rule.rule.replace("<workspace>", "acme")
        resp = client.get(path + ODD_QUERY)
        assert resp.status_code < 500, (path, resp.status_code)
        checked += 1
    assert checked > 30
