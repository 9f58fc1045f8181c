"""``certificate.issued``: heard once per certificate, whether a job or the trainer issues it."""

from __future__ import annotations

from ent_plugins.training import quiz, service
from ent_plugins.training.models import Certificate
from training_kit import BASE, finish_course

from ent_core import sdk
from ent_core.testing import enable

BOTH = ["in_transaction", "after_commit"]


def _certificate():
    sdk.db.session.expire_all()
    return sdk.db.session.scalars(
        sdk.db.select(Certificate).execution_options(ent_all_workspaces=True)
    ).one()


def test_event_certificate_issued(
    centre, built, learner, learner_client, learner_api, event_listener
):
    enable(centre, "listener")
    finish_course(learner_client, learner_api, built)  # the evaluation job issues it

    certificate = _certificate()
    heard = event_listener.heard("certificate.issued")
    assert [h.when for h in heard] == BOTH
    assert heard[0].payload == {
        "certificate_id": certificate.id,
        "number": certificate.number,
        "user_id": learner.id,
        "course_id": certificate.course_id,
        "cohort_id": built.cohort,
        "course_title": certificate.course_title,
        "verify_url": f"http://localhost/s/cime/training/certificates/{certificate.number}",
    }
    assert {h.workspace_id for h in heard} == {centre.id}


def test_the_trainers_bulk_issue_is_heard_once_per_new_certificate(
    centre, built, signed_in_client, learner_client, learner_api, event_listener, monkeypatch
):
    enable(centre, "listener")
    for module in (quiz, service):  # no automatic issuing: the trainer's button does it
        monkeypatch.setattr(module, "schedule_evaluation", lambda enrolment: None)
    finish_course(learner_client, learner_api, built)
    for _ in range(2):  # the second press finds the certificate issued already
        issue = signed_in_client.post(f"{BASE}/cohorts/{built.cohort}/certificates/issue")
        assert issue.status_code == 302
    assert [h.when for h in event_listener.heard("certificate.issued")] == BOTH


def test_a_centre_without_the_listener_is_not_heard(
    built, learner_client, learner_api, event_listener
):
    finish_course(learner_client, learner_api, built)
    assert _certificate() is not None
    assert event_listener.heard() == []
