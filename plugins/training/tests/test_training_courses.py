"""The thin slice end to end (course, cohort, enrolment, lesson, quiz, certificate, public
verification), then the pieces of a course."""

from __future__ import annotations

from ent_plugins.training.models import Certificate
from training_kit import API, BASE, build_course

from ent_core import sdk


def _certificates() -> list[Certificate]:
    sdk.db.session.expire_all()
    return sdk.db.session.scalars(
        sdk.db.select(Certificate).execution_options(ent_all_workspaces=True)
    ).all()


def test_a_learner_earns_a_certificate_anyone_can_verify(
    built, learner_client, learner_api, client, mail_outbox
):
    r = learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    assert r.status_code == 302
    assert learner_client.get(f"{BASE}/lessons/{built.lesson}").status_code == 200
    learner_client.post(f"{BASE}/lessons/{built.lesson}/complete")
    assert _certificates() == []  # the quiz is still to pass

    attempt = learner_api.post(f"{API}/quizzes/{built.quiz}/attempts").json
    assert (
        learner_api.post(
            f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.right}
        ).json["score"]
        == "100.00"
    )

    [certificate] = _certificates()
    assert certificate.recipient_name == "Layla Learner"
    assert [m["to"] for m in mail_outbox] == ["learner@example.ma"]

    client.cookie_jar.clear() if hasattr(client, "cookie_jar") else None
    page = client.get(f"/s/cime/training/certificates/{certificate.number}")
    assert page.status_code == 200
    assert "Layla Learner" in page.text and "Fact-checking" in page.text
    credential = client.get(f"/s/cime/training/certificates/{certificate.number}/credential.json")
    assert credential.status_code == 200
    assert credential.json["id"].endswith(f"/certificates/{certificate.number}")


def test_course_page_shows_its_outline(built, signed_in_client):
    page = signed_in_client.get(f"{BASE}/courses/{built.course}")
    assert page.status_code == 200
    assert "Basics" in page.text and "Final quiz" in page.text and "Autumn" in page.text


def test_a_learner_cannot_read_lessons_before_enrolling(built, learner_client):
    assert learner_client.get(f"{BASE}/lessons/{built.lesson}").status_code == 403


def test_a_plain_member_cannot_create_a_course(centre, learner_client):
    r = learner_client.post(f"{BASE}/courses/new", data={"title": "Mine", "pass_mark": "50"})
    assert r.status_code == 403


def test_an_invalid_course_form_says_what_to_fix(centre, signed_in_client):
    r = signed_in_client.post(
        f"{BASE}/courses/new", data={"title": "", "pass_mark": "150", "programme_id": "0"}
    )
    assert r.status_code == 422
    assert "form-errors" in r.text


def test_lesson_markdown_is_sanitised(centre, signed_in_client, learner_client):
    built = build_course(signed_in_client)
    r = signed_in_client.post(
        f"{BASE}/lessons/{built.lesson}/edit",
        data={
            "title": "Sources",
            "body": "<script>alert(1)</script> **bold**",
            "video_url": "https://video.example.ma/v/1",
        },
    )
    assert r.status_code == 302
    page = signed_in_client.get(f"{BASE}/lessons/{built.lesson}")
    assert "<script>" not in page.text and "<strong>bold</strong>" in page.text
    assert "https://video.example.ma/v/1" in page.text


def test_a_video_link_must_be_https(built, signed_in_client):
    r = signed_in_client.post(
        f"{BASE}/lessons/{built.lesson}/edit",
        data={"title": "Sources", "video_url": "javascript:alert(1)"},
    )
    assert r.status_code == 422


def test_api_lists_and_creates_courses(centre, api_client):
    r = api_client.post(f"{API}/courses", json={"title": "Data journalism", "pass_mark": "60"})
    assert r.status_code == 201, r.json
    assert r.json["pass_mark"] == "60.00"
    listed = api_client.get(f"{API}/courses").json
    assert [c["title"] for c in listed["items"]] == ["Data journalism"]
    assert listed["next_cursor"] is None


