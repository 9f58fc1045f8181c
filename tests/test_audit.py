"""The audit trail: recorded actions, the workspace log page, the platform log, the CLI."""

from __future__ import annotations

import json

from ent_core.audit import record
from ent_core.db import db
from ent_core.testing import sign_in
from ent_core.workspaces.models import Membership
from ent_core.workspaces.service import enable_plugin


def test_plugin_switch_appears_in_the_workspace_log(signed_in_client, workspace, user):
    enable_plugin(workspace, "alpha", actor=user)
    page = signed_in_client.get("/w/acme/audit/").get_data(as_text=True)
    assert "plugin.enabled" in page
    assert "plugin:alpha" in page
    assert "owner@example.ma" in page


def test_the_log_shows_only_this_workspace(signed_in_client, workspace, user, make_workspace):
    make_workspace("second", owner=user, plugins=("alpha",))
    page = signed_in_client.get("/w/acme/audit/").get_data(as_text=True)
    assert "plugin:alpha" not in page  # switched on in "second", not here


def test_members_without_the_permission_get_403(client, workspace, make_user):
    editor = make_user("editor@example.ma")
    db.session.add(Membership(workspace_id=workspace.id, user_id=editor.id, role="editor"))
    db.session.commit()
    sign_in(client, editor)
    assert client.get("/w/acme/audit/").status_code == 403


def test_filter_and_pagination(signed_in_client, workspace, user):
    for n in range(60):
        record("demo.thing", subject=f"thing-{n}", workspace=workspace, actor=user)
    db.session.commit()
    first = signed_in_client.get("/w/acme/audit/?action=demo").get_data(as_text=True)
    assert "thing-59" in first and "thing-10" in first and "thing-9<" not in first
    assert "workspace.created" not in first
    older = signed_in_client.get("/w/acme/audit/?action=demo&before=1000000")
    assert older.status_code == 200


def test_platform_log_is_for_admins_only(client, workspace, user, make_user):
    sign_in(client, user)
    assert client.get("/admin/audit/").status_code == 403
    admin = make_user("admin@example.ma", admin=True)
    sign_in(client, admin)
    page = client.get("/admin/audit/?ws=acme").get_data(as_text=True)
    assert "workspace.created" in page


def test_cli_lists_events_as_json(app, workspace, user):
    enable_plugin(workspace, "alpha", actor=user)
    result = app.test_cli_runner().invoke(
        args=["audit", "list", "--workspace", "acme", "--action", "plugin", "--json"]
    )
    assert result.exit_code == 0, result.output
    events = json.loads(result.output)
    assert [e["action"] for e in events] == ["plugin.enabled"]
    assert events[0]["actor"] == "owner@example.ma"


def test_administration_page_links_every_admin_tool(client, user, make_user):
    sign_in(client, user)
    assert client.get("/admin/").status_code == 403
    assert "/admin/" not in client.get("/workspaces").get_data(as_text=True)
    sign_in(client, make_user("admin@example.ma", admin=True))
    page = client.get("/admin/").get_data(as_text=True)
    for link in (
        "/admin/charter/",
        "/admin/billing/plans",
        "/admin/billing/programmes",
        "/admin/billing/invoices",
        "/admin/audit/",
    ):
        assert f'href="{link}"' in page, link
        assert client.get(link).status_code == 200, link
