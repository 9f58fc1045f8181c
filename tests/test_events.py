"""Domain events: each core event heard through the real action, who hears it, and when.

The ``event_listener`` fixture (ent_core.testing) installs the ``listener`` test plugin, which
hears every declared event in the transaction and after commit and writes each hearing down.
"""

from __future__ import annotations

import logging
from types import ModuleType

import pytest

from ent_core import sdk
from ent_core.billing import subscriptions as billing
from ent_core.db import db
from ent_core.events.catalogue import EventCatalogue
from ent_core.plugins import PluginError, PluginMeta, PluginRegistry, hookimpl
from ent_core.testing import add_member, all_workspaces, enable, sign_in
from ent_core.workspaces.models import Membership

BOTH = ["in_transaction", "after_commit"]


@pytest.fixture
def admin_client(app_ctx, make_user):
    return sign_in(app_ctx.test_client(), make_user("root@example.ma", admin=True))


@pytest.fixture
def listening(workspace, event_listener):
    """``acme`` with the listener switched on."""
    enable(workspace, "listener")
    return event_listener


def _heard(listener, name):
    return [(h.when, h.payload) for h in listener.heard(name)]


def _still_member(membership_id):
    db.session.rollback()
    with all_workspaces():
        found = db.session.scalar(db.select(Membership.id).where(Membership.id == membership_id))
    return found is not None


def _remove(client, membership_id):
    return client.post(f"/w/acme/members/{membership_id}/remove")


# -- one test per event: the real action, heard with the documented payload -------------------
def test_event_workspace_approved(admin_client, make_workspace, event_listener):
    pending = make_workspace("atelier", kind="auto_entrepreneur", status="pending")
    assert admin_client.post("/admin/workspaces/atelier/approve").status_code == 303
    # No plugin can be on before approval: every installed plugin hears this one.
    expected = {"slug": "atelier", "kind": "auto_entrepreneur"}
    assert _heard(event_listener, "workspace.approved") == [(w, expected) for w in BOTH]
    assert {h.workspace_id for h in event_listener.heard()} == {pending.id}


def test_event_workspace_suspended(app_ctx, listening, workspace):
    runner = app_ctx.test_cli_runner()
    result = runner.invoke(args=["workspace", "suspend", "acme", "--reason", "Plagiarism"])
    assert result.exit_code == 0, result.output
    expected = {"slug": "acme", "reason": "Plagiarism", "report_id": None}
    # After commit too, although the workspace's own jobs are skipped while it is suspended.
    assert _heard(listening, "workspace.suspended") == [(w, expected) for w in BOTH]


def test_event_workspace_reinstated(app_ctx, listening, workspace):
    runner = app_ctx.test_cli_runner()
    runner.invoke(args=["workspace", "suspend", "acme", "--reason", "Plagiarism"])
    result = runner.invoke(args=["workspace", "reinstate", "acme", "--reason", "Corrected"])
    assert result.exit_code == 0, result.output
    expected = {"slug": "acme", "reason": "Corrected", "report_id": None}
    assert _heard(listening, "workspace.reinstated") == [(w, expected) for w in BOTH]


@pytest.mark.frozen_clock
def test_event_invoice_paid(admin_client, event_listener, make_workspace, user):
    payer = make_workspace("payer", kind="training_centre")  # no subsidy pays its share
    enable(payer, "listener")
    _subscription, invoice = billing.subscribe(payer, "basic", actor=user)
    paid = admin_client.post(
        f"/admin/billing/invoices/{invoice.number}/paid", data={"reference": "VIR-9"}
    )
    assert paid.status_code == 302
    expected = {
        "invoice_id": invoice.id,
        "number": invoice.number,
        "amount": str(invoice.subscriber_share),
        "currency": "MAD",
        "provider": "bank_transfer",
        "reference": "VIR-9",
    }
    assert expected["amount"] != "0.00"
    assert _heard(event_listener, "invoice.paid") == [(w, expected) for w in BOTH]


