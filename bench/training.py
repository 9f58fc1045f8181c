"""The training plugin measured: certificates issued through the worker, and the public
verification page under load next to the publishing article page.

    .venv/bin/python bench/training.py            # 10,000 certificates; 3 rounds of 10 s per page
    .venv/bin/python bench/training.py --quick    # 1,000 certificates; 1 round of 3 s
    .venv/bin/python bench/training.py --help     # --certificates, --rq-workers, --redis-url, ...

Issue #5's "Measured" section. Two parts, in one run on one fresh PostgreSQL database:

1. **Issuing.** Learners who met the completion rule (every lesson done, the quiz passed) in
   cohorts of ``--cohort-size``; ``--rq-workers`` real ``ent worker`` processes (rq, a forked
   work horse per job) on Redis ``--redis-url`` (default 127.0.0.1:6379, database 9, a queue of
   the run's own); one ``evaluate_enrolment`` job per learner, enqueued through the plugin's
   ``schedule_evaluation`` as when a learner finishes. The clock runs from the first enqueue
   to the last certificate row in PostgreSQL (each row holds its signed Open Badges 3.0
   credential). Printed: certificates per second (wall), per core (divided by the CPU time
   of the workers and their work horses), the workers' peak memory, and in the same run the
   baselines: bare ``issue_credential`` in this process (as ``bench/credentials.py`` measures
   it) and the same job body run in-process (no queue, no fork), with its SQL statements.
2. **Public pages.** The certificate verification page and a publishing article page (each
   platform-only page measured against a bare Flask app replaying the same statements, as
   ``bench/publishing.py`` does) under gunicorn + wrk; the issue's target is a verification
   page as fast as the article page.

Data goes in through the platform where it is cheap (core seed of ``bench/run.py``, the
training plugin's demo course, ``schedule_evaluation``, the certificate job itself); the
10,000 enrolments, lesson completions and quiz attempts are bulk-inserted rows of the plugin's
models, and the articles come from ``bench/publishing.py``'s bulk seed. Writes
``bench/results/training-<certificates>-<timestamp>.json``. Figures: docs/performance.md
("Training"). Needs wrk, redis-server or a Redis at ``--redis-url``, and PostgreSQL on
127.0.0.1:5432. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psutil

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import _common  # noqa: E402 - bench/ is on the path now
import run as core_bench  # noqa: E402

#: Issue #5: at least 200 credentials signed per second per core.
TARGET_PER_CORE = 200.0
#: Issue #5: the verification page as fast as the publishing article page.
TARGET_PAGE_RATIO = 1.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--certificates", type=int, help="certificates to issue (10,000)")
    parser.add_argument("--quick", action="store_true", help="1,000 certificates, 1 round of 3 s")
    parser.add_argument("--cohort-size", type=int, default=100)
    parser.add_argument("--rq-workers", type=int, default=2, help="ent worker processes")
    parser.add_argument(
        "--worker-class",
        choices=("ent", "fork", "simple"),
        default="ent",
        help="'ent worker' (default: jobs in the worker process), 'ent worker --fork' (a "
        "forked work horse per job), or rq's own SimpleWorker (rq worker -w rq.SimpleWorker)",
    )
    parser.add_argument(
        "--jobs",
        choices=("learner", "cohort"),
        default="learner",
        help="learners finishing one by one (default: schedule_evaluation for each, the "
        "plugin queues its cohort job), or the trainer's bulk issue per cohort",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/9",
        help="an empty Redis database (emptied again at the end); 'private' starts redis-server",
    )
    parser.add_argument("--inprocess", type=int, default=300, help="jobs run in-process")
    parser.add_argument("--baseline-count", type=int, default=1000, help="bare signatures")
    parser.add_argument("--articles", type=int, default=2000, help="publishing articles")
    parser.add_argument("--duration", type=int)
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--skip-pages", action="store_true", help="issuing only")
    parser.add_argument("--skip-issuing", action="store_true", help="pages only (fewer rows)")
    parser.add_argument("--profile", action="store_true", help="profile the verification page")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    if args.certificates is None:
        args.certificates = 1000 if args.quick else 10_000
    return args


# -- data --------------------------------------------------------------------------------------


def seed_learners(app: Any, slug: str, groups: list[list[int]], cohort_size: int) -> dict[str, Any]:
    """The demo course (lessons and a quiz) in workspace ``slug``, and for each group of user
    ids, cohorts of ``cohort_size`` (a cohort never mixes groups) with one enrolment per user
    who did every lesson and passed the quiz."""
    from ent_plugins.training import demo
    from ent_plugins.training.models import (
        Assessment,
        Cohort,
        Enrolment,
        Lesson,
        LessonCompletion,
        Module,
        QuizAttempt,
    )
    from sqlalchemy import insert, select

    from ent_core.db import all_workspaces, db
    from ent_core.identity.models import User
    from ent_core.workspaces.models import Membership, Workspace

    with app.app_context(), all_workspaces():  # seeding spans workspaces
        ws = db.session.scalar(select(Workspace).where(Workspace.slug == slug))
        owner = db.session.scalar(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.workspace_id == ws.id, Membership.role == "owner")
        )
        course, _ = demo._course(ws.id, owner)
        lessons = list(
            db.session.scalars(
                select(Lesson.id)
                .join(Module, Module.id == Lesson.module_id)
                .where(Module.course_id == course.id)
                .execution_options(ent_all_workspaces=True)
            )
        )
        quiz = db.session.scalar(
            select(Assessment.id)
            .where(Assessment.course_id == course.id, Assessment.kind == "quiz")
            .execution_options(ent_all_workspaces=True)
        )
        today = datetime.now(UTC).date()
        cohort_groups: list[list[Cohort]] = []
        for group in groups:
            cohorts = [
                Cohort(
                    workspace_id=ws.id,
                    course_id=course.id,
                    name=f"Session {len(cohort_groups)}-{n + 1:03d}",
                    starts_on=today - timedelta(days=40),
                    ends_on=today - timedelta(days=2),
                    capacity=cohort_size,
                    mode="online",
                )
                for n in range(-(-len(group) // cohort_size))
            ]
            db.session.add_all(cohorts)
            cohort_groups.append(cohorts)
        db.session.flush()
        now = datetime.now(UTC)
        user_ids = [uid for group in groups for uid in group]
        cohort_of = [
            cohorts[n // cohort_size].id
            for group, cohorts in zip(groups, cohort_groups, strict=True)
            for n in range(len(group))
        ]
        enrolment_ids = list(
            db.session.scalars(
                insert(Enrolment).returning(Enrolment.id),
                [
                    {
                        "workspace_id": ws.id,
                        "cohort_id": cohort_of[n],
                        "user_id": uid,
                        "status": "enrolled",
                        "created_at": now,
                        "enrolled_at": now,
                    }
                    for n, uid in enumerate(user_ids)
                ],
            )
        )
        if lessons:
            db.session.execute(
                insert(LessonCompletion),
                [
                    {"workspace_id": ws.id, "enrolment_id": e, "lesson_id": lesson}
                    for e in enrolment_ids
                    for lesson in lessons
                ],
            )
        if quiz is not None:
            db.session.execute(
                insert(QuizAttempt),
                [
                    {
                        "workspace_id": ws.id,
                        "assessment_id": quiz,
                        "enrolment_id": e,
                        "user_id": uid,
                        "number": 1,
                        "started_at": now - timedelta(minutes=9),
                        "submitted_at": now - timedelta(minutes=1),
                        "score": Decimal("100.00"),
                        "layout": [],
                        "answers": {},
                    }
                    for e, uid in zip(enrolment_ids, user_ids, strict=True)
                ],
            )
        db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
        sizes = [len(group) for group in groups]
        return {
            "course_id": course.id,
            "cohorts": sum(len(c) for c in cohort_groups),
            "lessons": len(lessons),
            "enrolment_ids": [
                enrolment_ids[sum(sizes[:i]) : sum(sizes[: i + 1])] for i in range(len(groups))
            ],
            "cohort_ids": [[c.id for c in cohorts] for cohorts in cohort_groups],
        }


def certificate_count(app: Any) -> int:
    from ent_plugins.training.models import Certificate
    from sqlalchemy import func, select

    from ent_core.db import db

    with app.app_context():
        statement = select(func.count(Certificate.id)).execution_options(ent_all_workspaces=True)
        count = db.session.scalar(statement) or 0
        db.session.remove()
        return count


# -- baselines in process ---------------------------------------------------------------------


def bare_signing(count: int) -> dict[str, Any]:
    """``issue_credential`` alone, one thread, warm caches: ``bench/credentials.py``'s method."""
    import tempfile

    import credentials as credentials_bench  # bench/credentials.py
    from ent_plugins.training.credentials import issue_credential
    from ent_plugins.training.credentials.keys import KeyStore

    store = KeyStore(Path(tempfile.mkdtemp(prefix="ent-bench-keys-")))
    subjects = credentials_bench.claims(count)
    for claim in subjects[:20]:
        issue_credential(claim, store=store)
    rate, _ = credentials_bench.timed(
        "bare issue_credential", subjects, lambda claim: issue_credential(claim, store=store)
    )
    return rate.as_dict()


