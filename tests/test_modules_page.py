"""Modules page: list installed plugins, switch them on and off, edit their settings."""

from __future__ import annotations

import pytest

from ent_core.audit import AuditEvent
from ent_core.db import db
from ent_core.testing import all_workspaces
from ent_core.workspaces.models import PluginActivation, Workspace
from ent_core.workspaces.service import enable_plugin

EN = {"Accept-Language": "en"}


def _activation(name="alpha"):
    with all_workspaces():
        return db.session.scalar(db.select(PluginActivation).where(PluginActivation.plugin == name))


def test_modules_page_lists_every_installed_plugin(signed_in_client, workspace):
    page = signed_in_client.get("/w/acme/modules", headers=EN).get_data(as_text=True)
    assert "Alpha" in page and "Test plugin alpha" in page and "1.0.0" in page
    assert "Beta" in page and "Needs" in page
    assert 'action="/w/acme/modules/alpha/on"' in page
    assert 'action="/w/acme/modules/beta/on"' in page


def test_switching_alpha_on_opens_its_pages(signed_in_client, workspace):
    assert signed_in_client.get("/w/acme/alpha/").status_code == 404
    resp = signed_in_client.post("/w/acme/modules/alpha/on", follow_redirects=True, headers=EN)
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "Alpha is on." in page
    assert 'action="/w/acme/modules/alpha/off"' in page
    assert signed_in_client.get("/w/acme/alpha/").status_code == 200
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "plugin.enabled" in actions


def test_switching_alpha_off_keeps_its_settings(signed_in_client, workspace, user):
    enable_plugin(workspace, "alpha", {"greeting": "Marhaba"}, actor=user)
    resp = signed_in_client.post("/w/acme/modules/alpha/off")
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/w/acme/modules")
    assert signed_in_client.get("/w/acme/alpha/").status_code == 404
    assert _activation().enabled is False
    assert _activation().settings["greeting"] == "Marhaba"


def test_requirement_errors_are_flashed(signed_in_client, workspace):
    resp = signed_in_client.post("/w/acme/modules/beta/on", follow_redirects=True, headers=EN)
    assert "Switch on alpha first." in resp.get_data(as_text=True)
    assert _activation("beta") is None


def test_dependants_block_switching_off(signed_in_client, workspace, user):
    enable_plugin(workspace, "alpha", actor=user)
    enable_plugin(workspace, "beta", actor=user)
    resp = signed_in_client.post("/w/acme/modules/alpha/off", follow_redirects=True, headers=EN)
    assert "Switch off beta first." in resp.get_data(as_text=True)
    assert _activation().enabled is True


def test_unapproved_workspace_cannot_switch_modules_on(signed_in_client, workspace):
    db.session.get(Workspace, workspace.id).status = "pending"
    db.session.commit()
    resp = signed_in_client.post("/w/acme/modules/alpha/on", follow_redirects=True, headers=EN)
    assert "must be approved" in resp.get_data(as_text=True)
    assert _activation() is None


def test_unknown_module_answers_404(signed_in_client, workspace):
    assert signed_in_client.get("/w/acme/modules/nope").status_code == 404
    assert signed_in_client.post("/w/acme/modules/nope/on").status_code == 404


def test_settings_form_is_prefilled_with_defaults(signed_in_client, workspace):
    page = signed_in_client.get("/w/acme/modules/alpha", headers=EN).get_data(as_text=True)
    assert 'name="greeting"' in page and 'value="Salam"' in page
    assert 'name="limit"' in page and 'value="3"' in page
    assert "Save and switch on" in page


def test_saving_settings_of_an_enabled_module(signed_in_client, workspace, user):
    enable_plugin(workspace, "alpha", actor=user)
    resp = signed_in_client.post(
        "/w/acme/modules/alpha", data={"greeting": "Ahlan", "limit": "7", "loud": "y"}
    )
    assert resp.status_code == 303
    settings = signed_in_client.get("/w/acme/alpha/").json["settings"]
    assert settings == {"greeting": "Ahlan", "limit": 7, "loud": True}
    page = signed_in_client.get("/w/acme/modules/alpha", headers=EN).get_data(as_text=True)
    assert 'value="Ahlan"' in page and 'value="7"' in page
    assert db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "plugin.settings_changed")
    )


def test_unchecking_a_boolean_setting_saves_false(signed_in_client, workspace, user):
    enable_plugin(workspace, "alpha", {"loud": True}, actor=user)
    signed_in_client.post("/w/acme/modules/alpha", data={"greeting": "Salam", "limit": "3"})
    assert signed_in_client.get("/w/acme/alpha/").json["settings"]["loud"] is False


@pytest.mark.parametrize("limit", ["0", "11", "many"])
def test_invalid_settings_rerender_with_inline_errors(signed_in_client, workspace, user, limit):
    enable_plugin(workspace, "alpha", actor=user)
    resp = signed_in_client.post(
        "/w/acme/modules/alpha", data={"greeting": "Ahlan", "limit": limit}, headers=EN
    )
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert 'id="limit-errors"' in page and 'aria-invalid="true"' in page
    assert f'value="{limit}"' in page
    assert signed_in_client.get("/w/acme/alpha/").json["settings"]["limit"] == 3


def test_saving_settings_of_a_module_that_is_off_switches_it_on(signed_in_client, workspace):
    resp = signed_in_client.post("/w/acme/modules/alpha", data={"greeting": "Hi", "limit": "2"})
    assert resp.status_code == 303
    assert signed_in_client.get("/w/acme/alpha/").json["settings"]["limit"] == 2


def test_module_without_settings_says_so(signed_in_client, workspace):
    page = signed_in_client.get("/w/acme/modules/beta", headers=EN).get_data(as_text=True)
    assert "This module has no settings." in page


def test_switch_from_the_module_page_returns_there(signed_in_client, workspace):
    resp = signed_in_client.post("/w/acme/modules/alpha/on", data={"return_to": "module"})
    assert resp.headers["Location"].endswith("/w/acme/modules/alpha")


def test_settings_form_requires_a_csrf_token(signed_in_client, workspace, user):
    enable_plugin(workspace, "alpha", actor=user)
    resp = signed_in_client.post("/w/acme/modules/alpha", data={"limit": "5"}, csrf=False)
    assert resp.status_code == 400
    page = signed_in_client.get("/w/acme/modules/alpha").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    assert signed_in_client.get("/w/acme/alpha/").json["settings"]["limit"] == 3


@pytest.fixture
def restricted_alpha(app, monkeypatch):
    import dataclasses

    plugin = app.extensions["ent"].get("alpha")
    monkeypatch.setattr(plugin, "meta", dataclasses.replace(plugin.meta, restricted=True))
    return plugin


def test_restricted_module_is_for_platform_administrators(
    signed_in_client, workspace, make_user, restricted_alpha
):
    from ent_core.testing import sign_in

    page = signed_in_client.get("/w/acme/modules", headers=EN).get_data(as_text=True)
    assert "Platform administrators only" in page
    assert 'action="/w/acme/modules/alpha/on"' not in page
    resp = signed_in_client.post("/w/acme/modules/alpha/on", follow_redirects=True, headers=EN)
    assert "Only platform administrators may switch this module on." in resp.get_data(as_text=True)
    assert _activation() is None

    admin = sign_in(
        signed_in_client.application.test_client(), make_user("root@example.ma", admin=True)
    )
    assert admin.post("/w/acme/modules/alpha/on").status_code == 303
    assert _activation().enabled is True
