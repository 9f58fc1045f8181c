"""The job outbox: jobs go out with the transaction of their change, and survive Redis outages.

Inline tests run everywhere; the ``redis`` ones run a ``redis-server`` of their own (stopped
and started again: an outage that ends) or the shared test Redis, and real ``ent worker``
processes.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from rq import Queue
from rq.job import Job

from ent_core.audit import AuditEvent, record
from ent_core.db import db
from ent_core.jobs import enqueue, enqueue_in_transaction, outbox
from ent_core.jobs.models import JobOutbox
from ent_core.jobs.testing import RedisJobs, RedisOutage, wait_until
from tests.test_mail import SENDER, Mailbox, start_server

RAN: list[str] = []


def note(token: str) -> None:
    """A job: remembers that it ran (inline, in this process)."""
    RAN.append(token)


def mark(folder: str, token: str, seconds: float = 0.0) -> None:
    """A job for worker processes: ``token.started``, a nap, then ``token.done``."""
    Path(folder, f"{token}.started").write_text(str(os.getpid()))
    time.sleep(seconds)
    Path(folder, f"{token}.done").write_text(str(os.getpid()))


@pytest.fixture(autouse=True)
def _forget_runs() -> None:
    RAN.clear()


def waiting_rows() -> list[JobOutbox]:
    db.session.rollback()
    return list(db.session.scalars(db.select(JobOutbox).order_by(JobOutbox.id)))


def write_something(token: str) -> None:
    record("jobs.outbox_probe", subject=token)


# -- inline (no Redis): after the commit, never before, never after a rollback ------------------
def test_a_job_queued_in_a_transaction_runs_after_the_commit(app_ctx: Flask) -> None:
    write_something("a")
    enqueue(note, "a")
    assert RAN == []  # the change is not committed: the job must not see the old state
    assert len(db.session.new) == 2  # the audit row and the outbox row, one transaction
    db.session.commit()
    assert RAN == ["a"]
    assert waiting_rows() == []


def test_a_rollback_drops_the_job_with_the_work(app_ctx: Flask) -> None:
    write_something("b")
    enqueue(note, "b")
    db.session.rollback()
    db.session.commit()
    assert RAN == []
    assert waiting_rows() == []


def test_a_job_of_a_rolled_back_savepoint_never_runs(app_ctx: Flask) -> None:
    write_something("kept")
    enqueue(note, "kept")
    savepoint = db.session.begin_nested()
    enqueue(note, "dropped")
    savepoint.rollback()
    db.session.commit()
    assert RAN == ["kept"]


def test_outside_a_transaction_the_job_runs_at_once(app_ctx: Flask) -> None:
    db.session.scalar(db.select(AuditEvent.id))  # a read opens a transaction that writes nothing
    enqueue(note, "now")
    assert RAN == ["now"]
    assert waiting_rows() == []


def test_enqueue_in_transaction_waits_for_the_commit_even_before_a_write(app_ctx: Flask) -> None:
    assert enqueue_in_transaction(note, "joined", job_id="j1") == "j1"
    assert RAN == []
    db.session.commit()
    assert RAN == ["joined"]


def test_the_request_s_commit_sends_the_mail_it_queued(
    signed_in_client: Any, workspace: Any, mail_outbox: list[dict[str, Any]]
) -> None:
    resp = signed_in_client.post(
        "/w/acme/members/invite",
        data={"email": "nadia@example.ma", "role": "editor"},
        headers={"Accept-Language": "en"},
    )
    assert resp.status_code in (302, 303)
    assert [m["to"] for m in mail_outbox] == ["nadia@example.ma"]
    assert waiting_rows() == []


# -- Redis down, then back ----------------------------------------------------------------------
@pytest.fixture
def mailbox(app_ctx: Flask) -> Any:
    box = Mailbox("smtp://127.0.0.1:PORT")
    controller = start_server(box)
    yield box
    controller.stop()


def mail_env(box: Mailbox) -> dict[str, str]:
    return {"SMTP_URL": box.url, "MAIL_FROM": SENDER}


def delivered_to(box: Mailbox) -> list[str]:
    return sorted(address for envelope in box.envelopes for address in envelope.rcpt_tos)


@pytest.mark.redis
def test_with_redis_down_an_invitation_succeeds_and_is_mailed_once_redis_is_back(
    redis_outage: RedisOutage, signed_in_client: Any, workspace: Any, mailbox: Mailbox
) -> None:
    redis_outage.stop_redis()
    resp = signed_in_client.post(
        "/w/acme/members/invite",
        data={"email": "nadia@example.ma", "role": "editor"},
        headers={"Accept-Language": "en"},
    )
    assert resp.status_code in (302, 303)  # the success the user earned, not a 500
    page = signed_in_client.get("/w/acme/members", headers={"Accept-Language": "en"})
    assert "nadia@example.ma" in page.get_data(as_text=True)  # the invitation is there
    (row,) = waiting_rows()
    assert row.path == "ent_core.mail:deliver" and row.attempts == 1
    assert "ConnectionError" in (row.last_error or "")

    redis_outage.start_redis()
    redis_outage.run_burst(**mail_env(mailbox))  # relays the outbox when it starts
    assert delivered_to(mailbox) == ["nadia@example.ma"]
    assert waiting_rows() == []


@pytest.mark.redis
def test_with_redis_down_a_password_reset_succeeds_and_is_mailed_once_redis_is_back(
    redis_outage: RedisOutage, client: Any, user: Any, mailbox: Mailbox
) -> None:
    redis_outage.stop_redis()
    resp = client.post("/auth/reset", data={"email": user.email}, follow_redirects=True)
    assert resp.status_code == 200
    assert [row.path for row in waiting_rows()] == ["ent_core.identity.service:mail_password_reset"]
    redis_outage.start_redis()
    # The reset job queues the mail from inside the worker: a job enqueued by a job.
    redis_outage.run_burst(**mail_env(mailbox))
    assert delivered_to(mailbox) == [user.email]
    assert "/auth/reset/" in mailbox.messages[0].get_body().get_content()


@pytest.mark.redis
def test_a_running_worker_relays_rows_left_in_the_outbox(
    redis_outage: RedisOutage, tmp_path: Path
) -> None:
    redis_outage.stop_redis()
    write_something("late")
    enqueue(mark, str(tmp_path), "late")
    db.session.commit()  # Redis is down: the row stays
    assert len(waiting_rows()) == 1
    redis_outage.start_redis()
    redis_outage.start_worker(ENT_JOB_SWEEP="1")
    wait_until(lambda: (tmp_path / "late.done").exists(), 30, message="never relayed")
    assert waiting_rows() == []


@pytest.mark.redis
def test_two_relays_at_once_hand_each_row_over_once(redis_outage: RedisOutage) -> None:
    redis_outage.stop_redis()
    for number in range(30):
        write_something(str(number))
        enqueue(note, str(number))
        db.session.commit()
    assert len(waiting_rows()) == 30
    redis_outage.start_redis()
    app = redis_outage.app
    counts: list[int] = []

    def relay() -> None:
        with app.app_context():
            counts.append(outbox.relay(app, limit=10))
            counts.append(outbox.relay(app, limit=100))

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 30
    assert Queue(redis_outage.queue, connection=redis_outage.connection).count == 30
    assert waiting_rows() == []


@pytest.mark.redis
def test_a_job_id_keeps_its_meaning_through_the_outbox(redis_outage: RedisOutage) -> None:
    redis_outage.stop_redis()
    ids = set()
    for _ in range(2):
        write_something("same")
        ids.add(enqueue(note, "same", job_id="same-job"))
        db.session.commit()
    redis_outage.start_redis()
    assert outbox.relay(redis_outage.app) == 2  # both rows handed over...
    queue = Queue(redis_outage.queue, connection=redis_outage.connection)
    assert queue.job_ids == list(ids)  # ...as one job, with the id enqueue returned


# -- abandoned jobs: a worker killed mid-job -----------------------------------------------------
@pytest.mark.redis
def test_a_job_whose_worker_was_killed_is_run_again_within_a_minute(
    redis_jobs: RedisJobs, tmp_path: Path
) -> None:
    fast = {"ENT_JOB_HEARTBEAT": "1", "ENT_JOB_SWEEP": "1"}
    job_id = enqueue(mark, str(tmp_path), "certificates", 2.0)
    doomed = redis_jobs.start_worker(**fast)
    wait_until(lambda: (tmp_path / "certificates.started").exists(), 60, interval=0.02)
    time.sleep(0.3)
    os.killpg(doomed.process.pid, signal.SIGKILL)  # the worker and its scheduler, as systemd
    doomed.process.wait()
    killed_at = time.monotonic()
    assert not (tmp_path / "certificates.done").exists()

    redis_jobs.start_worker(**fast)

    def requeued() -> bool:
        job = Job.fetch(str(job_id), connection=redis_jobs.connection)
        return job.retries_left == 2  # the requeue counted as a retry

    wait_until(requeued, 60, interval=0.05, message="never queued again")
    requeued_after = time.monotonic() - killed_at
    wait_until(lambda: (tmp_path / "certificates.done").exists(), 60, message="never run again")
    took = time.monotonic() - killed_at
    assert took < 60
    print(f"abandoned job: requeued {requeued_after:.1f}s, done {took:.1f}s after the kill")


# -- what operators see -------------------------------------------------------------------------
@pytest.mark.redis
def test_operators_see_the_outbox_backlog(redis_outage: RedisOutage, client: Any) -> None:
    redis_outage.stop_redis()
    write_something("x")
    enqueue(note, "x")
    db.session.commit()
    ready = client.get("/readyz")
    assert ready.status_code == 503  # Redis is down
    assert ready.json["jobs_outbox"]["waiting"] == 1
    runner = redis_outage.app.test_cli_runner()
    shown = runner.invoke(args=["jobs", "status"])
    assert "outbox: 1 job(s) waiting" in shown.output
    assert "ConnectionError" in shown.output
    assert "Redis does not answer" in shown.output and shown.exit_code == 1

    redis_outage.start_redis()
    assert "1 job(s) handed over" in runner.invoke(args=["jobs", "relay"]).output
    shown = runner.invoke(args=["jobs", "status"])
    assert "outbox: 0 job(s) waiting" in shown.output
    assert "queued 1" in shown.output
    assert client.get("/readyz").json["jobs_outbox"] == {"waiting": 0, "oldest_seconds": None}