def job_body_inprocess(app: Any, enrolment_ids: list[int]) -> dict[str, Any]:
    """The certificate jobs' functions called directly (no Redis, no fork): what the database
    and the plugin's own code cost around the signatures, with their statements. The learners'
    first cohort goes through ``evaluate_enrolment`` one learner at a time (the job of one
    learner), the others through ``evaluate_cohort`` (the job the platform queues)."""
    from ent_plugins.training import jobs, service
    from ent_plugins.training.models import Enrolment
    from sqlalchemy import select

    from ent_core.db import db

    with app.app_context():
        cohort_of = dict(
            db.session.execute(
                select(Enrolment.id, Enrolment.cohort_id).where(Enrolment.id.in_(enrolment_ids))
            ).all()
        )
    by_cohort: dict[int, list[int]] = {}
    for enrolment_id in enrolment_ids:
        by_cohort.setdefault(cohort_of[enrolment_id], []).append(enrolment_id)
    [single, *rest] = by_cohort.values()
    first, others = single[0], single[1:]
    with app.app_context(), core_bench.recording(app, db) as rec:
        number = jobs.evaluate_enrolment(first)
        db.session.remove()
    if number is None:
        raise RuntimeError(f"enrolment {first} did not meet the completion rule")
    statements = [" ".join(s["statement"].split())[:200] for s in rec.statements]
    cpu, wall = time.process_time(), time.perf_counter()
    for enrolment_id in others:
        with app.app_context():
            jobs.evaluate_enrolment(enrolment_id)
            db.session.remove()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    one = {
        "count": len(others),
        "cpu_s": round(cpu, 3),
        "wall_s": round(wall, 3),
        "per_core_per_s": round(len(others) / cpu, 1),
        "per_wall_s": round(len(others) / wall, 1),
        "statements_per_job": len(statements),
        "db_events_per_job": rec.events,
        "statements": statements,
    }
    with app.app_context():
        service.flag_for_evaluation([e for ids in rest for e in ids], commit=True)
        db.session.remove()
    count = sum(len(ids) for ids in rest)
    cpu, wall = time.process_time(), time.perf_counter()
    cohort_statements = []
    for ids in rest:
        with app.app_context(), core_bench.recording(app, db) as rec:
            issued = jobs.evaluate_cohort(cohort_of[ids[0]])
            db.session.remove()
        if len(issued) != len(ids):
            raise RuntimeError(f"cohort {cohort_of[ids[0]]}: {len(issued)} of {len(ids)} issued")
        cohort_statements.append(len(rec.statements))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        **one,
        "cohort_job": {
            "count": count,
            "cohorts": [len(ids) for ids in rest],
            "cpu_s": round(cpu, 3),
            "wall_s": round(wall, 3),
            "per_core_per_s": round(count / cpu, 1),
            "per_wall_s": round(count / wall, 1),
            "statements_per_job": cohort_statements,
        },
    }


