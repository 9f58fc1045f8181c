"""One test per hook (``test_hook_<name>``), through HTTP, the CLI or the SDK.

tests/test_contract.py fails when a hook of ent_core.hookspecs has no test here or elsewhere.
"""

from __future__ import annotations

import contextvars

from flask import g
from sqlalchemy import create_engine, inspect

from ent_core.demo import load_demo
from ent_core.permissions import has_permission
from ent_core.testing import sign_in
from ent_core.ui import render_slot
from ent_core.workspaces.service import disable_plugin, enable_plugin
from tests.fixture_plugins import alpha


def test_hook_ent_blueprints(app):
    rules = {r.rule: r.endpoint for r in app.url_map.iter_rules()}
    assert rules["/w/<workspace>/alpha/"] == "alpha.index"
    assert rules["/s/<workspace>/alpha/"] == "alpha_public.public_index"
    assert rules["/api/v1/workspaces/<workspace>/alpha/ping"] == "alpha_api.ping"


def test_hook_ent_roles_and_ent_permissions(app, workspace, make_user):
    from ent_core.db import db
    from ent_core.identity.models import User
    from ent_core.workspaces.models import Membership, MembershipRole, Workspace

    reviewer = make_user("reviewer@example.ma")
    membership = Membership(workspace_id=workspace.id, user_id=reviewer.id, role="member")
    db.session.add(membership)
    db.session.commit()

    def holds(permission: str) -> bool:
        # A fresh context per check, like a request: permissions are cached per request.
        def check() -> bool:
            with app.test_request_context("/"):
                g.ent_workspace = db.session.get(Workspace, workspace.id)
                g._login_user = db.session.get(User, reviewer.id)
                return has_permission(permission)

        return contextvars.Context().run(check)

    assert not holds("alpha.review")
    membership.extra_roles.append(MembershipRole(role="reviewer"))
    db.session.commit()
    assert holds("alpha.review")
    assert not holds("workspace.manage_plugins")


test_hook_ent_roles = test_hook_ent_roles_and_ent_permissions
test_hook_ent_permissions = test_hook_ent_roles_and_ent_permissions


