"""Helpers of the training plugin's tests (a uniquely named module: several plugins' test
folders share one pytest session, so nothing is imported from ``conftest``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ent_plugins.training.models import Choice, Cohort, Course, Lesson, Question

from ent_core import sdk

BASE = "/w/cime/training"
API = "/api/v1/workspaces/cime/training"


@dataclass
class Built:
    course: int
    lesson: int
    quiz: int
    cohort: int
    right: dict[str, list[int]]
    wrong: dict[str, list[int]]


def build_course(
    client: Any,
    *,
    capacity: int = 10,
    time_limit: str = "",
    attempts: str = "2",
    validity: str = "",
    title: str = "Fact-checking",
    base: str = BASE,
) -> Built:
    """A course with one module, one lesson, a two-question quiz and a cohort, as a trainer
    (``base``: the training pages of another workspace than ``cime``)."""
    r = client.post(
        f"{base}/courses/new",
        data={
            "title": title,
            "programme_id": "0",
            "summary": "Check **facts**.",
            "criteria": "Pass the quiz.",
            "pass_mark": "50",
            "lessons_share": "100",
            "attendance_share": "0",
            "validity_months": validity,
        },
    )
    assert r.status_code == 302, r.data
    course = sdk.db.session.scalar(
        sdk.db.select(Course)
        .where(Course.title == title)
        .execution_options(ent_all_workspaces=True)
    )
    client.post(f"{base}/courses/{course.id}/modules/new", data={"title": "Basics"})
    module = course.modules[0]
    r = client.post(
        f"{base}/modules/{module.id}/lessons/new",
        data={"title": "Sources", "body": "Go to the *source*."},
    )
    assert r.status_code == 302, r.data
    r = client.post(
        f"{base}/courses/{course.id}/assessments/new",
        data={
            "kind": "quiz",
            "title": "Final quiz",
            "weight": "1",
            "max_attempts": attempts,
            "time_limit_minutes": time_limit,
            "submission_kind": "text",
        },
    )
    assert r.status_code == 302, r.data
    quiz = course.assessments[0]
    for text, choices, multiple in (
        ("Capital of Morocco?", "*Rabat\nCasablanca", ""),
        ("Primary colours?", "*Red\n*Blue\nBrown", "y"),
    ):
        r = client.post(
            f"{base}/assessments/{quiz.id}/questions/new",
            data={"text": text, "choices": choices, "multiple": multiple},
        )
        assert r.status_code == 302, r.data
    r = client.post(
        f"{base}/courses/{course.id}/cohorts/new",
        data={
            "name": "Autumn",
            "starts_on": "2026-09-01",
            "ends_on": "2026-12-01",
            "capacity": str(capacity),
            "mode": "online",
        },
    )
    assert r.status_code == 302, r.data
    sdk.db.session.expire_all()
    cohort = sdk.db.session.scalar(
        sdk.db.select(Cohort)
        .where(Cohort.course_id == course.id)
        .execution_options(ent_all_workspaces=True)
    )
    lesson = sdk.db.session.scalar(
        sdk.db.select(Lesson)
        .where(Lesson.module_id == module.id)
        .execution_options(ent_all_workspaces=True)
    )
    right, wrong = {}, {}
    for question in sdk.db.session.scalars(
        sdk.db.select(Question)
        .where(Question.assessment_id == quiz.id)
        .execution_options(ent_all_workspaces=True)
    ):
        choices = sdk.db.session.scalars(
            sdk.db.select(Choice)
            .where(Choice.question_id == question.id)
            .execution_options(ent_all_workspaces=True)
        ).all()
        right[str(question.id)] = sorted(c.id for c in choices if c.correct)
        wrong[str(question.id)] = [next(c.id for c in choices if not c.correct)]
    return Built(course.id, lesson.id, quiz.id, cohort.id, right, wrong)


def audited(action: str) -> list[Any]:
    """The audit events of ``action``, oldest first, read as an operator would: ``ent audit
    list --json`` (attributes ``subject``, ``details``, ``actor`` (an email), ``workspace``)."""
    import json
    from types import SimpleNamespace

    from flask import current_app

    result = current_app.test_cli_runner().invoke(
        args=["audit", "list", "--action", action, "--limit", "1000", "--json"]
    )
    assert result.exit_code == 0, result.output
    return [SimpleNamespace(**event) for event in reversed(json.loads(result.output))]


def finish_course(client: Any, api: Any, built: Built) -> None:
    """As a learner: enrol in the cohort, read the lesson and pass the quiz (the rule is met)."""
    client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    client.post(f"{BASE}/lessons/{built.lesson}/complete")
    attempt = api.post(f"{API}/quizzes/{built.quiz}/attempts").json
    api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.right})