# -- through the worker -----------------------------------------------------------------------


class MemorySampler(threading.Thread):
    """Peak resident memory of each worker and of any work horse seen, every 0.2 s."""

    def __init__(self, workers: list[psutil.Process]) -> None:
        super().__init__(daemon=True)
        self.workers = workers
        self.peak_worker_mb = 0.0
        self.peak_horse_mb = 0.0
        self.horses_seen: set[int] = set()
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.wait(0.2):
            for worker in self.workers:
                try:
                    self.peak_worker_mb = max(self.peak_worker_mb, worker.memory_info().rss / 2**20)
                    for horse in worker.children():
                        self.horses_seen.add(horse.pid)
                        rss = horse.memory_info().rss / 2**20
                        self.peak_horse_mb = max(self.peak_horse_mb, rss)
                except psutil.Error:
                    continue

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=5)


def cpu_seconds(process: psutil.Process) -> float:
    """The worker's CPU time plus its reaped work horses' (every job runs in one)."""
    t = process.cpu_times()
    return t.user + t.system + t.children_user + t.children_system


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class MailSink:
    """A local SMTP server that accepts and counts every message (aiosmtpd, a test
    dependency): the certificate-ready mails are delivered as in production, not retried
    against a closed port."""

    def __init__(self) -> None:
        import socket

        from aiosmtpd.controller import Controller

        with socket.socket() as probe:  # a free port
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.count = 0
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"

    def __enter__(self) -> str:
        self.controller.start()
        return f"smtp://127.0.0.1:{self.controller.port}"

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def start_workers(
    count: int, workdir: Path, queue: str, kind: str = "ent"
) -> list[subprocess.Popen[bytes]]:
    from redis import Redis
    from rq import Worker

    processes = []
    for n in range(count):
        log = (workdir / f"worker-{n}.log").open("wb")
        command = [str(core_bench.BIN / "ent"), "worker", "--name", f"{queue}-{n}"]
        if kind == "fork":
            command.append("--fork")
        if kind == "simple":  # the platform's runner builds its app on the first job
            command = [str(core_bench.BIN / "rq"), "worker", "-w", "rq.worker.SimpleWorker"]
            command += ["--url", os.environ["REDIS_URL"], "--name", f"{queue}-{n}", queue]
        processes.append(
            subprocess.Popen(  # noqa: S603 - our own console scripts
                command,
                cwd=ROOT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    connection = Redis.from_url(os.environ["REDIS_URL"])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for p in processes:
            if p.poll() is not None:
                raise RuntimeError(f"ent worker exited: see {workdir}/worker-*.log")
        if len([w for w in Worker.all(connection=connection) if w.name.startswith(queue)]) >= count:
            return processes
        time.sleep(0.5)
    raise RuntimeError("the workers did not register within 120 s")


def stop_workers(processes: list[subprocess.Popen[bytes]]) -> None:
    for p in processes:
        if p.poll() is None:
            p.terminate()  # warm shutdown: the current job finishes
    for p in processes:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


CERTIFICATE_JOB = "ent_plugins.training.jobs:evaluate_cohort"
_JOB_DONE = re.compile(r"job \S+: (\S+) done in ([0-9.]+)s \(cpu ([0-9.]+)s\)")


def jobs_cpu(workdir: Path) -> dict[str, dict[str, float]]:
    """CPU seconds and count of the jobs each function ran, from the workers' logs (the
    platform's runner logs ``job <id>: <path> done in 0.123s (cpu 0.100s)``): the certificate
    jobs' own cost, apart from the mails the same workers delivered meanwhile."""
    totals: dict[str, dict[str, float]] = {}
    for log in sorted(workdir.glob("worker-*.log")):
        for match in _JOB_DONE.finditer(log.read_text(encoding="utf-8", errors="replace")):
            entry = totals.setdefault(match[1], {"jobs": 0, "cpu_s": 0.0, "wall_s": 0.0})
            entry["jobs"] += 1
            entry["cpu_s"] = round(entry["cpu_s"] + float(match[3]), 3)
            entry["wall_s"] = round(entry["wall_s"] + float(match[2]), 3)
    return totals


def issue_through_worker(
    app: Any,
    args: argparse.Namespace,
    workdir: Path,
    enrolment_ids: list[int],
    cohorts: list[int],
    mails: Any = lambda: 0,
) -> dict[str, Any]:
    """Enqueue the jobs (one per learner, or with ``--jobs cohort`` the trainer's bulk issue,
    one per cohort) and wait for every certificate row."""
    from ent_plugins.training import service
    from ent_plugins.training.models import Enrolment
    from redis import Redis
    from rq import Queue
    from rq.registry import FailedJobRegistry, FinishedJobRegistry
    from sqlalchemy import select

    from ent_core import sdk

    with app.app_context():
        cohort_of = dict(
            sdk.db.session.execute(
                select(Enrolment.id, Enrolment.cohort_id).where(Enrolment.id.in_(enrolment_ids))
            ).all()
        )
        sdk.db.session.remove()
    queue_name = os.environ["ENT_QUEUE"]
    processes = start_workers(args.rq_workers, workdir, queue_name, args.worker_class)
    try:
        workers = [psutil.Process(p.pid) for p in processes]
        before = {w.pid: cpu_seconds(w) for w in workers}
        sampler = MemorySampler(workers)
        sampler.start()
        target = certificate_count(app) + len(enrolment_ids)
        began = time.perf_counter()
        with app.app_context():
            if args.jobs == "cohort":
                members: dict[int, list[int]] = {}
                for enrolment_id, cohort_id in cohort_of.items():
                    members.setdefault(cohort_id, []).append(enrolment_id)
                for cohort_id in cohorts:  # as the trainer's "issue certificates" button does
                    service.request_evaluations(cohort_id, members[cohort_id])
            else:
                for enrolment_id in enrolment_ids:
                    # The plugin's own entry point; it reads only the enrolment's ids.
                    learner = SimpleNamespace(id=enrolment_id, cohort_id=cohort_of[enrolment_id])
                    service.schedule_evaluation(learner)
        enqueued_s = time.perf_counter() - began
        calls = len(cohorts) if args.jobs == "cohort" else len(enrolment_ids)
        core_bench.say(f"{calls:,} {args.jobs} calls made in {enqueued_s:.1f} s")
        connection = Redis.from_url(os.environ["REDIS_URL"])
        failed = FailedJobRegistry(queue_name, connection=connection)
        deadline = began + max(900.0, len(enrolment_ids) / 2)
        count, last_report, progress = 0, began, []
        while True:
            count = certificate_count(app)
            now = time.perf_counter()
            if count >= target:
                break
            if now > deadline:
                late = f"only {count} of {target} certificates after {now - began:.0f} s"
                raise RuntimeError(late)
            if len(failed) > 0:
                job = failed.get_job_ids()[:1]
                raise RuntimeError(f"{len(failed)} job(s) failed, e.g. {job}: see worker logs")
            if now - last_report > 15:
                rate = count / (now - began)
                core_bench.say(f"  {count:,} certificates after {now - began:.0f} s ({rate:.0f}/s)")
                progress.append({"s": round(now - began, 1), "certificates": count})
                last_report = now
            time.sleep(0.2)
        wall = time.perf_counter() - began
        cpu = sum(cpu_seconds(w) - before[w.pid] for w in workers)
        mails_at_rows = mails()
        finished = FinishedJobRegistry(queue_name, connection=connection).get_job_ids()
        certificate_jobs = sum(1 for j in finished if "training-evaluate-cohort-" in j)
        # Then until every learner has been told (the mail job after each batch, and the
        # platform's delivery job per message, through a local SMTP server).
        mail_deadline = time.perf_counter() + 600
        while mails() < len(enrolment_ids) and time.perf_counter() < mail_deadline:
            time.sleep(0.2)
        wall_mails = time.perf_counter() - began
        cpu_mails = sum(cpu_seconds(w) - before[w.pid] for w in workers)
        sampler.stop()
        job_cpu = jobs_cpu(workdir)
        hwm = [round(vm_hwm_mb(w.pid), 1) for w in workers]
        pending = Queue(queue_name, connection=connection).count
    finally:
        stop_workers(processes)
    issued = len(enrolment_ids)
    return {
        "certificates": issued,
        "rq_workers": args.rq_workers,
        "jobs": args.jobs,
        "calls": calls,
        "certificate_jobs_run": certificate_jobs,
        "worker_class": {
            "ent": "ent worker",
            "fork": "ent worker --fork",
            "simple": "rq SimpleWorker",
        }[args.worker_class],
        "wall_s": round(wall, 2),
        "enqueue_s": round(enqueued_s, 2),
        "per_wall_s": round(issued / wall, 1),
        "worker_cpu_s": round(cpu, 2),
        "per_core_per_s": round(issued / cpu, 1),
        "mails_delivered_when_rows_landed": mails_at_rows,
        "mails_delivered": mails(),
        "wall_with_mails_s": round(wall_mails, 2),
        "worker_cpu_with_mails_s": round(cpu_mails, 2),
        "per_core_per_s_with_mails": round(issued / cpu_mails, 1),
        "cpu_s_by_job": job_cpu,
        "per_core_per_s_certificate_jobs": round(issued / job_cpu[CERTIFICATE_JOB]["cpu_s"], 1)
        if job_cpu.get(CERTIFICATE_JOB)
        else None,
        "worker_peak_rss_mb": hwm,
        "work_horse_peak_rss_mb": round(sampler.peak_horse_mb, 1),
        "work_horses_seen": len(sampler.horses_seen),
        "mail_jobs_left_in_queue": pending,
        "progress": progress,
    }


# -- public pages ----------------------------------------------------------------------------

VERIFY_PAGE = """<!doctype html>
<html lang="fr" dir="ltr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Certificat {{ c.number }} — {{ c.issuer_name }}</title>
<link rel="stylesheet" href="/static/ent.css">
<link rel="alternate" type="application/vc+ld+json" href="{{ request.path }}.json">
<meta name="robots" content="noindex"></head>
<body><header class="site-header"><p>{{ slug }}</p></header><main id="main">
<article class="stack"><h1>Vérification du certificat</h1>
<p class="flash flash-success" role="status">{{ status }}</p>
<dl class="panel"><dt>Décerné à</dt><dd>{{ c.recipient_name }}</dd>
<dt>Formation</dt><dd><a href="../courses/{{ c.course_id }}">{{ c.course_title }}</a></dd>
<dt>Délivré par</dt><dd>{{ c.issuer_name }}</dd><dt>Le</dt><dd>{{ c.issued_at.date() }}</dd>
{% if c.expires_at %}<dt>Valable jusqu'au</dt><dd>{{ c.expires_at.date() }}</dd>{% endif %}
<dt>Numéro</dt><dd>{{ c.number }}</dd></dl>
<p><a class="button" href="{{ request.path }}.json" download>JSON</a></p></article>
{% for row in others %}<span hidden>{{ row|length }}</span>{% endfor %}
</main></body></html>"""


def create_baseline() -> Any:
    """``bench/publishing.py``'s bare Flask app plus the verification page (gunicorn entry)."""
    import baseline_app
    import publishing
    from flask import Response, render_template

    app = publishing.create_baseline()
    # compiled once, as Flask does for a named template (render_template_string would compile
    # it on every request and flatter the platform)
    page = app.jinja_env.from_string(VERIFY_PAGE)
    capture = baseline_app.prepare(
        baseline_app.load_capture(os.environ["ENT_BENCH_CAPTURE"])["verify"],
        baseline_app.mapped_models(),
    )

    @app.get("/s/<slug>/training/certificates/<number>")
    def verify(slug: str, number: str) -> Response:
        results = baseline_app.replay(capture, True)
        objects = [row for result in results for row in result if not isinstance(row, dict)]
        certificate = next(o for o in objects if type(o).__name__ == "Certificate")
        status = "valid" if certificate.revoked_at is None else "revoked"
        html = render_template(page, c=certificate, status=status, slug=slug, others=results)
        response = Response(html, mimetype="text/html")
        response.headers["Cache-Control"] = "public, max-age=60"
        return response

    return app


def measure_pages(
    app: Any, args: argparse.Namespace, env: Any, slug: str, number: str
) -> dict[str, Any]:
    import publishing

    from ent_core.db import db

    opts = core_bench.options_from(args, workspaces=0, users=0, profile=args.profile)
    began = time.monotonic()
    article = publishing.seed_articles(app, slug, args.articles)
    core_bench.say(f"seeded {args.articles:,} articles in {time.monotonic() - began:.0f} s")
    headers = {"User-Agent": core_bench.USER_AGENT}
    targets = [
        core_bench.Target("verify", f"/s/{slug}/training/certificates/{number}", headers),
        core_bench.Target("article", f"/s/{slug}/publishing/articles/{article}", headers),
    ]
    _common.capture_statements(app, db, targets, env.capture)
    baseline = create_baseline()
    _common.measure_baseline(baseline, publishing.db_of_baseline(), targets)
    inprocess = {t.name: core_bench.time_inprocess(app, t, 2.0) for t in targets}
    env.servers.append(
        core_bench.start_server("platform", "ent_core:create_app()", opts, env.workdir, [])
    )
    env.servers.append(
        core_bench.start_server(
            "baseline", "training:create_baseline()", opts, env.workdir, ["--pythonpath", "bench"]
        )
    )
    core_bench.load(env.servers, targets, opts)
    rows = publishing.report(targets)
    for row in rows:
        row["platform"]["inprocess_cpu_ms"] = round(inprocess[row["target"]]["cpu_ms"], 2)
    by_name = {row["target"]: row for row in rows}
    ratio = by_name["verify"]["platform"]["rps"] / by_name["article"]["platform"]["rps"]
    cpu_ratio = inprocess["article"]["cpu_ms"] / inprocess["verify"]["cpu_ms"]
    verdict = "meets" if ratio >= TARGET_PAGE_RATIO * 0.95 else "MISSES"
    print(
        f"\nverification page / article page on the platform: {ratio:.2f} by throughput, "
        f"{cpu_ratio:.2f} by in-process CPU per request "
        f"({inprocess['verify']['cpu_ms']:.2f} vs {inprocess['article']['cpu_ms']:.2f} ms): "
        f"{verdict} the target (as fast, within 5 %)"
    )
    profile = None
    if args.profile or ratio < TARGET_PAGE_RATIO * 0.95:
        profile = core_bench.profile_inprocess(app, targets[0], requests=300)
        print("\nverification page, where its CPU goes (cProfile, shares overlap):")
        for label, share in sorted(
            profile["cumulative_share_by_component"].items(), key=lambda kv: -kv[1]
        ):
            if share >= 0.02:
                print(f"  {share:6.0%}  {label}")
    return {
        "pages": rows,
        "verify_over_article": round(ratio, 3),
        "article_cpu_over_verify_cpu": round(cpu_ratio, 3),
        "meets_target": verdict == "meets",
        "memory": {s.name: core_bench.memory_of(s) for s in env.servers},
        "profile": profile,
    }


# -- run -------------------------------------------------------------------------------------


def check_redis(url: str) -> None:
    """Refuse a Redis database that holds anything: the run empties it at the end."""
    from redis import Redis

    client = Redis.from_url(url)
    if client.dbsize():
        raise SystemExit(f"{url} is not empty: pass an empty database with --redis-url")


def empty_redis(url: str) -> None:
    from redis import Redis

    Redis.from_url(url).flushdb()


def run(args: argparse.Namespace) -> int:
    import shutil

    if not args.skip_pages and shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    load_at_start = os.getloadavg()
    core_bench.say(f"load average {load_at_start[0]:.1f} {load_at_start[1]:.1f} at the start")
    redis_url = None if args.redis_url == "private" else args.redis_url
    if redis_url:
        check_redis(redis_url)
    queue = f"bench-training-{datetime.now(UTC):%H%M%S}"
    result: dict[str, Any] = {"certificates": args.certificates}
    try:
        with _common.environment(
            "train", keep_db=args.keep_db, redis_url=redis_url, ENT_QUEUE=queue
        ) as env:
            from ent_core import create_app

            app = create_app()
            core_bench.say(f"database {env.db_name}; schema: {core_bench.migrate(app)}")
            extra = args.inprocess + 1
            opts = core_bench.Options(
                duration=0, warmup=0, rounds=0, connections=0, workers=0, threads=0,
                workspaces=20, users=args.certificates + extra, keep_db=args.keep_db,
                profile=False,
            )  # fmt: skip
            seeded = core_bench.seed(app, opts)
            for plugin in ("training", "publishing"):
                if plugin not in seeded.enabled:
                    raise RuntimeError(f"{plugin} is off in {seeded.workspace_slug}")
            with app.app_context():
                from sqlalchemy import select

                from ent_core.db import db
                from ent_core.identity.models import User

                user_ids = list(
                    db.session.scalars(
                        select(User.id).where(User.is_admin.is_(False)).order_by(User.id)
                    )
                )
            began = time.monotonic()
            groups = [user_ids[: args.certificates], user_ids[args.certificates :]]
            data = seed_learners(app, seeded.workspace_slug, groups, args.cohort_size)
            ids, extra_ids = data.pop("enrolment_ids")
            cohorts = data.pop("cohort_ids")[0]
            core_bench.say(
                f"seeded {len(ids) + len(extra_ids):,} learners who met the rule in "
                f"{data['cohorts']} cohorts in {time.monotonic() - began:.0f} s"
            )
            result["data"] = data
            core_bench.say(f"baseline: {args.baseline_count} bare issue_credential calls")
            result["bare_signing"] = bare_signing(args.baseline_count)
            if not args.skip_issuing:
                core_bench.say(
                    f"issuing {args.certificates:,} certificates through {args.rq_workers} "
                    f"{args.worker_class} worker(s) on {env.redis_url}, queue {queue}"
                )
                sink = MailSink()
                with sink as smtp_url:
                    os.environ["SMTP_URL"] = smtp_url  # the workers inherit it
                    result["worker"] = issue_through_worker(
                        app, args, env.workdir, ids, cohorts, mails=lambda: sink.count
                    )
            core_bench.say(f"the same job in-process, {args.inprocess} times")
            result["inprocess_job"] = job_body_inprocess(app, extra_ids)
            print_issuing(result)
            if not args.skip_pages:
                number = middle_certificate(app)
                result["public_pages"] = measure_pages(
                    app, args, env, seeded.workspace_slug, number
                )
    finally:
        if redis_url:
            empty_redis(redis_url)
    result["machine"] = {
        **core_bench.machine(),
        "load_average_at_start": load_at_start,
        "load_average_at_end": os.getloadavg(),
    }
    end = result["machine"]["load_average_at_end"]
    core_bench.say(f"load average {end[0]:.1f} {end[1]:.1f} at the end")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = core_bench.RESULTS / f"training-{args.certificates}-{stamp}.json"
    core_bench.RESULTS.mkdir(exist_ok=True)
    payload = {"date": stamp, "git": core_bench.git_commit(), "args": vars(args), **result}
    out.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    core_bench.say(f"results written to {out.relative_to(ROOT)}")
    return 0


def middle_certificate(app: Any) -> str:
    from ent_plugins.training.models import Certificate
    from sqlalchemy import func, select

    from ent_core.db import db

    with app.app_context():
        every = select(Certificate.number).execution_options(ent_all_workspaces=True)
        count = db.session.scalar(
            select(func.count(Certificate.id)).execution_options(ent_all_workspaces=True)
        )
        return db.session.scalar(every.order_by(Certificate.id).offset(count // 2).limit(1))


def print_issuing(result: dict[str, Any]) -> None:
    bare, job = result["bare_signing"], result["inprocess_job"]
    print(f"\n{'issuing':<44}{'per core/s':>11}{'wall/s':>9}{'CPU ms each':>13}")

    def line(name: str, per_core: float, per_wall: float) -> None:
        print(f"{name:<44}{per_core:>11.1f}{per_wall:>9.1f}{1000 / per_core:>13.2f}")

    line("baseline: bare issue_credential, in process", bare["per_core_per_s"], bare["per_wall_s"])
    line("evaluate_enrolment (one learner), in process", job["per_core_per_s"], job["per_wall_s"])
    cohort_job = job["cohort_job"]
    line(
        "evaluate_cohort (a cohort), in process",
        cohort_job["per_core_per_s"],
        cohort_job["per_wall_s"],
    )
    worker = result.get("worker")
    if worker:
        line(
            f"{worker['rq_workers']} x {worker['worker_class']}, {worker['jobs']} path",
            worker["per_core_per_s"],
            worker["per_wall_s"],
        )
        print(
            f"{worker['calls']:,} {worker['jobs']} calls ran as {worker['certificate_jobs_run']} "
            f"cohort jobs; {worker['certificates']:,} certificates in {worker['wall_s']:.1f} s "
            f"(enqueueing took {worker['enqueue_s']:.1f} s of it); workers' CPU "
            f"{worker['worker_cpu_s']:.1f} s; peak RSS per worker "
            f"{worker['worker_peak_rss_mb']} MB,"
            f" per work horse {worker['work_horse_peak_rss_mb']} MB "
            f"({worker['work_horses_seen']} horses sampled); "
            f"{worker['mails_delivered_when_rows_landed']:,} certificate mails delivered by then"
        )
        line(
            "  the same, until every mail is delivered",
            worker["per_core_per_s_with_mails"],
            worker["certificates"] / worker["wall_with_mails_s"],
        )
        print(f"  ({worker['mails_delivered']:,} mails in {worker['wall_with_mails_s']:.1f} s)")
        if worker["per_core_per_s_certificate_jobs"]:
            line(
                "  the certificate jobs alone (their own CPU)",
                worker["per_core_per_s_certificate_jobs"],
                worker["per_wall_s"],
            )
        for path, entry in sorted(worker["cpu_s_by_job"].items()):
            print(f"    {path}: {entry['jobs']:,} jobs, CPU {entry['cpu_s']:.1f} s")
        ratio = worker["per_core_per_s"] / bare["per_core_per_s"]
        verdict = "meets" if worker["per_core_per_s"] >= TARGET_PER_CORE else "MISSES"
        print(
            f"through the worker / bare signing = {ratio:.2f} per core; "
            f"{verdict} the target of {TARGET_PER_CORE:.0f}/s per core end to end"
        )
    print(
        f"one learner's job sends {job['statements_per_job']} SQL statements "
        f"(pool/transaction events {job['db_events_per_job']}); cohort jobs of "
        f"{cohort_job['cohorts']} learners: {cohort_job['statements_per_job']}"
    )


def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
