"""Jobs without Redis: inline runs, retries, delayed calls, schedules, ``ent worker`` errors."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask, current_app

from ent_core.jobs import (
    Schedule,
    dotted,
    enqueue,
    pending_jobs,
    resolve,
    run_due_jobs,
    start_inline_scheduler,
)

CALLS: list[tuple[Any, ...]] = []
FAILURES_LEFT: dict[str, int] = {}
RAN = threading.Event()


def record(*args: Any, **kwargs: Any) -> None:
    """A job that proves it ran in an application context."""
    CALLS.append((args, kwargs, current_app.config["ENT_ENV"]))
    RAN.set()


def flaky(key: str) -> None:
    """Fails while ``FAILURES_LEFT[key]`` is positive."""
    CALLS.append(("flaky", key))
    if FAILURES_LEFT.get(key, 0) > 0:
        FAILURES_LEFT[key] -= 1
        raise RuntimeError("temporary failure")


@pytest.fixture(autouse=True)
def _reset() -> None:
    CALLS.clear()
    FAILURES_LEFT.clear()
    RAN.clear()


def test_enqueue_runs_now_with_arguments_in_app_context(app_ctx: Flask) -> None:
    assert enqueue(record, 1, "two", three=3) is None
    assert CALLS == [((1, "two"), {"three": 3}, "testing")]


def test_enqueue_accepts_a_dotted_path(app_ctx: Flask) -> None:
    enqueue("tests.test_jobs:record", "by-path")
    assert CALLS[0][0] == ("by-path",)


def test_failed_attempts_are_retried(app_ctx: Flask) -> None:
    FAILURES_LEFT["k"] = 2
    enqueue(flaky, "k", retries=2)
    assert CALLS == [("flaky", "k")] * 3


def test_failure_propagates_in_testing_after_the_last_retry(app_ctx: Flask) -> None:
    FAILURES_LEFT["k"] = 10
    with pytest.raises(RuntimeError, match="temporary failure"):
        enqueue(flaky, "k", retries=1)
    assert len(CALLS) == 2


def test_without_retries_one_attempt(app_ctx: Flask) -> None:
    FAILURES_LEFT["k"] = 1
    with pytest.raises(RuntimeError):
        enqueue(flaky, "k", retries=0)
    assert len(CALLS) == 1


def test_failure_is_logged_not_raised_outside_testing(
    app_ctx: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(app_ctx.config, "ENT_JOBS_INLINE_RAISE", False)
    FAILURES_LEFT["k"] = 10
    enqueue(flaky, "k", retries=1)
    assert len(CALLS) == 2
    assert "tests.test_jobs:flaky failed (attempt 2 of 2)" in caplog.text


def test_delayed_job_waits_until_due(app_ctx: Flask) -> None:
    enqueue(record, "later", delay=timedelta(minutes=5))
    assert CALLS == []
    assert [c.path for c in pending_jobs(app_ctx)] == ["tests.test_jobs:record"]
    assert run_due_jobs(app_ctx) == 0
    assert CALLS == []
    assert run_due_jobs(app_ctx, now=datetime.now(UTC) + timedelta(minutes=6)) == 1
    assert CALLS == [(("later",), {}, "testing")]
    assert pending_jobs(app_ctx) == []


def test_job_at_a_time_runs_in_order_of_due_time(app_ctx: Flask) -> None:
    now = datetime.now(UTC)
    enqueue(record, "second", at=now + timedelta(hours=2))
    enqueue(record, "first", at=now + timedelta(hours=1))
    run_due_jobs(app_ctx, now=now + timedelta(hours=3))
    assert [c[0] for c in CALLS] == [("first",), ("second",)]


def test_naive_at_is_read_as_utc(app_ctx: Flask) -> None:
    due = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=1)
    enqueue(record, at=due)
    assert pending_jobs(app_ctx)[0].due == due.replace(tzinfo=UTC)


def test_job_at_a_past_time_runs_now(app_ctx: Flask) -> None:
    enqueue(record, "overdue", at=datetime.now(UTC) - timedelta(seconds=1))
    assert CALLS == [(("overdue",), {}, "testing")]


def test_pending_job_id_is_not_queued_twice(app_ctx: Flask) -> None:
    for _ in range(3):
        assert enqueue(record, delay=timedelta(hours=1), job_id="reminder:42") == "reminder:42"
    assert len(pending_jobs(app_ctx)) == 1


def test_delayed_job_runs_from_the_inline_scheduler_thread(app_ctx: Flask) -> None:
    enqueue(record, "threaded", delay=timedelta(milliseconds=300))
    scheduler = start_inline_scheduler(app_ctx, schedules=[])
    assert scheduler is not None
    try:
        assert not RAN.is_set()
        assert RAN.wait(5)
    finally:
        scheduler.stop()
    assert CALLS == [(("threaded",), {}, "testing")]


def test_inline_scheduler_runs_schedules_once_per_slot(app_ctx: Flask) -> None:
    schedule = Schedule("tests.record", record, timedelta(days=30))  # no slot change mid-test
    scheduler = start_inline_scheduler(app_ctx, schedules=[schedule])
    assert scheduler is not None
    try:
        assert RAN.wait(5)
        time.sleep(1.5)  # at least one more tick in the same slot
    finally:
        scheduler.stop()
    assert CALLS == [((), {}, "testing")]
    now = datetime.now(UTC)
    scheduler.tick(now + timedelta(days=30))
    assert len(CALLS) == 2


def test_inline_scheduler_is_not_needed_with_redis(
    app_ctx: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app_ctx.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    assert start_inline_scheduler(app_ctx) is None


def test_schedule_slots_are_the_same_everywhere() -> None:
    schedule = Schedule("s", record, timedelta(minutes=10))
    base = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert schedule.slot(base) == schedule.slot(base + timedelta(minutes=9, seconds=59))
    assert schedule.slot(base + timedelta(minutes=10)) == schedule.slot(base) + 1


def test_dotted_round_trips_module_functions() -> None:
    assert dotted(record) == "tests.test_jobs:record"
    assert resolve(dotted(record)) is record


@pytest.mark.parametrize("func", [lambda: None, "no_colon_here"])
def test_only_importable_functions_can_be_jobs(app_ctx: Flask, func: Any) -> None:
    with pytest.raises(ValueError):
        enqueue(func)


def test_nested_functions_cannot_be_jobs(app_ctx: Flask) -> None:
    def inner() -> None:
        pass

    with pytest.raises(ValueError, match="module level"):
        enqueue(inner)


def test_at_and_delay_together_are_refused(app_ctx: Flask) -> None:
    with pytest.raises(ValueError):
        enqueue(record, at=datetime.now(UTC), delay=timedelta(seconds=1))


def test_debounce_runs_at_once_without_redis(app_ctx: Flask) -> None:
    enqueue(record, "soon", job_id="debounced", debounce=timedelta(seconds=30))
    assert CALLS == [(("soon",), {}, "testing")]


@pytest.mark.parametrize(
    "options",
    [
        {"debounce": timedelta(seconds=1)},  # nothing to join without an id
        {"job_id": "x", "debounce": timedelta(seconds=-1)},
        {"job_id": "x", "debounce": timedelta(seconds=1), "delay": timedelta(seconds=1)},
    ],
)
def test_bad_debounce_is_refused(app_ctx: Flask, options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        enqueue(record, **options)
    assert CALLS == []


def test_worker_refuses_to_start_without_redis(app_ctx: Flask) -> None:
    result = app_ctx.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output


def test_bad_retry_intervals_are_reported(app_ctx: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from ent_core.config import ConfigurationError
    from ent_core.jobs.settings import retry_intervals

    monkeypatch.setitem(app_ctx.config, "ENT_JOB_RETRY_INTERVALS", "10,soon")
    with pytest.raises(ConfigurationError, match="ENT_JOB_RETRY_INTERVALS"):
        retry_intervals(app_ctx)
    monkeypatch.setitem(app_ctx.config, "ENT_JOB_RETRY_INTERVALS", " 2, 4 ,8")
    assert retry_intervals(app_ctx) == [2, 4, 8]


@pytest.mark.parametrize(
    ("retries", "expected"),
    [(1, [10]), (3, [10, 60, 300]), (5, [10, 60, 300, 300, 300])],
)
def test_retry_waits_grow_and_the_last_repeats(retries: int, expected: list[int]) -> None:
    from ent_core.jobs.rq_backend import retry_waits

    assert retry_waits(retries, [10, 60, 300]) == expected


def test_schedules_come_from_the_ent_schedules_hook(app_ctx: Flask) -> None:
    from ent_core.jobs.schedules import collect_schedules

    schedules = {s.name: s for s in collect_schedules(app_ctx)}
    assert dotted(schedules["alpha-tick"].func) == "tests.fixture_plugins.alpha:tick"