def test_event_member_joined(signed_in_client, listening, make_user, mail_outbox):
    import re

    signed_in_client.post(
        "/w/acme/members/invite", data={"email": "nadia@example.ma", "role": "editor"}
    )
    token = re.search(r"/invitations/([\w-]+)", mail_outbox[-1]["text"]).group(1)
    nadia = make_user("nadia@example.ma")
    other = sign_in(signed_in_client.application.test_client(), nadia)
    assert other.post(f"/invitations/{token}").status_code == 303
    [(_, payload), _] = _heard(listening, "member.joined")
    assert payload == {
        "user_id": nadia.id,
        "role": "editor",
        "invitation_id": payload["invitation_id"],
    }
    assert [h.when for h in listening.heard("member.joined")] == BOTH


def test_event_member_left(signed_in_client, listening, workspace, make_user, user):
    karim = make_user("karim@example.ma")
    membership = add_member(workspace, karim, "editor")
    assert _remove(signed_in_client, membership.id).status_code == 303
    expected = {"user_id": karim.id, "role": "editor", "removed_by": user.id}
    assert _heard(listening, "member.left") == [(w, expected) for w in BOTH]


def test_event_workspace_plugin_switched(app_ctx, listening, make_api_client, user):
    api = make_api_client(user)
    assert api.put("/api/v1/workspaces/acme/plugins/alpha").status_code == 200
    assert api.delete("/api/v1/workspaces/acme/plugins/alpha").status_code == 204
    heard = [h for h in _heard(listening, "workspace.plugin_switched") if h[1]["plugin"] == "alpha"]
    on, off = {"plugin": "alpha", "enabled": True}, {"plugin": "alpha", "enabled": False}
    assert heard == [(w, on) for w in BOTH] + [(w, off) for w in BOTH]


# -- who hears ---------------------------------------------------------------------------------
def test_a_plugin_switched_off_in_the_workspace_does_not_hear(
    signed_in_client, event_listener, workspace, make_user
):
    membership = add_member(workspace, make_user("karim@example.ma"), "editor")
    assert _remove(signed_in_client, membership.id).status_code == 303
    assert event_listener.heard() == []


def test_another_workspace_plugins_do_not_hear(
    signed_in_client, event_listener, workspace, make_workspace, make_user
):
    enable(make_workspace("other"), "listener")
    membership = add_member(workspace, make_user("karim@example.ma"), "editor")
    assert _remove(signed_in_client, membership.id).status_code == 303
    assert event_listener.heard() == []


def test_switching_the_listener_off_stops_it_hearing(
    signed_in_client, listening, workspace, make_user
):
    from ent_core.workspaces.service import disable_plugin

    with all_workspaces():
        disable_plugin(workspace, "listener", actor=None)
    membership = add_member(workspace, make_user("karim@example.ma"), "editor")
    assert _remove(signed_in_client, membership.id).status_code == 303
    assert listening.heard() == []


def test_event_heard_says_whether_a_plugin_switched_on_there_subscribes(
    app_ctx, event_listener, workspace, make_workspace
):
    """``sdk.event_heard``: an action that only emits (\"Promote\") shows where it leads."""
    other = make_workspace("other")
    assert sdk.event_heard("member.left", workspace=workspace) is False
    enable(workspace, "listener")
    assert sdk.event_heard("member.left", workspace=workspace) is True
    assert sdk.event_heard("member.left", workspace=other) is False
    with sdk.in_workspace(workspace):
        assert sdk.event_heard("member.left") is True
    with pytest.raises(sdk.EventError, match="is not declared"):
        sdk.event_heard("member.lef", workspace=workspace)


# -- when: in the transaction, after commit ---------------------------------------------------
def _emit_left(workspace, user_id=1):
    sdk.emit("member.left", workspace=workspace, user_id=user_id, role="member", removed_by=None)


def test_a_rollback_delivers_nothing_after_commit(app_ctx, listening, workspace):
    with sdk.in_workspace(workspace):
        _emit_left(workspace)
    db.session.rollback()
    db.session.commit()  # a later commit does not deliver what was rolled back
    assert listening.heard() == []


