"""Certificates: issued exactly once (inline, threads, real workers), numbered, PDF with QR code,
expiry and revocation with a reason."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from ent_plugins.training.jobs import evaluate_enrolment
from ent_plugins.training.models import Certificate, Enrolment
from training_kit import API, BASE, build_course, finish_course

from ent_core import sdk


def _all(model):
    sdk.db.session.expire_all()
    return sdk.db.session.scalars(
        sdk.db.select(model).execution_options(ent_all_workspaces=True)
    ).all()


@pytest.fixture
def certificate(built, learner_client, learner_api):
    finish_course(learner_client, learner_api, built)
    [issued] = _all(Certificate)
    return issued


def test_a_failed_quiz_issues_nothing(built, learner_client, learner_api):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    learner_client.post(f"{BASE}/lessons/{built.lesson}/complete")
    attempt = learner_api.post(f"{API}/quizzes/{built.quiz}/attempts").json
    learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.wrong})
    assert _all(Certificate) == []


def test_running_the_job_again_issues_nothing_more(certificate, mail_outbox):
    [enrolment] = _all(Enrolment)
    assert evaluate_enrolment(enrolment.id) == certificate.number
    assert evaluate_enrolment(enrolment.id) == certificate.number
    assert len(_all(Certificate)) == 1
    assert len(mail_outbox) == 1


def test_two_concurrent_jobs_issue_one_certificate(
    app, built, learner_client, learner_api, monkeypatch, mail_outbox
):
    from ent_plugins.training import quiz, service

    for module in (quiz, service):  # no evaluation on the way: the threads will do it
        monkeypatch.setattr(module, "schedule_evaluation", lambda enrolment: None)
    finish_course(learner_client, learner_api, built)
    assert _all(Certificate) == []
    [enrolment] = _all(Enrolment)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                barrier.wait()
                results.append(evaluate_enrolment(enrolment.id))
                sdk.db.session.remove()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    [issued] = _all(Certificate)
    assert results == [issued.number, issued.number]
    assert len(mail_outbox) == 1  # only the job that inserted the row tells the learner


@pytest.mark.redis
def test_two_real_workers_issue_one_certificate(redis_jobs, built, learner_client, learner_api):
    finish_course(learner_client, learner_api, built)  # queues the evaluation job
    assert _all(Certificate) == []
    [enrolment] = _all(Enrolment)
    for n in range(4):  # the same work queued several times, as after retries
        sdk.enqueue(evaluate_enrolment, enrolment.id, job_id=f"again-{n}")
    workers = [redis_jobs.start_worker(burst=True) for _ in range(2)]
    for worker in workers:
        assert worker.wait() == 0, worker.output
    [issued] = _all(Certificate)
    assert issued.credential["proof"]


@pytest.mark.frozen_clock  # numbers carry the year: never the turn of one mid-test
def test_numbers_are_unique_and_not_sequential(centre, signed_in_client, make_user):
    from ent_plugins.training.certificates import new_number

    from ent_core.sdk import utcnow

    numbers = {new_number(utcnow()) for _ in range(200)}
    assert len(numbers) == 200
    assert all(n.startswith(str(utcnow().year) + "-") for n in numbers)


def test_status_indexes_are_never_reused(
    centre, signed_in_client, learner_client, learner_api, make_user
):
    from ent_plugins.training.certificates import allocate_status_index

    first = allocate_status_index()
    sdk.db.session.commit()
    second = allocate_status_index()
    sdk.db.session.rollback()  # an abandoned allocation
    third = allocate_status_index()
    sdk.db.session.commit()
    assert first < third and second != first


def test_the_certificate_expires_after_its_validity(
    centre, signed_in_client, learner_client, learner_api, api_client
):
    built = build_course(signed_in_client, validity="12")
    finish_course(learner_client, learner_api, built)
    [issued] = _all(Certificate)
    delta = issued.expires_at - issued.issued_at
    assert timedelta(days=364) <= delta <= timedelta(days=366)
    assert issued.status == "valid"
    assert issued.status_at(issued.expires_at + timedelta(seconds=1)) == "expired"


def test_the_learner_and_the_trainer_see_it_in_the_api(certificate, learner_api, api_client):
    mine = learner_api.get(f"{API}/certificates").json["items"]
    assert [c["number"] for c in mine] == [certificate.number]
    item = api_client.get(f"{API}/certificates/{certificate.id}").json
    assert item["recipient_name"] == "Layla Learner"
    assert item["status"] == "valid"
    assert (
        item["verify_url"] == f"http://localhost/s/cime/training/certificates/{certificate.number}"
    )
    assert item["credential_url"].endswith(f"/certificates/{certificate.number}/credential.json")


def test_revocation_needs_a_reason_and_a_trainer(certificate, learner_api, api_client):
    url = f"{API}/certificates/{certificate.id}/transitions"
    assert learner_api.post(url, json={"transition": "revoke", "reason": "x"}).status_code == 403
    assert api_client.post(url, json={"transition": "revoke"}).status_code == 422
    r = api_client.post(url, json={"transition": "revoke", "reason": "Plagiarism in the essay"})
    assert r.status_code == 200
    assert r.json["status"] == "revoked" and r.json["revoked_reason"] == "Plagiarism in the essay"
    again = api_client.post(url, json={"transition": "revoke", "reason": "again"})
    assert again.status_code == 409 and again.json["error"]["details"]["allowed"] == []


def test_the_pdf_carries_the_name_and_the_verification_link(certificate, learner_client):
    from pypdf import PdfReader

    r = learner_client.get(f"{BASE}/certificates/{certificate.id}/pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(r.data))
    text = reader.pages[0].extract_text()
    assert "Layla Learner" in text and certificate.number in text
    assert f"/s/cime/training/certificates/{certificate.number}" in text.replace("\n", "")
    assert len(reader.pages[0].images) == 1  # the QR code


def test_the_qr_code_encodes_the_verification_url(certificate):
    import segno
    from ent_plugins.training.certificates import verify_url

    qr = segno.make(verify_url(certificate), error="m")
    assert qr.designator  # encodable; the PDF test checks the image is there
    assert verify_url(certificate).startswith("http://localhost/s/cime/training/certificates/")


def test_someone_else_cannot_download_the_pdf(certificate, make_user, centre, app_ctx):
    from ent_core.testing import add_member, sign_in

    other = make_user("other@example.ma")
    add_member(centre, other, "member")
    client = sign_in(app_ctx.test_client(), other)
    assert client.get(f"{BASE}/certificates/{certificate.id}/pdf").status_code == 403


def _pdf_text(client, certificate, lang):
    from pypdf import PdfReader

    r = client.get(f"{BASE}/certificates/{certificate.id}/pdf?lang={lang}")
    assert r.status_code == 200
    return PdfReader(io.BytesIO(r.data)).pages[0].extract_text().replace("\u00a0", " ")


def test_the_arabic_pdf_reads_in_logical_order_with_a_latin_name(certificate, learner_client):
    # pypdf orders right-to-left runs as a reader would: unshaped text written left to right
    # (the old PDF) comes back reversed, "ةداهش".
    text = _pdf_text(learner_client, certificate, "ar")
    assert "شهادة" in text and "ةداهش" not in text
    assert "Layla Learner" in text
    assert certificate.number in text
    assert "?" not in text


def test_an_arabic_name_is_printed_joined_and_in_order(certificate, learner_client):
    with sdk.all_workspaces():
        certificate.recipient_name = "ليلى بنعلي"
        sdk.db.session.commit()
    for lang in ("ar", "fr"):
        text = _pdf_text(learner_client, certificate, lang)
        assert "ليلى بنعلي" in text
        assert "?" not in text
