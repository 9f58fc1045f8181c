"""``sdk.Counter``: counts added per workspace, flushed to the plugin's table in one
transaction, never lost and never added twice (a flush that fails halfway, two flushes at
once, increments during a flush, Redis down). Each test runs in process and against Redis."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import Counter as Tally
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from ent_core import sdk
from ent_core.counters import Counter, counters_of, flush_counters
from ent_core.counters.models import CounterBatch
from ent_core.jobs.schedules import collect_schedules
from ent_core.testing import enable
from tests.fixture_plugins.alpha import tally
from tests.fixture_plugins.alpha.models import AlphaItem

views = tally.views
shown = tally.shown


@pytest.fixture(params=["memory", "redis"])
def backend(request: pytest.FixtureRequest, app_ctx: Flask, monkeypatch) -> Iterator[str]:
    if request.param == "redis":
        monkeypatch.setitem(app_ctx.config, "REDIS_URL", request.getfixturevalue("redis_url"))
        monkeypatch.setitem(app_ctx.config, "ENT_QUEUE", f"ent-test-{secrets.token_hex(4)}")
    views._local.clear()
    shown._local.clear()
    tally.FAILURES.clear()
    tally.BEFORE_FLUSH.clear()
    yield request.param
    views._local.clear()
    shown._local.clear()
    tally.FAILURES.clear()
    tally.BEFORE_FLUSH.clear()


@pytest.fixture
def acme(make_workspace: Any) -> Any:
    workspace = make_workspace("acme")
    enable(workspace, "alpha")
    return workspace


@pytest.fixture
def globex(make_workspace: Any) -> Any:
    return make_workspace("globex")


def counted() -> dict[tuple[int, str], int]:
    """What alpha's flush wrote: the sum per (workspace, key)."""
    sdk.db.session.rollback()
    with sdk.all_workspaces():
        rows = sdk.db.session.execute(
            sdk.db.select(AlphaItem.workspace_id, AlphaItem.title, AlphaItem.note)
        ).all()
    sums: Tally[tuple[int, str]] = Tally()
    for workspace_id, title, note in rows:
        sums[(workspace_id, title.removeprefix("views:"))] += int(note)
    return dict(sums)


def test_counts_land_in_the_plugins_table_per_workspace_once(backend, acme, globex) -> None:
    with sdk.in_workspace(acme):
        views.add("article:1")
        views.add("article:1", by=2)
        views.add(7)
    views.add_many({"article:1": 5, "article:2": 1}, workspace=globex)
    assert views.flush() == 4
    assert counted() == {
        (acme.id, "article:1"): 3,
        (acme.id, "7"): 1,
        (globex.id, "article:1"): 5,
        (globex.id, "article:2"): 1,
    }
    assert views.flush() == 0
    assert sum(counted().values()) == 10


def test_a_count_needs_a_workspace_or_says_it_has_none(backend, acme) -> None:
    with pytest.raises(sdk.WorkspaceRequired):
        views.add("k")


def test_a_flush_that_fails_halfway_adds_nothing_and_the_next_adds_all_once(
    backend, acme, globex
) -> None:
    with sdk.in_workspace(acme):
        views.add("a", by=2)
    with sdk.in_workspace(globex):
        views.add("fail-here", by=3)  # globex is flushed second: acme's rows are written first
    tally.FAILURES.append(RuntimeError("database went away"))
    with pytest.raises(RuntimeError, match="went away"):
        views.flush()
    assert counted() == {}  # one transaction: acme's rows went with the failure
    with sdk.in_workspace(acme):
        views.add("a")  # counting goes on meanwhile
    views.flush()
    assert counted() == {(acme.id, "a"): 3, (globex.id, "fail-here"): 3}
    views.flush()
    assert sum(counted().values()) == 6


@pytest.mark.parametrize("backend", ["redis"], indirect=True)  # in process it is one step
def test_a_batch_committed_but_not_forgotten_by_redis_is_not_added_again(
    backend, acme, monkeypatch
) -> None:
    with sdk.in_workspace(acme):
        views.add("a", by=4)
    real = Counter._forget_batch
    monkeypatch.setattr(Counter, "_forget_batch", _raises)
    with pytest.raises(ConnectionError):
        views.flush()  # the counts are committed, the batch is still in Redis
    assert counted() == {(acme.id, "a"): 4}
    monkeypatch.setattr(Counter, "_forget_batch", real)
    assert views.flush() == 0
    assert counted() == {(acme.id, "a"): 4}
    assert sdk.db.session.query(CounterBatch).count() == 1


def _raises(*args: Any) -> None:
    raise ConnectionError("Redis went away after the commit")


def test_two_flushes_at_once_add_every_count_once(backend, app_ctx, acme) -> None:
    with sdk.in_workspace(acme):
        for n in range(50):
            views.add(f"k{n % 5}")
    tally.BEFORE_FLUSH.append(lambda: time.sleep(0.3))  # both flushes inside at once
    errors = _in_threads(app_ctx, [views.flush, views.flush])
    assert not errors, errors
    views.flush()
    assert counted() == {(acme.id, f"k{n}"): 10 for n in range(5)}


