"""``ent workspace`` and ``ent plugin`` through the CLI runner."""

from __future__ import annotations

import json

import pytest

from ent_core.db import db
from ent_core.testing import all_workspaces, in_workspace
from ent_core.workspaces.models import Membership, PluginActivation, Workspace
from ent_core.workspaces.service import enable_plugin


@pytest.fixture
def cli(app_ctx, monkeypatch):
    """Run ``ent`` commands; messages in English (the CLI speaks the platform's default)."""
    monkeypatch.setitem(app_ctx.config, "BABEL_DEFAULT_LOCALE", "en")
    runner = app_ctx.test_cli_runner()

    def invoke(*args):
        db.session.commit()
        result = runner.invoke(args=list(args))
        db.session.expire_all()
        return result

    return invoke


def test_workspace_create(cli, user):
    result = cli(
        "workspace", "create", "souss-green", "--name", "Souss Green",
        "--kind", "association", "--owner", "OWNER@example.ma",
        "--sector", "green", "--sector", "civil_society",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "souss-green" in result.output
    ws = db.session.scalar(db.select(Workspace).where(Workspace.slug == "souss-green"))
    assert [s.code for s in ws.sectors] == ["green", "civil_society"]
    with in_workspace(ws):
        owner = db.session.scalar(db.select(Membership).where(Membership.workspace_id == ws.id))
    assert (owner.user_id, owner.role) == (user.id, "owner")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("acme", "--kind", "media", "--owner", "owner@example.ma"), "already taken"),
        (("new", "--kind", "media", "--owner", "owner@example.ma"), "lower-case"),
        (("fresh", "--kind", "media", "--owner", "nobody@example.ma"), "No account"),
        (("fresh", "--kind", "media", "--owner", "owner@example.ma", "--sector", "x"), "x"),
        (("fresh", "--kind", "bakery", "--owner", "owner@example.ma"), "bakery"),
    ],
)
def test_workspace_create_errors_exit_non_zero(cli, workspace, args, message):
    result = cli("workspace", "create", args[0], "--name", "N", *args[1:])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(db.select(db.func.count(Workspace.id))) == 1


def test_workspace_list_json(cli, workspace, user):
    enable_plugin(workspace, "alpha", actor=user)
    result = cli("workspace", "list", "--json")
    assert result.exit_code == 0
    [row] = json.loads(result.output)
    assert row["slug"] == "acme" and row["kind"] == "media" and row["status"] == "approved"
    assert row["sectors"] == ["it"] and row["plugins"] == ["alpha"] and row["members"] == 1


def test_workspace_list_text(cli, workspace):
    result = cli("workspace", "list")
    assert result.exit_code == 0 and "acme" in result.output and "media" in result.output


def test_plugin_list_json(cli):
    result = cli("plugin", "list", "--json")
    assert result.exit_code == 0
    rows = {r["name"]: r for r in json.loads(result.output)}
    assert rows["alpha"]["version"] == "1.0.0"
    assert rows["alpha"]["label"] == "Alpha"
    assert rows["alpha"]["compatibility"] == ">=0.1"
    assert rows["beta"]["requires"] == ["alpha"]
    assert {"category", "restricted", "description"} <= rows["alpha"].keys()


def test_plugin_list_text(cli):
    result = cli("plugin", "list")
    assert result.exit_code == 0
    assert (
        "alpha" in result.output and "1.0.0" in result.output and "requires alpha" in result.output
    )


def test_plugin_enable_with_settings_and_disable(cli, workspace):
    result = cli(
        "plugin", "enable", "acme", "alpha", "--setting", "limit=5", "--setting", "greeting=Hi"
    )
    assert result.exit_code == 0, result.output
    with in_workspace(workspace):
        activation = db.session.scalar(db.select(PluginActivation))
    assert activation.enabled and activation.settings["limit"] == 5
    assert activation.settings["greeting"] == "Hi"
    result = cli("plugin", "disable", "acme", "alpha")
    assert result.exit_code == 0
    with in_workspace(workspace):
        assert db.session.scalar(db.select(PluginActivation.enabled)) is False


def test_plugin_enable_and_disable_say_when_nothing_changed(cli, workspace):
    assert "alpha is on for acme" in cli("plugin", "enable", "acme", "alpha").output
    again = cli("plugin", "enable", "acme", "alpha")
    assert (
        again.exit_code == 0 and "already on" in again.output and "nothing changed" in again.output
    )
    settings = cli("plugin", "enable", "acme", "alpha", "--setting", "limit=7")
    assert "already on" in settings.output and "settings are saved" in settings.output
    assert "is off for acme" in cli("plugin", "disable", "acme", "alpha").output
    assert "already off" in cli("plugin", "disable", "acme", "alpha").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("enable", "nowhere", "alpha"), "No workspace"),
        (("enable", "acme", "nope"), "No such module"),
        (("enable", "acme", "beta"), "Switch on alpha first"),
        (("enable", "acme", "alpha", "--setting", "limit=50"), "limit"),
        (("enable", "acme", "alpha", "--setting", "colour=red"), "colour"),
        (("enable", "acme", "alpha", "--setting", "oops"), "key=value"),
        (("disable", "acme", "nope"), "No such module"),
    ],
)
def test_plugin_errors_exit_non_zero(cli, workspace, args, message):
    result = cli("plugin", *args)
    assert result.exit_code != 0
    assert message in result.output
    with all_workspaces():
        assert db.session.scalar(db.select(db.func.count(PluginActivation.id))) == 0


def test_errors_go_to_stderr(cli, workspace):
    result = cli("plugin", "enable", "acme", "nope")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Error: No such module." in result.stderr


def test_workspace_suspend_and_reinstate(cli, make_workspace, mail_outbox, user):
    make_workspace("acme")
    make_workspace("waiting", status="pending")
    assert cli("workspace", "suspend", "acme", "--reason", " ").exit_code != 0
    assert cli("workspace", "suspend", "nowhere", "--reason", "x").exit_code != 0
    refused = cli("workspace", "suspend", "waiting", "--reason", "Spam.")
    assert refused.exit_code != 0 and "pending" in refused.output

    done = cli("workspace", "suspend", "acme", "--reason", "Spam.")
    assert done.exit_code == 0, done.output
    assert _workspace_status("acme") == "suspended"
    assert [m["to"] for m in mail_outbox] == [user.email]
    listed = cli("workspace", "list", "--status", "suspended", "--json")
    assert '"acme"' in listed.output
    assert cli("workspace", "suspend", "acme", "--reason", "Again.").exit_code != 0

    assert cli("workspace", "reinstate", "acme", "--reason", "Fixed.").exit_code == 0
    assert _workspace_status("acme") == "approved"
    assert cli("workspace", "reinstate", "acme", "--reason", "Fixed.").exit_code != 0


def _workspace_status(slug):
    return db.session.scalar(db.select(Workspace.status).where(Workspace.slug == slug))
