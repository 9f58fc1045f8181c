"""Issuing at scale: one certificate job per cohort (not per learner), flags that a concurrent
change cannot lose, mails sent once, the sweep that picks up what a lost job left, and pages
whose statements do not grow with the cohort."""

from __future__ import annotations

from datetime import timedelta

import pytest
from ent_plugins.training import jobs, quiz, service
from ent_plugins.training.models import Certificate, Enrolment
from rq.registry import ScheduledJobRegistry
from sqlalchemy import update
from training_kit import API, BASE, finish_course

from ent_core import sdk
from ent_core.testing import add_member, sign_in, sql_statements, wait_until


def _rows(model):
    sdk.db.session.expire_all()
    return sdk.db.session.scalars(
        sdk.db.select(model).order_by(model.id).execution_options(ent_all_workspaces=True)
    ).all()


def _three_notified() -> bool:
    """Three certificates, all mailed: one read (two reads could see none, then three)."""
    rows = _rows(Certificate)
    return len(rows) == 3 and all(c.notified_at for c in rows)


@pytest.fixture
def learners(app_ctx, centre, make_user, make_api_client):
    """Three more members of the centre, each with a signed-in browser and an API client."""
    people = []
    for n in range(3):
        person = make_user(f"learner{n}@example.ma", name=f"Learner {n}")
        add_member(centre, person, "member")
        people.append((sign_in(app_ctx.test_client(), person), make_api_client(person)))
    return people


@pytest.mark.redis
def test_learners_finishing_together_share_one_job(redis_jobs, built, learners):
    for client, api in learners:
        finish_course(client, api, built)
    # six changes (a lesson and a quiz each) flagged three learners; one job waits for them
    waiting = ScheduledJobRegistry(redis_jobs.queue, connection=redis_jobs.connection)
    [waiting_id] = waiting.get_job_ids()
    assert waiting_id.endswith(f"training-evaluate-cohort-{built.cohort}")
    assert redis_jobs.queued() == 0
    assert [e.evaluation_requested_at is not None for e in _rows(Enrolment)] == [True] * 3
    assert _rows(Certificate) == []
    redis_jobs.start_worker()
    wait_until(_three_notified)
    issued = _rows(Certificate)
    assert sorted(c.recipient_email for c in issued) == [
        "learner0@example.ma",
        "learner1@example.ma",
        "learner2@example.ma",
    ]
    assert all(c.credential["proof"]["proofValue"].startswith("z") for c in issued)
    assert all(c.notified_at is not None for c in issued)  # the mail job ran after the commit
    assert all(e.evaluation_requested_at is None for e in _rows(Enrolment))


def test_a_learner_is_looked_at_again_each_time_something_changes(
    built, learner_client, learner_api, mail_outbox
):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    learner_client.post(f"{BASE}/lessons/{built.lesson}/complete")
    [enrolment] = _rows(Enrolment)
    assert enrolment.evaluation_requested_at is None  # looked at: the quiz is still missing
    assert _rows(Certificate) == []
    attempt = learner_api.post(f"{API}/quizzes/{built.quiz}/attempts").json
    learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.right})
    [certificate] = _rows(Certificate)
    assert certificate.notified_at is not None
    assert [m["to"] for m in mail_outbox] == ["learner@example.ma"]


def test_a_change_made_while_the_job_runs_is_looked_at_again(
    built, learner_client, learner_api, monkeypatch
):
    for module in (quiz, service):  # nothing evaluated on the way
        monkeypatch.setattr(module, "schedule_evaluation", lambda enrolment: None)
    finish_course(learner_client, learner_api, built)
    [enrolment] = _rows(Enrolment)
    service.flag_for_evaluation([enrolment.id], commit=True)
    looked_at = []
    evaluate = jobs._evaluate

    def concurrent_change(cohort, ids, **kwargs):
        looked_at.append(list(ids))
        if len(looked_at) == 1:  # a request flags the learner again while the job works
            with sdk.db.engine.begin() as other:
                other.execute(
                    update(Enrolment.__table__)
                    .where(Enrolment.__table__.c.id == enrolment.id)
                    .values(evaluation_requested_at=sdk.utcnow() + timedelta(seconds=1))
                )
        return evaluate(cohort, ids, **kwargs)

    monkeypatch.setattr(jobs, "_evaluate", concurrent_change)
    jobs.evaluate_cohort(built.cohort)
    assert looked_at == [[enrolment.id], [enrolment.id]]
    assert _rows(Enrolment)[0].evaluation_requested_at is None
    assert len(_rows(Certificate)) == 1


