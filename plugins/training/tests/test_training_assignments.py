"""Assignments: text or a checked file, graded by the trainer with feedback."""

from __future__ import annotations

import io

import pytest
from ent_plugins.training.models import Assessment, Submission
from training_kit import API, BASE

from ent_core import sdk


def _pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "My essay")
    return bytes(pdf.output())


def _assignment(client, course: int, kind: str = "text") -> int:
    r = client.post(
        f"{BASE}/courses/{course}/assessments/new",
        data={
            "kind": "assignment",
            "title": f"Essay ({kind})",
            "instructions": "Write 500 words.",
            "weight": "3",
            "submission_kind": kind,
        },
    )
    assert r.status_code == 302, r.data
    return int(r.headers["Location"].rsplit("/", 1)[1])


def _submission() -> Submission:
    sdk.db.session.expire_all()
    return sdk.db.session.scalar(
        sdk.db.select(Submission).execution_options(ent_all_workspaces=True)
    )


@pytest.fixture
def essay(built, signed_in_client, learner_client):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    return _assignment(signed_in_client, built.course)


def test_a_text_answer_is_handed_in(essay, learner_client):
    r = learner_client.post(
        f"{BASE}/assessments/{essay}/submission", data={"text": "Sources **matter**."}
    )
    assert r.status_code == 302
    page = learner_client.get(f"{BASE}/assessments/{essay}")
    assert "<strong>matter</strong>" in page.text


def test_an_empty_answer_is_refused_with_a_message(essay, learner_client):
    r = learner_client.post(f"{BASE}/assessments/{essay}/submission", data={"text": "  "})
    assert r.status_code == 422 and "form-errors" in r.text


def test_a_file_is_checked_by_its_content(built, signed_in_client, learner_client):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    essay = _assignment(signed_in_client, built.course, "file")
    fake = learner_client.post(
        f"{BASE}/assessments/{essay}/submission",
        data={"file": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "essay.pdf")},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 422
    real = learner_client.post(
        f"{BASE}/assessments/{essay}/submission",
        data={"file": (io.BytesIO(_pdf()), "essay.pdf")},
        content_type="multipart/form-data",
    )
    assert real.status_code == 302
    submission = _submission()
    assert submission.file_name == "essay.pdf"
    download = signed_in_client.get(f"{BASE}/submissions/{submission.id}/file")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")


def test_the_trainer_grades_with_feedback_and_the_certificate_follows(
    built, essay, learner_client, learner_api, signed_in_client
):
    learner_client.post(f"{BASE}/lessons/{built.lesson}/complete")
    attempt = learner_api.post(f"{API}/quizzes/{built.quiz}/attempts").json
    learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.right})
    learner_client.post(f"{BASE}/assessments/{essay}/submission", data={"text": "My essay."})
    # Quiz 100 (weight 1) but the essay waits for its grade: no certificate yet.
    assert learner_api.get(f"{API}/certificates").json["items"] == []
    submission = _submission()
    r = signed_in_client.post(
        f"{BASE}/submissions/{submission.id}/grade",
        data={"grade": "40", "feedback": "Cite *more* sources."},
    )
    assert r.status_code == 302
    # (100 * 1 + 40 * 3) / 4 = 55 >= 50
    [certificate] = learner_api.get(f"{API}/certificates").json["items"]
    assert certificate["grade"] == "55.00"
    page = learner_client.get(f"{BASE}/assessments/{essay}")
    assert "<em>more</em>" in page.text


def test_a_learner_cannot_grade(essay, learner_client):
    learner_client.post(f"{BASE}/assessments/{essay}/submission", data={"text": "Mine."})
    submission = _submission()
    r = learner_client.post(f"{BASE}/submissions/{submission.id}/grade", data={"grade": "100"})
    assert r.status_code == 403


def test_a_grade_out_of_range_is_refused(essay, learner_client, signed_in_client):
    learner_client.post(f"{BASE}/assessments/{essay}/submission", data={"text": "Mine."})
    submission = _submission()
    r = signed_in_client.post(f"{BASE}/submissions/{submission.id}/grade", data={"grade": "120"})
    assert r.status_code == 422


def test_graded_work_cannot_be_replaced(essay, learner_client, signed_in_client):
    learner_client.post(f"{BASE}/assessments/{essay}/submission", data={"text": "First."})
    signed_in_client.post(f"{BASE}/submissions/{_submission().id}/grade", data={"grade": "70"})
    learner_client.post(f"{BASE}/assessments/{essay}/submission", data={"text": "Second."})
    assert _submission().text == "First."
    with sdk.all_workspaces():
        assert sdk.db.session.get(Assessment, essay) is not None
