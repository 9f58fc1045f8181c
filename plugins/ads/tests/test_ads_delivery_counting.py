"""Counting: what was served is what PostgreSQL holds, exactly, whatever dies on the way
(docs/ads.md, "Counting"): the flush worker killed with SIGKILL inside its transaction or just
after its commit, Redis restarted between flushes (with its append-only file)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ent_plugins.ads import counting
from ent_plugins.ads.tests.delivery_kit import HEADERS, campaign, placement
from ent_plugins.ads.tests.flush_until_killed import flush_and_stop
from ent_plugins.ads.tests.test_ads_delivery_serve import totals
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ent_core import sdk
from ent_core.testing import skip_or_fail, wait_until

REDIS_SERVER = "/usr/bin/redis-server"


@pytest.fixture
def ads_live(publisher: Any, advertiser: Any) -> Any:
    placement(publisher)
    return campaign(advertiser, pricing="cpc", rate="2.50")


def serve_reads(client: Any, impressions: int, clicks: int, views: int) -> None:
    """``impressions`` decisions; the first ``clicks`` clicked, the first ``views`` seen."""
    for n in range(impressions):
        ad = client.get("/ads/d?p=pl-matin-aside&s=300x250", headers=HEADERS).get_json()
        if n < clicks:
            assert client.get(ad["click"], headers=HEADERS).status_code == 302
        if n < views:
            assert client.post("/ads/v", data=ad["token"], headers=HEADERS).status_code == 204


def expected(impressions: int, clicks: int, views: int) -> dict[str, int]:
    spend = clicks * 2_500_000
    return {
        "impressions": impressions, "viewable": views, "clicks": clicks, "spend": spend,
        "p_requests": impressions, "p_impressions": impressions, "p_viewable": views,
        "p_clicks": clicks, "p_spend": spend,
    }  # fmt: skip


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    events=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=12),
    flush_every=st.integers(min_value=1, max_value=5),
)
def test_whatever_the_flushes_in_between_the_totals_are_what_was_served(
    client: Any, ads_live: Any, events: list[tuple[bool, bool]], flush_every: int
) -> None:
    before = totals()
    for n, (click, view) in enumerate(events):
        serve_reads(client, 1, int(click), int(view))
        if n % flush_every == 0:
            counting.delivery.flush()
    after = totals()
    clicks = sum(c for c, _ in events)
    views = sum(v for _, v in events)
    assert {k: after[k] - before[k] for k in after} == expected(len(events), clicks, views)


def test_the_spent_amount_is_the_exact_sum_rounded_once(
    client: Any, publisher: Any, advertiser: Any
) -> None:
    """CPM 45.50: an impression costs 0.0455 MAD; 3 of them 0.1365, shown 0.14 (rounded once,
    not 0.05 three times)."""
    placement(publisher)
    row, _ = campaign(advertiser, rate="45.50")
    for _ in range(3):
        client.get("/ads/d?p=pl-matin-aside&s=300x250", headers=HEADERS)
        counting.delivery.flush()
    assert totals()["spend"] == 136_500
    with sdk.all_workspaces():
        sdk.db.session.refresh(row)
        assert str(row.spent) == "0.14"


# -- PostgreSQL + Redis: a worker killed, Redis restarted --------------------------------------
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.parametrize("point", ["in_transaction", "after_commit"])
def test_a_flush_worker_killed_mid_flush_loses_and_doubles_nothing(
    client: Any, ads_live: Any, redis_jobs: Any, point: str
) -> None:
    """``ent worker`` runs the flush as a job and is killed (SIGKILL, its whole process group)
    inside the batch's transaction, or just after its commit; the next flush adds exactly
    what was not yet added."""
    if sdk.db.engine.dialect.name != "postgresql":
        skip_or_fail("needs PostgreSQL: set ENT_TEST_DATABASE_URL")
    serve_reads(client, 40, 7, 25)
    sdk.enqueue(flush_and_stop, point)
    sdk.db.session.commit()
    worker = redis_jobs.start_worker()
    wait_until(lambda: f"STOPPED {point}" in worker.output, timeout=120)
    os.killpg(worker.process.pid, signal.SIGKILL)  # while the transaction is open, or after
    worker.process.wait(30)
    sdk.db.session.rollback()
    if point == "in_transaction":  # rolled back with the process: nothing written
        assert set(totals(flush=False).values()) == {0}
    else:  # committed, but Redis still holds the batch: the next flush must not add it again
        assert totals(flush=False) == expected(40, 7, 25)
    serve_reads(client, 3, 1, 1)  # reads go on meanwhile
    assert totals() == expected(43, 8, 26)  # the second flush: every event, once
    assert totals() == expected(43, 8, 26)  # and a third adds nothing


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThrowawayRedis:
    """A redis-server of this test, persisting every write (AOF, fsync always)."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.folder), "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        pytest.fail("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)  # no shutdown save: only the AOF
            self.process.wait(10)


@pytest.fixture
def throwaway_redis(
    app_ctx: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ThrowawayRedis]:
    if not os.access(REDIS_SERVER, os.X_OK) and not shutil.which("redis-server"):
        skip_or_fail("redis-server is not installed")
    if sdk.db.engine.dialect.name != "postgresql":
        skip_or_fail("needs PostgreSQL: set ENT_TEST_DATABASE_URL")
    redis = ThrowawayRedis(tmp_path)
    redis.start()
    monkeypatch.setitem(app_ctx.config, "REDIS_URL", redis.url)
    app_ctx.extensions.pop("ent.cache", None)
    try:
        yield redis
    finally:
        redis.kill()
        app_ctx.extensions.pop("ent.cache", None)
        app_ctx.extensions.pop("ent.cache.redis", None)


@pytest.mark.postgres
@pytest.mark.redis
def test_redis_restarted_between_flushes_keeps_every_count(
    client: Any, ads_live: Any, throwaway_redis: ThrowawayRedis
) -> None:
    serve_reads(client, 20, 4, 10)
    assert totals() == expected(20, 4, 10)
    serve_reads(client, 30, 6, 12)  # counted in Redis, not flushed yet
    throwaway_redis.kill()
    throwaway_redis.start()  # the append-only file gives the counts back
    assert totals() == expected(50, 10, 22)
    serve_reads(client, 5, 1, 1)
    assert totals() == expected(55, 11, 23)