def test_a_certificate_mail_is_sent_once_and_again_after_a_failure(
    built, learner_client, learner_api, monkeypatch, mail_outbox
):
    send = sdk.send_mails
    failures = []

    def flaky(mails):
        if not failures:
            failures.append(list(mails))
            raise ConnectionError("Redis is away")
        return send(mails)

    monkeypatch.setattr(sdk, "send_mails", flaky)
    finish_course(learner_client, learner_api, built)  # the inline job fails once, then is retried
    [certificate] = _rows(Certificate)
    assert len(failures) == 1
    assert [m["to"] for m in mail_outbox] == ["learner@example.ma"]
    assert certificate.notified_at is not None
    assert jobs.mail_certificates([certificate.id]) == 0  # told already: not twice
    assert len(mail_outbox) == 1


def test_the_sweep_picks_up_what_a_lost_job_left(
    built, learner_client, learner_api, monkeypatch, mail_outbox
):
    lost = []
    enqueue = sdk.enqueue
    monkeypatch.setattr(sdk, "enqueue", lambda func, *a, **k: lost.append(func))
    finish_course(learner_client, learner_api, built)  # Redis lost every job of the way
    assert jobs.evaluate_cohort in lost and _rows(Certificate) == []
    monkeypatch.setattr(sdk, "enqueue", enqueue)
    assert jobs.sweep() == 0  # flagged less than a minute ago: its job may still come
    with sdk.all_workspaces():
        sdk.db.session.execute(
            update(Enrolment).values(evaluation_requested_at=sdk.utcnow() - timedelta(minutes=2))
        )
    sdk.db.session.commit()
    assert jobs.sweep() == 1
    [certificate] = _rows(Certificate)
    assert certificate.notified_at is not None and len(mail_outbox) == 1


def test_the_sweep_sends_a_certificate_mail_still_due(
    built, learner_client, learner_api, monkeypatch, mail_outbox
):
    monkeypatch.setattr(jobs, "_queue_mails", lambda ids: None)  # the mail job was lost
    finish_course(learner_client, learner_api, built)
    [certificate] = _rows(Certificate)
    assert certificate.notified_at is None and mail_outbox == []
    assert jobs.sweep() == 0  # not five minutes old yet
    old = sdk.utcnow() - timedelta(minutes=10)
    with sdk.all_workspaces():
        sdk.db.session.execute(update(Certificate).values(issued_at=old))
    sdk.db.session.commit()
    assert jobs.sweep() == 1
    assert [m["to"] for m in mail_outbox] == ["learner@example.ma"]
    assert jobs.sweep() == 0


def test_the_sweep_leaves_a_centre_with_training_switched_off(
    built, learner_client, learner_api, api_client, monkeypatch
):
    monkeypatch.setattr(sdk, "enqueue", lambda func, *a, **k: None)
    finish_course(learner_client, learner_api, built)
    with sdk.all_workspaces():
        sdk.db.session.execute(
            update(Enrolment).values(evaluation_requested_at=sdk.utcnow() - timedelta(minutes=2))
        )
    sdk.db.session.commit()
    assert api_client.delete("/api/v1/workspaces/cime/plugins/training").status_code in (200, 204)
    assert jobs.sweep() == 0


def _statements(app, client, url):
    with sql_statements() as seen:
        assert client.get(url).status_code == 200
    return len(seen)


def test_the_gradebook_and_cohort_page_do_not_grow_with_the_cohort(
    app_ctx, built, signed_in_client, learner_client, learner_api, learners
):
    finish_course(learner_client, learner_api, built)
    pages = [f"{BASE}/cohorts/{built.cohort}/gradebook", f"{BASE}/cohorts/{built.cohort}"]
    one = [_statements(app_ctx, signed_in_client, url) for url in pages]
    for client, api in learners:
        finish_course(client, api, built)
    four = [_statements(app_ctx, signed_in_client, url) for url in pages]
    assert four == one
