"""``sdk.cache``: per plugin and per workspace, dropped by a switch off and on, JSON values,
a Redis outage read as a miss. Each test runs in process and against Redis."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from ent_core import sdk
from ent_core.testing import enable, sign_in
from ent_core.workspaces.service import disable_plugin
from tests.fixture_plugins import beta
from tests.fixture_plugins.alpha import tally


@pytest.fixture(params=["memory", "redis"])
def backend(request: pytest.FixtureRequest, app_ctx: Flask, monkeypatch) -> Iterator[str]:
    """The cache in process, then in Redis (a queue of its own: keys of no other test)."""
    if request.param == "redis":
        monkeypatch.setitem(app_ctx.config, "REDIS_URL", request.getfixturevalue("redis_url"))
        monkeypatch.setitem(app_ctx.config, "ENT_QUEUE", f"ent-test-{secrets.token_hex(4)}")
    app_ctx.extensions.pop("ent.cache", None)
    yield request.param
    app_ctx.extensions.pop("ent.cache", None)


@pytest.fixture
def two_workspaces(make_workspace: Any) -> tuple[Any, Any]:
    acme, globex = make_workspace("acme"), make_workspace("globex")
    for workspace in (acme, globex):
        enable(workspace, "alpha")
        enable(workspace, "beta")
    return acme, globex


def test_set_get_delete_and_get_or_set(backend, two_workspaces) -> None:
    acme, _ = two_workspaces
    with sdk.in_workspace(acme):
        assert tally.recall("greeting", "none") == "none"
        tally.remember("greeting", {"text": "salam", "times": (1, 2)})
        assert tally.recall("greeting") == {"text": "salam", "times": [1, 2]}  # through JSON
        tally.forget("greeting")
        assert tally.recall("greeting") is None
        computed: list[int] = []
        assert tally.recall_or("answer", lambda: computed.append(1) or {"n": 42}) == {"n": 42}
        assert tally.recall_or("answer", lambda: computed.append(1) or {"n": 0}) == {"n": 42}
        assert computed == [1]


def test_add_keeps_a_value_only_once_until_it_expires(backend, two_workspaces) -> None:
    """``add`` is the once-per-token primitive (an ad's viewability beacon): one ``True``,
    then ``False`` until the entry expires, per workspace like every key."""
    acme, globex = two_workspaces
    with sdk.in_workspace(acme):
        assert tally.remember_once("beacon:1", ttl=1) is True
        assert tally.remember_once("beacon:1", ttl=1) is False
        assert tally.recall("beacon:1") == 1
    with sdk.in_workspace(globex):
        assert tally.remember_once("beacon:1") is True
    assert tally.remember_once("beacon:1", workspace=None) is True
    time.sleep(1.1)
    with sdk.in_workspace(acme):
        assert tally.remember_once("beacon:1") is True


def test_values_must_be_json_on_every_backend(backend, two_workspaces) -> None:
    with sdk.in_workspace(two_workspaces[0]), pytest.raises(TypeError):
        tally.remember("when", object())


def test_an_entry_expires_after_its_ttl(backend, two_workspaces) -> None:
    with sdk.in_workspace(two_workspaces[0]):
        tally.remember("short", "lived", ttl=1)
        assert tally.recall("short") == "lived"
        time.sleep(1.1)
        assert tally.recall("short") is None
        with pytest.raises(ValueError, match="ttl"):
            tally.remember("never", "kept", ttl=0)


def test_keys_belong_to_one_workspace_and_one_plugin(backend, two_workspaces) -> None:
    acme, globex = two_workspaces
    with sdk.in_workspace(acme):
        tally.remember("shared-name", "acme's")
        beta.remember("shared-name", "beta's")
    with sdk.in_workspace(globex):
        assert tally.recall("shared-name") is None
        tally.remember("shared-name", "globex's")
    with sdk.in_workspace(acme):
        assert tally.recall("shared-name") == "acme's"
        assert beta.recall("shared-name") == "beta's"
        # crossing workspaces is said out loud
        assert tally.recall("shared-name", workspace=globex) == "globex's"
        assert tally.recall("shared-name", workspace=globex.id) == "globex's"


def test_no_workspace_is_an_error_unless_the_platform_is_named(backend, two_workspaces) -> None:
    with pytest.raises(sdk.WorkspaceRequired):
        tally.recall("anything")
    with sdk.all_workspaces(), pytest.raises(sdk.WorkspaceRequired):
        tally.remember("anything", 1)
    tally.remember("platform-wide", "one", workspace=None)
    with sdk.in_workspace(two_workspaces[0]):
        assert tally.recall("platform-wide") is None  # not the workspace's key
        assert tally.recall("platform-wide", workspace=None) == "one"
        assert beta.recall("platform-wide", workspace=None) is None


def test_core_code_has_no_cache_of_its_own(backend, two_workspaces) -> None:
    with sdk.in_workspace(two_workspaces[0]), pytest.raises(RuntimeError, match="plugins"):
        sdk.cache.get("key")


def test_switching_a_plugin_off_and_on_drops_its_keys_in_that_workspace_only(
    backend, two_workspaces, user
) -> None:
    acme, globex = two_workspaces
    for workspace in (acme, globex):
        with sdk.in_workspace(workspace):
            tally.remember("k", workspace.slug)
            beta.remember("k", f"beta {workspace.slug}")
    disable_plugin(acme, "beta", actor=user)
    disable_plugin(acme, "alpha", actor=user)
    with sdk.in_workspace(acme):
        assert tally.recall("k") is None
        tally.remember("k", "written while off")  # kept nowhere: alpha does not run here
        assert tally.recall("k") is None
    enable(acme, "alpha")
    with sdk.in_workspace(acme):
        assert tally.recall("k") is None  # the keys from before the switch are gone
        tally.remember("k", "after")
        assert tally.recall("k") == "after"
    with sdk.in_workspace(globex):
        assert tally.recall("k") == "globex"
        assert beta.recall("k") == "beta globex"
    # switching beta off and on leaves alpha's keys where they are
    enable(acme, "beta")
    disable_plugin(acme, "beta", actor=user)
    enable(acme, "beta")
    with sdk.in_workspace(acme):
        assert tally.recall("k") == "after"


def test_redis_down_reads_as_a_miss_and_pages_still_answer(
    app_ctx, client, user, two_workspaces, monkeypatch, caplog
) -> None:
    monkeypatch.setitem(app_ctx.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing there
    app_ctx.extensions.pop("ent.cache", None)
    try:
        with caplog.at_level(logging.WARNING, logger="ent_core.cache"):
            with sdk.in_workspace(two_workspaces[0]):
                tally.remember("k", "v")
                assert tally.recall("k", "default") == "default"
                assert tally.recall_or("k", lambda: "computed") == "computed"
                tally.forget("k")
            sign_in(client, user)
            response = client.get("/w/acme/alpha/cached")
        assert response.status_code == 200 and response.json == {"answer": 42}
        assert "Redis unavailable" in caplog.text
    finally:
        app_ctx.extensions.pop("ent.cache", None)