def test_a_lesson_attachment_is_checked_and_served_to_learners(
    built, signed_in_client, learner_client
):
    import io

    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    fake = signed_in_client.post(
        f"{BASE}/lessons/{built.lesson}/edit",
        data={
            "title": "Sources",
            "attachment": (io.BytesIO(b"<html>not a pdf</html>"), "notes.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert fake.status_code == 422
    r = signed_in_client.post(
        f"{BASE}/lessons/{built.lesson}/edit",
        data={"title": "Sources", "attachment": (io.BytesIO(bytes(pdf.output())), "notes.pdf")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    url = f"{BASE}/lessons/{built.lesson}/attachment"
    assert learner_client.get(url).status_code == 403  # not enrolled yet
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    download = learner_client.get(url)
    assert download.status_code == 200 and download.data.startswith(b"%PDF")


def test_programmes_group_courses(centre, signed_in_client):
    r = signed_in_client.post(f"{BASE}/programmes/new", data={"title": "Digital journalism"})
    assert r.status_code == 302
    programme_id = int(r.headers["Location"].rsplit("/", 1)[1])
    signed_in_client.post(
        f"{BASE}/courses/new",
        data={"title": "Verification", "programme_id": str(programme_id), "pass_mark": "50"},
    )
    page = signed_in_client.get(f"{BASE}/programmes/{programme_id}")
    assert "Verification" in page.text


def test_the_training_area_is_in_the_navigation_and_the_dashboard(centre, learner_client):
    page = learner_client.get("/w/cime/")
    assert "/w/cime/training/" in page.text
    assert learner_client.get(f"{BASE}/").status_code == 200


def test_the_pages_render_in_arabic(built, signed_in_client):
    for path in (
        "/",
        f"/courses/{built.course}",
        f"/cohorts/{built.cohort}",
        f"/assessments/{built.quiz}",
        f"/cohorts/{built.cohort}/gradebook",
    ):
        page = signed_in_client.get(f"{BASE}{path}?lang=ar")
        assert page.status_code == 200, path
        assert 'dir="rtl"' in page.text


def test_every_page_of_a_running_course_renders(
    built, signed_in_client, learner_client, learner_api, client
):
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    learner_client.post(f"{BASE}/lessons/{built.lesson}/complete")
    attempt = learner_api.post(f"{API}/quizzes/{built.quiz}/attempts").json
    learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.right})
    [certificate] = learner_api.get(f"{API}/certificates").json["items"]
    r = signed_in_client.post(
        f"{BASE}/cohorts/{built.cohort}/sessions/new",
        data={"title": "Day 1", "starts_at": "2026-09-01T09:00"},
    )
    session_url = r.headers["Location"]
    trainer_pages = [
        "/",
        "/programmes/new",
        "/courses/new",
        f"/courses/{built.course}",
        f"/courses/{built.course}/edit",
        f"/courses/{built.course}/modules/new",
        f"/courses/{built.course}/assessments/new",
        f"/courses/{built.course}/cohorts/new",
        f"/lessons/{built.lesson}",
        f"/lessons/{built.lesson}/edit",
        f"/assessments/{built.quiz}",
        f"/assessments/{built.quiz}/questions/new",
        f"/cohorts/{built.cohort}",
        f"/cohorts/{built.cohort}/gradebook",
        f"/cohorts/{built.cohort}/mail",
        f"/cohorts/{built.cohort}/sessions/new",
        "/certificates/",
        f"/certificates/{certificate['id']}",
        "/badges",
    ]
    for path in trainer_pages:
        assert signed_in_client.get(f"{BASE}{path}").status_code == 200, path
    assert signed_in_client.get(session_url).status_code == 200
    learner_pages = [
        "/",
        f"/courses/{built.course}",
        f"/cohorts/{built.cohort}",
        f"/assessments/{built.quiz}",
        f"/attempts/{attempt['id']}",
        f"/certificates/{certificate['id']}",
        "/certificates/",
    ]
    for path in learner_pages:
        assert learner_client.get(f"{BASE}{path}").status_code == 200, path
    for path in ("/", f"/courses/{built.course}"):
        assert client.get(f"/s/cime/training{path}").status_code == 200, path


def test_a_trainer_changes_an_assessments_weight(built, signed_in_client):
    url = f"{BASE}/assessments/{built.quiz}/edit"
    assert signed_in_client.get(url).status_code == 200
    r = signed_in_client.post(
        url,
        data={
            "title": "Final quiz",
            "weight": "2.5",
            "max_attempts": "3",
            "submission_kind": "text",
        },
    )
    assert r.status_code == 302
    page = signed_in_client.get(f"{BASE}/courses/{built.course}")
    assert "2.50" in page.text
    assert signed_in_client.post(url, data={"title": "", "weight": "-1"}).status_code == 422


def test_pages_speak_french_by_default(built, signed_in_client):
    page = signed_in_client.get(f"{BASE}/courses/{built.course}")
    assert "Comment obtenir le certificat" in page.text


def test_the_dashboard_lists_the_courses_i_teach(built, signed_in_client):
    page = signed_in_client.get("/w/cime/")
    assert "Fact-checking" in page.text


def test_the_dashboard_lists_my_enrolments_and_certificates(built, learner_client, learner_api):
    assert "Fact-checking" not in learner_client.get("/w/cime/").text
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    page = learner_client.get("/w/cime/").text
    assert f'href="/w/cime/training/cohorts/{built.cohort}">Fact-checking</a>' in page
    assert "Inscrit" in page
    learner_client.post(f"{BASE}/lessons/{built.lesson}/complete")
    attempt = learner_api.post(f"{API}/quizzes/{built.quiz}/attempts").json
    learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.right})
    [certificate] = learner_api.get(f"{API}/certificates").json["items"]
    page = learner_client.get("/w/cime/").text
    link = f'href="/w/cime/training/certificates/{certificate["id"]}">Fact-checking</a>'
    assert link in page
    assert 'class="badge ok">Valide</span>' in page.split(link, 1)[1].split("</li>", 1)[0]


def test_a_trainer_deletes_a_lesson_and_a_module(built, signed_in_client):
    assert signed_in_client.post(f"{BASE}/lessons/{built.lesson}/delete").status_code == 302
    assert signed_in_client.get(f"{BASE}/lessons/{built.lesson}").status_code == 404
    page = signed_in_client.get(f"{BASE}/courses/{built.course}")
    module_id = page.text.split("/modules/")[1].split("/")[0]
    assert signed_in_client.post(f"{BASE}/modules/{module_id}/delete").status_code == 302
    assert "Basics" not in signed_in_client.get(f"{BASE}/courses/{built.course}").text


def test_questions_are_frozen_once_the_quiz_was_taken(
    built, signed_in_client, learner_client, learner_api
):
    first = next(iter(built.right))
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    learner_api.post(f"{API}/quizzes/{built.quiz}/attempts")
    signed_in_client.post(f"{BASE}/questions/{first}/delete")
    page = signed_in_client.get(f"{BASE}/assessments/{built.quiz}")
    assert "Capital of Morocco?" in page.text


def test_a_question_of_an_untaken_quiz_can_be_deleted(built, signed_in_client):
    first = next(iter(built.right))
    assert signed_in_client.post(f"{BASE}/questions/{first}/delete").status_code == 302
    page = signed_in_client.get(f"{BASE}/assessments/{built.quiz}")
    assert "Capital of Morocco?" not in page.text