def test_a_savepoint_rolled_back_takes_its_events_along(app_ctx, listening, workspace):
    with sdk.in_workspace(workspace):
        _emit_left(workspace, user_id=1)
        savepoint = db.session.begin_nested()
        _emit_left(workspace, user_id=2)
        savepoint.rollback()
        kept = db.session.begin_nested()
        _emit_left(workspace, user_id=3)
        kept.commit()
    db.session.commit()
    heard = listening.heard(when="after_commit")
    assert [h.payload["user_id"] for h in heard] == [1, 3]


def test_a_released_savepoint_waits_for_the_outer_commit(app_ctx, listening, workspace):
    with sdk.in_workspace(workspace):
        savepoint = db.session.begin_nested()
        _emit_left(workspace)
        savepoint.commit()
    db.session.rollback()  # the outer transaction fails after all
    db.session.commit()
    # (pysqlite's RELEASE commits what it holds: only the after-commit side is checked here)
    assert listening.heard(when="after_commit") == []


def test_after_commit_subscribers_wait_for_the_commit(app_ctx, listening, workspace):
    with sdk.in_workspace(workspace):
        _emit_left(workspace)
        db.session.flush()
    with app_ctx.app_context():  # a session of its own sees what is committed: nothing yet
        assert listening.heard() == []
    db.session.commit()
    assert [h.when for h in listening.heard()] == BOTH


def test_an_in_transaction_subscriber_failure_rolls_back_the_emitter(
    signed_in_client, listening, workspace, make_user, monkeypatch, caplog
):
    membership = add_member(workspace, make_user("karim@example.ma"), "editor")
    membership_id = membership.id
    monkeypatch.setenv("ENT_TEST_LISTENER_FAIL", "in_transaction")
    with caplog.at_level(logging.ERROR):
        assert _remove(signed_in_client, membership_id).status_code == 500
    [error] = [r.exc_info[1] for r in caplog.records if r.exc_info]
    assert "in subscriber listener of event member.left" in error.__notes__
    monkeypatch.delenv("ENT_TEST_LISTENER_FAIL")
    db.session.rollback()
    assert _still_member(membership_id)
    assert listening.heard() == []


def test_an_after_commit_subscriber_failure_is_retried_inline(
    signed_in_client, listening, workspace, make_user, monkeypatch
):
    membership = add_member(workspace, make_user("karim@example.ma"), "editor")
    monkeypatch.setenv("ENT_TEST_LISTENER_FAIL", "after_commit_once")
    assert _remove(signed_in_client, membership.id).status_code == 303
    assert [h.when for h in listening.heard("member.left")] == BOTH


def test_an_after_commit_subscriber_that_keeps_failing_is_logged_not_the_emitters_problem(
    signed_in_client, listening, workspace, make_user, monkeypatch, caplog
):
    membership = add_member(workspace, make_user("karim@example.ma"), "editor")
    membership_id = membership.id
    monkeypatch.setenv("ENT_TEST_LISTENER_FAIL", "after_commit")
    monkeypatch.setitem(signed_in_client.application.config, "ENT_JOBS_INLINE_RAISE", False)
    with caplog.at_level(logging.ERROR):
        assert _remove(signed_in_client, membership.id).status_code == 303
    assert not _still_member(membership_id)  # the removal stands
    failures = [r for r in caplog.records if "subscriber ent_core.events.listener" in r.message]
    assert len(failures) == 4  # the first attempt and three retries, each logged
    assert [h.when for h in listening.heard("member.left")] == ["in_transaction"]


@pytest.mark.redis
def test_an_after_commit_subscriber_failure_is_retried_by_the_worker(
    redis_jobs, listening, workspace, make_user
):
    from ent_core.workspaces.service import remove_member

    membership = add_member(workspace, make_user("karim@example.ma"), "editor")
    with all_workspaces():
        remove_member(db.session.get(Membership, membership.id), actor=None)
    assert [h.when for h in listening.heard()] == ["in_transaction"]  # the job waits in Redis
    worker = redis_jobs.start_worker(ENT_TEST_LISTENER_FAIL="after_commit_once")
    from ent_core.jobs.testing import wait_until

    wait_until(lambda: len(listening.heard()) == 2, message="the retry did not deliver")
    worker.stop()
    assert "listener fails on purpose" in worker.output
    assert [h.when for h in listening.heard()] == BOTH