def test_increments_during_flushes_are_neither_lost_nor_doubled(backend, app_ctx, acme) -> None:
    def count() -> None:
        with sdk.in_workspace(acme.id):
            for _ in range(400):
                views.add("hot")

    def flush_often() -> None:
        for _ in range(5):
            views.flush()
            time.sleep(0.01)

    errors = _in_threads(app_ctx, [count, count, flush_often])
    assert not errors, errors
    views.flush()
    assert counted() == {(acme.id, "hot"): 800}


def _in_threads(app: Flask, jobs: list[Any]) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(job: Any) -> None:
        try:
            with app.app_context():
                job()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def test_redis_down_keeps_counts_in_the_process_until_it_is_back(
    app_ctx, acme, monkeypatch, caplog
) -> None:
    url = app_ctx.config.get("REDIS_URL")
    monkeypatch.setitem(app_ctx.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing there
    views._local.clear()
    with caplog.at_level(logging.WARNING, logger="ent_core.counters"), sdk.in_workspace(acme):
        views.add("a", by=2)
        views.add("a")
    assert "Redis unavailable" in caplog.text
    monkeypatch.setitem(app_ctx.config, "REDIS_URL", url)  # back (no Redis: in process)
    views.flush()
    assert counted() == {(acme.id, "a"): 3}


def test_the_core_schedule_flushes_every_plugins_counter(backend, app_ctx, acme) -> None:
    assert "counters.flush" in {s.name for s in collect_schedules(app_ctx)}
    assert views in counters_of(app_ctx)
    with sdk.in_workspace(acme):
        views.add("a")
    flush_counters()
    assert counted() == {(acme.id, "a"): 1}


def test_a_plugins_own_script_can_count_in_the_round_trip_it_makes(backend, app_ctx, acme) -> None:
    target = views.redis_target("shown", workspace=acme)
    if backend == "memory":
        assert target is None  # nothing to script: add() it is
        return
    from ent_core.jobs import redis_connection

    assert target is not None
    live, field = target
    script = "redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2]); return 1"
    redis_connection(app_ctx).eval(script, 1, live, field, 4)
    with sdk.in_workspace(acme):
        views.add("shown")
    views.flush()
    assert counted() == {(acme.id, "shown"): 5}
    assert views.redis_target("shown", workspace=None) == (live, "-:shown")
    with pytest.raises(sdk.WorkspaceRequired):
        views.redis_target("shown")


def test_a_counter_sent_now_and_then_neither_loses_nor_doubles(backend, app_ctx, acme) -> None:
    """``send_every``: threads add while flushes run; sums go to Redis with an add once the
    interval passed, by the process's sender thread, or ahead of a flush."""
    workspace_id = acme.id  # read here: the ORM object belongs to this thread's session

    def add(number: int) -> None:
        with app_ctx.app_context():
            for n in range(400):
                shown.add("burst", workspace=workspace_id)
                if n % 100 == 0:
                    time.sleep(0.06)  # past the interval: this add sends

    threads = [threading.Thread(target=add, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    while not all(not t.is_alive() for t in threads):
        shown.flush()
    for thread in threads:
        thread.join(60)
    shown.flush()
    assert counted() == {(acme.id, "burst"): 1600}


@pytest.mark.redis
def test_sums_not_sent_yet_go_with_the_sender_thread_and_at_exit(
    app_ctx, acme, redis_url, monkeypatch, tmp_path
) -> None:
    import json
    import os
    import subprocess
    import sys

    from ent_core.jobs import redis_connection

    queue = f"ent-test-{secrets.token_hex(4)}"
    monkeypatch.setitem(app_ctx.config, "REDIS_URL", redis_url)
    monkeypatch.setitem(app_ctx.config, "ENT_QUEUE", queue)
    client = redis_connection(app_ctx)
    live, field = shown.redis_target("quiet", workspace=acme)  # type: ignore[misc]
    for _ in range(3):  # the first sends at once, the others wait for the sender thread
        shown.add("quiet", workspace=acme)
    deadline = time.monotonic() + 5
    while int(client.hget(live, field) or 0) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert int(client.hget(live, field) or 0) == 3
    # A process that adds and stops at once (gunicorn's SIGTERM, max_requests): sent at exit.
    config = {**app_ctx.config, "REDIS_URL": redis_url, "ENT_QUEUE": queue}
    script = tmp_path / "adds_and_exits.py"
    script.write_text(
        "import json, sys\n"
        "from ent_core import create_app\n"
        "from tests.fixture_plugins import alpha\n"
        "from tests.fixture_plugins.alpha import tally\n"
        "config = json.loads(sys.argv[1])\n"
        "app = create_app(config, plugin_modules=[alpha])\n"
        "with app.app_context():\n"
        "    for _ in range(5):\n"
        "        tally.shown.add('quiet', workspace=int(sys.argv[2]))\n"
    )
    keys = ("ENT_ENV", "ENT_INSTANCE_PATH", "SQLALCHEMY_DATABASE_URI", "REDIS_URL", "ENT_QUEUE")
    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [sys.executable, str(script), json.dumps({k: config[k] for k in keys}), str(acme.id)],
        check=True,
        timeout=120,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert int(client.hget(live, field) or 0) == 8
    shown.flush()
    assert counted() == {(acme.id, "quiet"): 8}
