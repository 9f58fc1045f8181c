"""The API's shape and its tenancy: another workspace's ids answer 404 everywhere."""

from __future__ import annotations

import re

from training_kit import API, BASE, build_course

from ent_core import sdk
from ent_core.testing import sign_in

TRAINING_TABLES = (
    "training_course",
    "training_cohort",
    "training_enrolment",
    "training_lesson",
    "training_module",
    "training_assessment",
    "training_quiz_attempt",
    "training_submission",
    "training_certificate",
    "training_session",
    "training_programme",
)


def _ids(workspace_id: int) -> set[int]:
    ids: set[int] = set()
    for name in TRAINING_TABLES:
        table = sdk.db.metadata.tables[name]
        ids.update(
            sdk.db.session.execute(
                sdk.db.select(table.c.id).where(table.c.workspace_id == workspace_id)
            ).scalars()
        )
    return ids


def _rules(app, prefix: str):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith(prefix) and "int:" in r.rule]


def _fill(rule: str, slug: str, value: int) -> str:
    url = rule.replace("<workspace>", slug)
    return re.sub(r"<int:\w+>", str(value), url)


def test_a_complete_course_of_cime_is_invisible_from_another_workspace(
    app,
    centre,
    signed_in_client,
    learner_client,
    learner_api,
    make_user,
    make_workspace,
    make_api_client,
    app_ctx,
):
    built = build_course(signed_in_client)
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    learner_client.post(f"{BASE}/lessons/{built.lesson}/complete")
    attempt = learner_api.post(f"{API}/quizzes/{built.quiz}/attempts").json
    learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.right})
    assert learner_api.get(f"{API}/certificates").json["items"]

    intruder = make_user("intruder@example.ma")
    other = make_workspace("other", owner=intruder, plugins=("training",))
    theirs = _ids(other.id)
    ids = sorted(_ids(centre.id) - theirs)
    assert ids  # every table has a row of cime: id 1 names one in each
    client = sign_in(app_ctx.test_client(), intruder)
    api = make_api_client(intruder)
    leaks = []
    for rule in _rules(app, "/w/<workspace>/training/"):
        for value in ids:
            for method in rule.methods & {"GET", "POST"}:
                for slug in ("cime", "other"):
                    url = _fill(rule.rule, slug, value)
                    status = client.open(url, method=method).status_code
                    if status != 404:
                        leaks.append(f"{method} {url} -> {status}")
    for rule in _rules(app, "/api/v1/workspaces/<workspace>/training/"):
        for value in ids:
            for method in rule.methods & {"GET", "POST", "DELETE"}:
                url = _fill(rule.rule, "other", value)
                status = api.open(method, url, json={}).status_code
                if status not in (404, 422):  # 422: the body is checked before the lookup
                    leaks.append(f"{method} {url} -> {status}")
    assert not leaks, leaks


def test_the_api_answers_404_where_training_is_off(api_client, workspace):
    assert api_client.get("/api/v1/workspaces/acme/training/courses").status_code == 404


def test_the_openapi_document_lists_the_training_paths(client, centre):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "/api/v1/workspaces/{workspace}/training/certificates" in paths
    assert "/api/v1/workspaces/{workspace}/training/quizzes/{quiz_id}/attempts" in paths


def test_cohorts_are_listed_and_filtered_by_course(built, api_client):
    items = api_client.get(f"{API}/cohorts?course_id={built.course}").json["items"]
    assert [c["name"] for c in items] == ["Autumn"]
    assert api_client.get(f"{API}/cohorts?course_id=999").json["items"] == []


def test_a_cohort_for_an_unknown_course_is_404(centre, api_client):
    r = api_client.post(
        f"{API}/cohorts",
        json={"course_id": 999, "name": "X", "starts_on": "2027-01-01", "ends_on": "2027-01-02"},
    )
    assert r.status_code == 404


def test_bulk_issue_through_the_api(built, api_client, learner_client, learner_api):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    r = api_client.post(f"{API}/cohorts/{built.cohort}/certificates")
    assert r.status_code == 200 and r.json["issued"] == []