# -- declarations: mistakes are programming errors ---------------------------------------------
def test_an_undeclared_event_is_refused(app_ctx, workspace):
    with pytest.raises(sdk.EventError, match=r"'member\.lef' is not declared; did you mean"):
        sdk.emit("member.lef", workspace=workspace)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"user_id": 1, "role": "member"}, r"missing \['removed_by'\]"),
        ({"user_id": 1, "role": "member", "removed_by": None, "x": 1}, r"undeclared \['x'\]"),
        ({"user_id": "1", "role": "member", "removed_by": None}, "user_id='1' is not a int"),
        ({"user_id": True, "role": "member", "removed_by": None}, "user_id=True is not a int"),
        ({"user_id": 1, "role": None, "removed_by": None}, "role=None is not a str"),
    ],
)
def test_a_payload_not_matching_its_declaration_is_refused(app_ctx, workspace, payload, message):
    with pytest.raises(sdk.EventError, match=message):
        sdk.emit("member.left", workspace=workspace, **payload)


def test_an_orm_object_in_a_payload_is_refused(app_ctx, workspace, user):
    with pytest.raises(sdk.EventError, match="is not a int"):
        sdk.emit("member.left", workspace=workspace, user_id=user, role="x", removed_by=None)


def test_emit_needs_a_workspace(app_ctx):
    with pytest.raises(sdk.EventError, match="needs a workspace"):
        _emit_left(None)


def _registry(*modules: ModuleType) -> PluginRegistry:
    registry = PluginRegistry()
    registry.load([(m, None) for m in modules])
    return registry


def _plugin(name: str, **hooks) -> ModuleType:
    module = ModuleType(f"tests.test_events.{name}")
    module.meta = PluginMeta(name=name, version="1.0", label=name)
    for hook, value in hooks.items():
        setattr(module, hook, hookimpl(lambda value=value: value))
    return module


def _nothing(event):
    return None


EVENT = sdk.EventType("thing.happened", "Something happened.", {"n": sdk.EventField(int, "n")})


@pytest.mark.parametrize(
    ("hooks", "message"),
    [
        ({"ent_event_types": [sdk.EventType("Thing", "bad name")]}, "must look like"),
        (
            {"ent_event_types": [sdk.EventType("a.b", "x", {"n": sdk.EventField(dict, "n")})]},
            "payloads carry JSON scalars",
        ),
        (
            {
                "ent_event_types": [
                    sdk.EventType("a.b", "x", {"workspace": sdk.EventField(int, "")})
                ]
            },
            "'workspace' is not allowed",
        ),
        ({"ent_event_types": [sdk.EventType("member.left", "mine")]}, "declared by the core"),
        (
            {"ent_event_subscriptions": [sdk.Subscription("member.lef", _nothing, "after_commit")]},
            "did you mean 'member.left'",
        ),
        (
            {"ent_event_subscriptions": [sdk.Subscription("member.left", _nothing, "later")]},
            "must say when it runs",
        ),
        (
            {
                "ent_event_subscriptions": [
                    sdk.Subscription("member.left", lambda e: None, sdk.AFTER_COMMIT)
                ]
            },
            "jobs must be functions defined at module level",
        ),
    ],
)
def test_start_up_refuses_a_wrong_declaration_or_subscription(hooks, message):
    with pytest.raises(PluginError, match=message):
        EventCatalogue(_registry(_plugin("zed", **hooks)))


def test_a_subscription_to_an_absent_emitters_event_is_left_out():
    subscription = sdk.Subscription("absent.thing", _nothing, sdk.AFTER_COMMIT, emitter="absent")
    catalogue = EventCatalogue(_registry(_plugin("zed", ent_event_subscriptions=[subscription])))
    assert catalogue.subscribers("absent.thing", frozenset({"zed"})) == ()