def test_hook_ent_cli_commands(app):
    result = app.test_cli_runner().invoke(args=["alpha-hello"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "hello from alpha"


def test_hook_ent_schedules(app):
    from ent_core.jobs import dotted

    schedules = {s.name: s for batch in app.extensions["ent"].hook.ent_schedules() for s in batch}
    assert dotted(schedules["alpha-tick"].func) == "tests.fixture_plugins.alpha:tick"


def _scratch_app(tmp_path):
    from ent_core import create_app

    return create_app(
        {
            "ENT_ENV": "testing",
            "ENT_INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'scratch.sqlite3'}",
        },
        plugin_modules=[alpha],
    )


def test_hook_ent_installed(tmp_path):
    from ent_core.migrate import upgrade_all

    scratch = _scratch_app(tmp_path)
    alpha.CALLS.clear()
    with scratch.app_context():
        upgrade_all(scratch)
        assert ("installed",) in alpha.CALLS
        alpha.CALLS.clear()
        upgrade_all(scratch)
        assert alpha.CALLS == []


def test_hook_ent_upgraded(tmp_path):
    from alembic import command

    from ent_core.migrate import alembic_config, targets, upgrade_all

    scratch = _scratch_app(tmp_path)
    with scratch.app_context():
        by_name = {t.plugin: t for t in targets(scratch)}
        command.upgrade(alembic_config(scratch, by_name[None]), "head")
        command.upgrade(alembic_config(scratch, by_name["alpha"]), "a1")
        alpha.CALLS.clear()
        upgrade_all(scratch)
        assert alpha.CALLS == [("upgraded", "a1", "a2")]
        engine = create_engine(scratch.config["SQLALCHEMY_DATABASE_URI"])
        assert "note" in {c["name"] for c in inspect(engine).get_columns("alpha_item")}


def test_hook_ent_workspace_enabled(workspace, user):
    alpha.CALLS.clear()
    enable_plugin(workspace, "alpha", actor=user)
    enable_plugin(workspace, "alpha", {"greeting": "Marhaba"}, actor=user)  # settings only
    assert alpha.CALLS == [("enabled", "acme")]


def test_hook_ent_workspace_disabled(workspace, user):
    enable_plugin(workspace, "alpha", actor=user)
    alpha.CALLS.clear()
    disable_plugin(workspace, "alpha", actor=user)
    disable_plugin(workspace, "alpha", actor=user)  # already off: nothing fires
    assert alpha.CALLS == [("disabled", "acme")]


def test_hook_ent_nav_items(signed_in_client, workspace, user):
    link = b'href="/w/acme/alpha/"'
    assert link not in signed_in_client.get("/w/acme/").data
    enable_plugin(workspace, "alpha", actor=user)
    assert link in signed_in_client.get("/w/acme/").data


def test_hook_ent_dashboard_widgets(signed_in_client, workspace, user):
    assert b"alpha-widget-body" not in signed_in_client.get("/w/acme/").data
    enable_plugin(workspace, "alpha", actor=user)
    assert b"alpha-widget-body" in signed_in_client.get("/w/acme/").data


def test_hook_ent_template_slot(app, workspace, user):
    with app.test_request_context("/"):
        g.ent_workspace = workspace
        assert render_slot("test.slot") == ""
        enable_plugin(workspace, "alpha", actor=user)
        assert render_slot("test.slot") == "<b>alpha</b>"
        enable_plugin(workspace, "beta", actor=user)
        # Name order, and plain strings from a plugin are escaped.
        assert render_slot("test.slot") == "<b>alpha</b>&lt;i&gt;beta&lt;/i&gt;"
        assert render_slot("other.slot") == ""


def test_switched_off_plugin_hooks_stay_silent_for_that_workspace_only(
    client, workspace, make_workspace, make_user
):
    other_owner = make_user("other@example.ma")
    make_workspace("other", owner=other_owner, plugins=("alpha",))
    sign_in(client, other_owner)
    assert b"alpha-widget-body" in client.get("/w/other/").data
    assert client.get("/w/other/alpha/").status_code == 200


def test_hook_ent_demo_data(app_ctx):
    alpha.DEMO_CALLS.clear()
    lines = list(load_demo())
    assert (
        "  alpha: demo content for atlas-digital, cime, factcheck-lab, lematin-tech, souss-green, "
        "studio-atlas" in lines
    )
    workspaces, users = alpha.DEMO_CALLS[-1]
    assert workspaces == [
        "atlas-digital",
        "cime",
        "factcheck-lab",
        "lematin-tech",
        "souss-green",
        "studio-atlas",
    ]
    assert "admin@demo.ent.ma" in users


def test_hook_ent_wsgi_middleware(client):
    """A plugin's middleware answers its path before Flask (no session, no security headers
    of the platform's views); every other path goes on to Flask unchanged."""
    answer = client.get("/beta-ping")
    assert answer.status_code == 200
    assert answer.data == b"pong from ent_core"
    assert "Set-Cookie" not in answer.headers
    assert "Content-Security-Policy" not in answer.headers
    assert client.get("/healthz").status_code == 200
    assert "Content-Security-Policy" in client.get("/healthz").headers


def test_hook_ent_trust_signals(app, make_workspace, make_user):
    """The core answers first: vetted, and the charter signed by every owner (the current
    version); a pending workspace proves nothing, an owner who has not signed hides the mark."""
    from ent_core import sdk

    with app.test_request_context("/"):
        signed = make_workspace("signed", owner=make_user("owner@signed.ma"))
        codes = [s.code for s in sdk.trust_signals(signed)]
        assert codes[:2] == ["vetted", "charter"]
        charter = sdk.trust_signals(signed)[1]
        assert charter.since is not None and charter.detail

        unsigned = make_workspace(
            "unsigned", owner=make_user("owner@unsigned.ma", sign_charter=False)
        )
        assert "charter" not in [s.code for s in sdk.trust_signals(unsigned)]
        pending = make_workspace("pending", owner=make_user("p@p.ma"), status="pending")
        assert sdk.trust_signals(pending) == []
