"""A workspace's time zone: its column, the settings page, the API, Flask-Babel's zone."""

from __future__ import annotations

import pytest

from ent_core.audit import AuditEvent
from ent_core.db import db
from ent_core.testing import add_member, all_workspaces, sign_in
from ent_core.workspaces.models import Workspace

EN = {"Accept-Language": "en"}


def _zone(slug="acme"):
    with all_workspaces():
        db.session.expire_all()
        return db.session.scalar(db.select(Workspace.timezone).where(Workspace.slug == slug))


def test_a_new_workspace_is_on_casablanca_time(workspace):
    assert _zone() == "Africa/Casablanca"


def test_the_settings_page_offers_morocco_first_and_every_zone(signed_in_client, workspace):
    page = signed_in_client.get("/w/acme/settings", headers=EN).get_data(as_text=True)

    options = page[page.index('id="timezone" name="timezone"') :]
    assert options.index('value="Africa/Casablanca"') < options.index('value="UTC"')
    assert options.index('value="UTC"') < options.index('value="Africa/Abidjan"')
    assert 'value="Pacific/Tahiti"' in options and 'value="America/Sao_Paulo"' in options
    assert '<option selected value="Africa/Casablanca">' in options
    assert 'href="/w/acme/settings"' in page  # in the workspace's navigation


def test_an_owner_changes_the_zone_and_it_is_audited(signed_in_client, workspace):
    resp = signed_in_client.post("/w/acme/settings", data={"timezone": "Europe/Paris"})

    assert resp.status_code == 303 and resp.headers["Location"].endswith("/w/acme/settings")
    assert _zone() == "Europe/Paris"
    with all_workspaces():
        event = db.session.scalar(
            db.select(AuditEvent).where(AuditEvent.action == "workspace.timezone_changed")
        )
    assert event.details == {"from": "Africa/Casablanca", "to": "Europe/Paris"}


def test_the_page_refuses_an_unknown_zone_under_its_field(signed_in_client, workspace):
    resp = signed_in_client.post("/w/acme/settings", data={"timezone": "Mars/Olympus"}, headers=EN)

    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert 'id="timezone-errors"' in page and 'aria-invalid="true"' in page
    assert _zone() == "Africa/Casablanca"


@pytest.mark.parametrize("role", ["editor", "member"])
def test_only_owners_and_admins_change_the_zone(client, workspace, make_user, role):
    person = make_user(f"{role}@example.ma")
    add_member(workspace, person, role)
    sign_in(client, person)

    assert client.get("/w/acme/settings").status_code == 403
    assert client.post("/w/acme/settings", data={"timezone": "UTC"}).status_code == 403
    assert _zone() == "Africa/Casablanca"


def test_an_admin_changes_the_zone(client, workspace, make_user):
    admin = make_user("admin@example.ma")
    add_member(workspace, admin, "admin")
    sign_in(client, admin)

    assert client.post("/w/acme/settings", data={"timezone": "UTC"}).status_code == 303
    assert _zone() == "UTC"


def test_the_api_workspace_object_has_its_zone(api_client, workspace):
    assert api_client.get("/api/v1/workspaces/acme").get_json()["timezone"] == "Africa/Casablanca"
    listed = api_client.get("/api/v1/workspaces").get_json()["items"]
    assert listed[0]["timezone"] == "Africa/Casablanca"


def test_the_api_changes_the_zone(api_client, workspace):
    resp = api_client.patch("/api/v1/workspaces/acme", json={"timezone": "Asia/Tokyo"})

    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["timezone"] == "Asia/Tokyo"
    assert _zone() == "Asia/Tokyo"
    assert api_client.patch("/api/v1/workspaces/acme", json={}).get_json()["timezone"] == (
        "Asia/Tokyo"
    )


@pytest.mark.parametrize("bad", ["Mars/Olympus", "", "africa/casablanca", "../../etc/passwd"])
def test_the_api_refuses_an_unknown_zone_naming_the_field(api_client, workspace, bad):
    resp = api_client.patch("/api/v1/workspaces/acme", json={"timezone": bad})

    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == "validation_error"
    assert list(error["details"]["fields"]) == ["timezone"]
    assert _zone() == "Africa/Casablanca"


def test_an_editor_cannot_change_the_zone_through_the_api(make_api_client, workspace, make_user):
    editor = make_user("editor@example.ma")
    add_member(workspace, editor, "editor")

    resp = make_api_client(editor).patch("/api/v1/workspaces/acme", json={"timezone": "UTC"})

    assert resp.status_code == 403
    assert _zone() == "Africa/Casablanca"


@pytest.mark.frozen_clock  # 2026-06-15 09:00 UTC: 10:00 in Casablanca (UTC+1), 18:00 in Tokyo
def test_pages_of_a_workspace_show_times_in_its_zone(signed_in_client, workspace):
    page = signed_in_client.get("/w/acme/settings?lang=fr").get_data(as_text=True)
    assert "lundi 15 juin 2026, 10:00" in page

    signed_in_client.post("/w/acme/settings", data={"timezone": "Asia/Tokyo"})

    page = signed_in_client.get("/w/acme/settings?lang=fr").get_data(as_text=True)
    assert "lundi 15 juin 2026, 18:00" in page


def test_flask_babel_answers_the_current_workspace_zone_else_utc(app, workspace):
    from flask import g
    from flask_babel import get_timezone

    with all_workspaces():
        workspace.timezone = "America/Sao_Paulo"
        db.session.commit()
    # A new application context each: ``g`` (and Flask-Babel's zone on it) lasts a request.
    with app.app_context(), app.test_request_context("/s/acme/"):
        g.ent_workspace = workspace  # what the tenancy guard does for /w/ and /s/ pages
        assert str(get_timezone()) == "America/Sao_Paulo"
    with app.app_context(), app.test_request_context("/"):
        assert str(get_timezone()) == "UTC"