def test_an_installed_emitter_must_declare_the_event_subscribed_to():
    subscription = sdk.Subscription("emitter.thing", _nothing, sdk.AFTER_COMMIT, emitter="emitter")
    with pytest.raises(PluginError, match=r"unknown event 'emitter\.thing'"):
        EventCatalogue(
            _registry(
                _plugin("zed", ent_event_subscriptions=[subscription]),
                _plugin("emitter", ent_event_types=[EVENT]),
            )
        )


def test_subscribers_come_core_first_then_by_plugin_name():
    def subscribe(when):
        return {"ent_event_subscriptions": [sdk.Subscription("thing.happened", _nothing, when)]}

    catalogue = EventCatalogue(
        _registry(
            _plugin("zed", **subscribe(sdk.IN_TRANSACTION)),
            _plugin("emitter", ent_event_types=[EVENT], **subscribe(sdk.AFTER_COMMIT)),
            _plugin("abel", **subscribe(sdk.IN_TRANSACTION)),
        )
    )
    found = catalogue.subscribers("thing.happened", frozenset({"zed", "abel", "emitter"}))
    assert [(s.plugin, s.after_commit) for s in found] == [
        ("abel", False),
        ("emitter", True),
        ("zed", False),
    ]
    assert [s.plugin for s in catalogue.subscribers("thing.happened", frozenset({"zed"}))] == [
        "zed"
    ]
    assert catalogue.declared["thing.happened"].emitter == "emitter"


def test_hook_ent_event_types(app_ctx):
    declared = app_ctx.extensions["ent.events"].declared
    core = {n for n, d in declared.items() if d.emitter is None}
    assert core == {
        "workspace.approved",
        "workspace.suspended",
        "workspace.reinstated",
        "workspace.plugin_switched",
        "invoice.paid",
        "member.joined",
        "member.left",
    }


def test_hook_ent_event_subscriptions(app_ctx, event_listener):
    subscribers = app_ctx.extensions["ent.events"].subscribers_of["listener"]
    assert {(s.subscription.event, s.subscription.when) for s in subscribers} >= {
        ("member.left", "in_transaction"),
        ("member.left", "after_commit"),
    }


# -- ent plugin doctor -------------------------------------------------------------------------
def test_doctor_reports_the_events_each_plugin_emits_and_hears(tmp_path):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    package = tmp_path / "ears_plugin"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from ent_core import sdk\n"
        "meta = sdk.PluginMeta(name='ears', version='1.0', label='Ears')\n"
        "def on_published(event):\n"
        "    pass\n"
        "@sdk.hookimpl\n"
        "def ent_event_types():\n"
        "    return [sdk.EventType('ears.heard', 'Something was heard.')]\n"
        "@sdk.hookimpl\n"
        "def ent_event_subscriptions():\n"
        "    return [sdk.Subscription('article.published', on_published, sdk.AFTER_COMMIT),\n"
        "            sdk.Subscription('member.left', on_published, sdk.IN_TRANSACTION)]\n"
    )
    dist = tmp_path / "ears_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: ears-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[ent.plugins]\nears = ears_plugin\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path), ENT_INSTANCE_PATH=str(tmp_path / "i"))
    env.pop("DATABASE_URL", None)
    ent = str(Path(sys.executable).parent / "ent")

    def doctor(*options):
        return subprocess.run(
            [ent, "plugin", "doctor", *options],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )

    report = {p["name"]: p for p in json.loads(doctor("--json").stdout)["plugins"]}
    assert report["ears"]["events"] == {
        "emits": ["ears.heard"],
        "subscribes": [
            {"event": "article.published", "when": "after_commit"},
            {"event": "member.left", "when": "in_transaction"},
        ],
    }
    assert report["publishing"]["events"]["emits"] == [
        "article.promotion_requested",
        "article.published",
    ]
    text = doctor().stdout
    assert "  events emitted: ears.heard\n" in text
    assert "  events heard: article.published (after commit), member.left (in transaction)" in text
