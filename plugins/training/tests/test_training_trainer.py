"""Trainer tools: the trainer role, gradebook and CSV export, bulk issue and revoke, mail."""

from __future__ import annotations

import csv
import io

from ent_plugins.training import quiz, service
from ent_plugins.training.models import Certificate
from training_kit import API, BASE, build_course, finish_course

from ent_core import sdk
from ent_core.testing import add_member


def _certificates():
    sdk.db.session.expire_all()
    return sdk.db.session.scalars(
        sdk.db.select(Certificate).execution_options(ent_all_workspaces=True)
    ).all()


def test_a_plain_member_may_not_create_a_course_but_a_trainer_may(
    centre, learner_client, trainer_client
):
    data = {"title": "Podcasting", "programme_id": "0", "pass_mark": "50"}
    assert learner_client.post(f"{BASE}/courses/new", data=data).status_code == 403
    assert trainer_client.post(f"{BASE}/courses/new", data=data).status_code == 302


def test_a_trainer_creates_a_course_and_runs_it(trainer_client, learner_client, learner_api):
    built = build_course(trainer_client)
    finish_course(learner_client, learner_api, built)
    page = trainer_client.get(f"{BASE}/cohorts/{built.cohort}/gradebook")
    assert page.status_code == 200 and "Layla Learner" in page.text


def test_a_trainer_cannot_touch_a_course_they_do_not_teach(built, trainer_client):
    assert trainer_client.get(f"{BASE}/courses/{built.course}/edit").status_code == 403
    assert trainer_client.get(f"{BASE}/cohorts/{built.cohort}/gradebook").status_code == 403


def test_the_owner_assigns_a_trainer_to_a_course(built, signed_in_client, trainer_client):
    signed_in_client.post(
        f"{BASE}/courses/{built.course}/trainers", data={"email": "trainer@example.ma"}
    )
    assert trainer_client.get(f"{BASE}/cohorts/{built.cohort}/gradebook").status_code == 200


def test_the_csv_export_has_one_row_per_learner(
    built, signed_in_client, learner_client, learner_api
):
    finish_course(learner_client, learner_api, built)
    r = signed_in_client.get(f"{BASE}/cohorts/{built.cohort}/gradebook.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][0] == "Layla Learner" and rows[1][1] == "learner@example.ma"
    assert rows[1][2] == "100.00"


def test_formulas_are_neutralised_in_the_csv(centre, signed_in_client, make_user, make_api_client):
    built = build_course(signed_in_client)
    tricky = make_user("tricky@example.ma", name='=HYPERLINK("http://evil")')
    add_member(centre, tricky, "member")
    make_api_client(tricky).post(f"{API}/cohorts/{built.cohort}/enrolments")
    r = signed_in_client.get(f"{BASE}/cohorts/{built.cohort}/gradebook.csv")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[1][0].startswith("'=")


def test_bulk_issue_issues_to_those_who_met_the_rule(
    built, signed_in_client, learner_client, learner_api, monkeypatch
):
    for module in (quiz, service):  # no automatic issuing: the trainer's button does it
        monkeypatch.setattr(module, "schedule_evaluation", lambda enrolment: None)
    finish_course(learner_client, learner_api, built)
    assert _certificates() == []
    r = signed_in_client.post(f"{BASE}/cohorts/{built.cohort}/certificates/issue")
    assert r.status_code == 302
    assert len(_certificates()) == 1
    signed_in_client.post(f"{BASE}/cohorts/{built.cohort}/certificates/issue")
    assert len(_certificates()) == 1


def test_bulk_revoke_revokes_the_selected_with_the_reason(
    built, signed_in_client, learner_client, learner_api
):
    finish_course(learner_client, learner_api, built)
    [certificate] = _certificates()
    r = signed_in_client.post(
        f"{BASE}/cohorts/{built.cohort}/certificates/revoke",
        data={"certificate": [str(certificate.id)], "reason": "Session cancelled"},
    )
    assert r.status_code == 302
    [certificate] = _certificates()
    assert certificate.status == "revoked" and certificate.revoked_reason == "Session cancelled"


def test_bulk_revoke_without_a_reason_changes_nothing(
    built, signed_in_client, learner_client, learner_api
):
    finish_course(learner_client, learner_api, built)
    [certificate] = _certificates()
    signed_in_client.post(
        f"{BASE}/cohorts/{built.cohort}/certificates/revoke",
        data={"certificate": [str(certificate.id)], "reason": ""},
    )
    assert _certificates()[0].status == "valid"


def test_mail_to_the_cohort_reaches_enrolled_learners_only(
    built, signed_in_client, learner_client, mail_outbox
):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    r = signed_in_client.post(
        f"{BASE}/cohorts/{built.cohort}/mail",
        data={"subject": "Room change", "body": "We meet in room 4."},
    )
    assert r.status_code == 302
    assert [(m["to"], m["subject"]) for m in mail_outbox] == [
        ("learner@example.ma", "[Autumn] Room change")
    ]


def test_mail_form_says_what_is_missing(built, signed_in_client):
    r = signed_in_client.post(f"{BASE}/cohorts/{built.cohort}/mail", data={"subject": ""})
    assert r.status_code == 422


def test_a_learner_has_no_trainer_tools(built, learner_client):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    for path in ("gradebook", "gradebook.csv", "mail"):
        assert learner_client.get(f"{BASE}/cohorts/{built.cohort}/{path}").status_code == 403
    assert (
        learner_client.post(f"{BASE}/cohorts/{built.cohort}/certificates/issue").status_code == 403
    )
