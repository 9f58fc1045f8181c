"""The plugin framework through HTTP and the SDK: activation, gating, hook filtering, order."""

from __future__ import annotations

from ent_core.workspaces.service import disable_plugin, enable_plugin


def test_disabled_plugin_routes_answer_404(signed_in_client, workspace):
    assert signed_in_client.get("/w/acme/alpha/").status_code == 404
    assert signed_in_client.get("/s/acme/alpha/").status_code == 404


def test_enabled_plugin_routes_answer(signed_in_client, workspace, user):
    enable_plugin(workspace, "alpha", actor=user)
    resp = signed_in_client.get("/w/acme/alpha/")
    assert resp.status_code == 200
    assert resp.json == {
        "workspace": "acme",
        "settings": {"greeting": "Salam", "limit": 3, "loud": False},
    }
    assert signed_in_client.get("/s/acme/alpha/").data == b"alpha public"


def test_switching_off_at_runtime_hides_routes_and_keeps_settings(
    signed_in_client, workspace, user
):
    enable_plugin(workspace, "alpha", {"greeting": "Bonjour"}, actor=user)
    assert signed_in_client.get("/w/acme/alpha/").status_code == 200
    disable_plugin(workspace, "alpha", actor=user)
    assert signed_in_client.get("/w/acme/alpha/").status_code == 404
    enable_plugin(workspace, "alpha", actor=user)
    assert signed_in_client.get("/w/acme/alpha/").json["settings"]["greeting"] == "Bonjour"


def test_other_workspace_members_get_404(client, workspace, make_user, make_workspace):
    from ent_core.testing import sign_in

    stranger = make_user("stranger@example.ma")
    make_workspace("other", owner=stranger)
    enable_plugin(workspace, "alpha", actor=None)
    sign_in(client, stranger)
    assert client.get("/w/acme/alpha/").status_code == 404
    assert client.get("/w/acme/").status_code == 404


def test_proxy_fix_trusts_the_configured_number_of_proxies(tmp_path):
    from ent_core import create_app

    proxied = create_app(
        {
            "ENT_ENV": "testing",
            "ENT_INSTANCE_PATH": str(tmp_path),
            "ENT_PROXY_FIX": 1,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}",
        }
    )
    seen = {}

    @proxied.get("/_remote")
    def remote():
        from flask import request

        seen["addr"], seen["scheme"] = request.remote_addr, request.scheme
        return ""

    proxied.test_client().get(
        "/_remote", headers={"X-Forwarded-For": "196.200.1.7", "X-Forwarded-Proto": "https"}
    )
    assert seen == {"addr": "196.200.1.7", "scheme": "https"}
