"""Sanctions for charter breaches: reports, the admins' queue, suspended workspaces and accounts.

Arranged and checked through the public surface: the report form and API, the admin pages and
API, the CLI, and what members, visitors and API clients then see.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from ent_core.audit import AuditEvent
from ent_core.db import db, utcnow
from ent_core.jobs import enqueue
from ent_core.sanctions.models import CharterReport
from ent_core.testing import all_workspaces, in_workspace, pending_jobs, run_due_jobs, sign_in
from ent_core.workspaces.models import Workspace

RAN: list[str] = []


def remember(label: str) -> None:
    """A job that says it ran."""
    RAN.append(label)


@pytest.fixture
def acme(make_workspace):
    return make_workspace("acme", name="Acme News", plugins=("alpha",))


@pytest.fixture
def admin(make_user):
    return make_user("admin@example.ma", admin=True, name="Nadia Admin")


@pytest.fixture
def reporter(make_user):
    return make_user("reader@example.ma", name="Karim Reader")


def _status(slug: str = "acme") -> str:
    db.session.expire_all()
    return db.session.scalar(db.select(Workspace.status).where(Workspace.slug == slug))


def _file(client, reporter, **form):
    sign_in(client, reporter)
    data = {"reason": "accuracy", "details": "Invented quotes in three articles.", **form}
    return client.post("/reports/new?workspace=acme", data=data)


def test_report_queue_suspend_and_reinstate_end_to_end(
    app_ctx, acme, user, admin, reporter, make_api_client, mail_outbox
):
    user.locale = "ar"  # the owner reads Arabic: the mail follows
    db.session.commit()
    form = app_ctx.test_client().get("/reports/new?workspace=acme", headers={"Cookie": ""})
    assert form.status_code == 302  # signed-in people only

    resp = _file(
        app_ctx.test_client(), reporter, evidence_url="https://example.org/acme/article-12"
    )
    assert resp.status_code == 303

    desk = sign_in(app_ctx.test_client(), admin)
    listing = desk.get("/admin/reports/")
    assert listing.status_code == 200 and "Acme News" in listing.text
    report_id = db.session.scalar(db.select(CharterReport.id))
    page = desk.get(f"/admin/reports/{report_id}")
    assert "https://example.org/acme/article-12" in page.text
    assert "reader@example.ma" in page.text

    member = sign_in(app_ctx.test_client(), user)
    owner_api = make_api_client(user)
    assert member.get("/w/acme/").status_code == 200
    assert owner_api.get("/api/v1/workspaces/acme/alpha/ping").status_code == 200

    resp = desk.post(
        f"/admin/reports/{report_id}/decision",
        data={"action": "suspend", "reason": "Fabricated interviews, twice."},
    )
    assert resp.status_code == 303
    assert _status() == "suspended"
    mail = next(m for m in mail_outbox if m["to"] == user.email)
    assert "Acme News" in mail["subject"] and "Fabricated interviews, twice." in mail["text"]
    assert "contact@localhost" in mail["text"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in mail["subject"])  # in Arabic

    # Visitors: the public pages are gone.
    assert app_ctx.test_client().get("/s/acme/alpha/").status_code == 404
    # Members: every page of the members' area says why, and how to appeal.
    for path in ("/w/acme/", "/w/acme/alpha/"):
        page = member.get(path, headers={"Accept-Language": "fr"})
        assert page.status_code == 403
        assert "Fabricated interviews, twice." in page.text
        assert "mailto:contact@localhost" in page.text
    # API clients: 403 workspace_suspended, the workspace object still says why it stopped.
    refused = owner_api.get("/api/v1/workspaces/acme/alpha/ping")
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "workspace_suspended"
    assert owner_api.get("/api/v1/workspaces/acme").json["status"] == "suspended"
    switched = owner_api.put("/api/v1/workspaces/acme/plugins/beta")
    assert switched.status_code == 403
    assert switched.json["error"]["code"] == "workspace_suspended"
    report = make_api_client(admin).get(f"/api/v1/admin/reports/{report_id}").json
    assert (report["status"], report["outcome"]) == ("closed", "suspend")

    back = make_api_client(admin).delete(
        "/api/v1/admin/workspaces/acme/suspension", json={"reason": "Corrections published."}
    )
    assert back.status_code == 200 and back.json["status"] == "approved"
    assert app_ctx.test_client().get("/s/acme/alpha/").status_code == 200
    assert member.get("/w/acme/alpha/").status_code == 200
    assert owner_api.get("/api/v1/workspaces/acme/alpha/ping").status_code == 200
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert {"report.filed", "workspace.suspended", "workspace.reinstated"} <= set(actions)


def test_suspending_an_account_from_the_queue_stops_its_tokens_and_sessions_at_once(
    app_ctx, acme, admin, reporter, make_user, make_api_client, mail_outbox
):
    person = make_user("writer@example.ma", name="Youssef Writer")
    person.locale = "en"
    db.session.commit()
    session = sign_in(app_ctx.test_client(), person)
    token = make_api_client(person)
    assert token.get("/api/v1/me").status_code == 200

    filed = make_api_client(reporter).post(
        "/api/v1/reports",
        json={"person_id": person.id, "reason": "privacy", "details": "Published my address."},
    )
    assert filed.status_code == 201, filed.json
    queue = make_api_client(admin).get("/api/v1/admin/reports").json["items"]
    assert [r["person_id"] for r in queue] == [person.id]

    decided = make_api_client(admin).post(
        f"/api/v1/admin/reports/{filed.json['id']}/decision",
        json={"action": "suspend", "reason": "Doxxing a reader."},
    )
    assert decided.status_code == 200, decided.json
    refused = token.get("/api/v1/me")
    assert (refused.status_code, refused.json["error"]["code"]) == (401, "account_suspended")
    assert session.get("/workspaces").status_code in (302, 401)
    mail = next(m for m in mail_outbox if m["to"] == person.email)
    assert mail["subject"] == "Your account is suspended"
    assert "Doxxing a reader." in mail["text"]

    again = make_api_client(admin).post(
        f"/api/v1/admin/reports/{filed.json['id']}/decision",
        json={"action": "reinstate", "reason": "Second thoughts."},
    )
    assert (again.status_code, again.json["error"]["code"]) == (409, "invalid_transition")


def test_only_platform_administrators_see_the_queue(app_ctx, acme, user, reporter, make_api_client):
    _file(app_ctx.test_client(), reporter)
    report_id = db.session.scalar(db.select(CharterReport.id))
    member = sign_in(app_ctx.test_client(), user)
    assert member.get("/admin/reports/").status_code == 403
    assert member.get(f"/admin/reports/{report_id}").status_code == 403
    assert (
        member.post(
            f"/admin/reports/{report_id}/decision", data={"action": "dismiss", "reason": "x"}
        ).status_code
        == 403
    )
    api = make_api_client(user)
    for resp in (
        api.get("/api/v1/admin/reports"),
        api.get(f"/api/v1/admin/reports/{report_id}"),
        api.post("/api/v1/admin/workspaces/acme/suspension", json={"reason": "x"}),
    ):
        assert resp.status_code == 403
    assert app_ctx.test_client().get("/api/v1/admin/reports").status_code == 401
    assert _status() == "approved"


@pytest.mark.parametrize(
    "evidence", ["javascript:alert(1)", "ftp://example.org/x", "https://", "http://a b.ma/"]
)
def test_the_evidence_link_must_be_a_web_address(app_ctx, acme, reporter, evidence):
    resp = _file(app_ctx.test_client(), reporter, evidence_url=evidence)
    assert resp.status_code == 422
    assert "http://" in resp.text
    assert db.session.scalar(db.select(db.func.count(CharterReport.id))) == 0


def test_the_report_api_refuses_what_it_cannot_act_on(
    app_ctx, make_workspace, reporter, make_api_client
):
    make_workspace("waiting", status="pending")
    api = make_api_client(reporter)
    body = {"reason": "accuracy", "details": "x"}
    assert api.post("/api/v1/reports", json={**body, "workspace": "waiting"}).status_code == 404
    assert api.post("/api/v1/reports", json=body).status_code == 422  # names nothing
    bad = api.post("/api/v1/reports", json={**body, "workspace": "waiting", "reason": "rude"})
    assert bad.status_code == 422
    assert app_ctx.test_client().post("/api/v1/reports", json=body).status_code == 401
    assert app_ctx.test_client().get("/reports/new?person=forged").status_code in (302, 404)


def test_a_decision_needs_a_reason_and_a_closed_report_stays_closed(
    app_ctx, acme, admin, reporter, make_api_client
):
    _file(app_ctx.test_client(), reporter)
    report_id = db.session.scalar(db.select(CharterReport.id))
    desk = sign_in(app_ctx.test_client(), admin)
    resp = desk.post(f"/admin/reports/{report_id}/decision", data={"action": "suspend"})
    assert resp.status_code == 422
    assert _status() == "approved"
    api = make_api_client(admin)
    path = f"/api/v1/admin/reports/{report_id}/decision"
    assert api.post(path, json={"action": "warn", "reason": "  "}).status_code == 422
    dismissed = api.post(path, json={"action": "dismiss", "reason": "Opinion, not a breach."})
    assert dismissed.status_code == 200
    closed = desk.get("/admin/reports/?status=closed")
    assert f"report-{report_id}" in closed.text
    assert f"report-{report_id}" not in desk.get("/admin/reports/").text
    assert api.post(path, json={"action": "suspend", "reason": "x"}).status_code == 409
    assert _status() == "approved"


def test_a_suspended_workspace_jobs_do_not_run_until_it_is_reinstated(
    app, app_ctx, acme, admin, make_api_client
):
    RAN.clear()
    with in_workspace(acme):
        enqueue(remember, "before", at=utcnow() + timedelta(minutes=5))
    with all_workspaces():
        enqueue(remember, "platform", at=utcnow() + timedelta(minutes=5))
    assert len(pending_jobs(app)) == 2
    api = make_api_client(admin)
    assert (
        api.post("/api/v1/admin/workspaces/acme/suspension", json={"reason": "Spam."}).status_code
        == 200
    )
    run_due_jobs(app, now=utcnow() + timedelta(minutes=10))
    assert RAN == ["platform"]  # the platform's own job still runs

    api.delete("/api/v1/admin/workspaces/acme/suspension", json={"reason": "Cleaned up."})
    with in_workspace(acme):
        enqueue(remember, "after")
    assert RAN == ["platform", "after"]


def test_the_api_document_describes_the_sanctions(app_ctx):
    paths = app_ctx.test_client().get("/api/v1/openapi.json").json["paths"]
    assert "post" in paths["/api/v1/reports"]
    assert "get" in paths["/api/v1/admin/reports"]
    assert {"post", "delete"} <= set(paths["/api/v1/admin/workspaces/{slug}/suspension"])


def test_the_workspace_admin_page_suspends_and_reinstates_and_approval_cannot(app_ctx, acme, admin):
    desk = sign_in(app_ctx.test_client(), admin)
    assert "/admin/reports/" in desk.get("/admin/").text
    assert desk.post("/admin/workspaces/acme/suspension", data={"reason": ""}).status_code == 422
    assert _status() == "approved"
    resp = desk.post("/admin/workspaces/acme/suspension", data={"reason": "Spam."})
    assert resp.status_code == 303 and _status() == "suspended"
    page = desk.get("/admin/workspaces/acme")
    assert "/admin/workspaces/acme/approve" not in page.text  # no approval lifts a suspension
    refused = desk.post(
        "/admin/workspaces/acme/approve", headers={"Accept-Language": "en"}, follow_redirects=True
    )
    assert "reinstate it instead" in refused.text and _status() == "suspended"
    resp = desk.post("/admin/workspaces/acme/suspension", data={"reason": "Fixed."})
    assert resp.status_code == 303 and _status() == "approved"


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_the_report_and_suspension_pages_speak_the_reader_language(
    app_ctx, acme, user, reporter, admin, lang
):
    page = sign_in(app_ctx.test_client(), reporter).get(f"/reports/new?workspace=acme&lang={lang}")
    assert page.status_code == 200
    assert f'lang="{lang}"' in page.text and ('dir="rtl"' in page.text) == (lang == "ar")
    expected = {"fr": "Envoyer le signalement", "en": "Send the report", "ar": "إرسال التبليغ"}
    assert expected[lang] in page.text
    assert "<script>" not in page.text and "style=" not in page.text
    make = sign_in(app_ctx.test_client(), admin)
    make.post("/admin/workspaces/acme/suspension", data={"reason": "Spam."})
    shown = sign_in(app_ctx.test_client(), user).get(f"/w/acme/?lang={lang}")
    titles = {"fr": "Acme News est suspendu", "en": "Acme News is suspended", "ar": "تم تعليق"}
    assert shown.status_code == 403 and titles[lang] in shown.text


def test_a_person_is_reported_from_a_signed_link_and_reports_are_limited(
    app_ctx, acme, reporter, make_user, make_api_client
):
    from ent_core import sdk

    person = make_user("writer@example.ma", name="Youssef Writer")
    with app_ctx.test_request_context():
        link = sdk.report_url(person_id=person.id)
    assert f"person={person.id}&" not in f"{link}&"  # a signed token, never the bare id
    client = sign_in(app_ctx.test_client(), reporter)
    assert "Youssef Writer" in client.get(link).text
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    assert client.get(tampered).status_code == 404
    sent = client.post(link, data={"reason": "privacy", "details": "Published my address."})
    assert sent.status_code == 303
    report = db.session.scalar(db.select(CharterReport))
    assert (report.person_id, report.workspace_id, report.reporter_id) == (
        person.id,
        None,
        reporter.id,
    )

    api = make_api_client(reporter)
    body = {"workspace": "acme", "reason": "other", "details": "Again."}
    codes = [api.post("/api/v1/reports", json=body).status_code for _ in range(20)]
    assert codes == [201] * 19 + [429]  # 20 a day, the form's one included


def test_a_warning_is_mailed_and_changes_nothing_else(
    app_ctx, acme, user, admin, reporter, make_api_client, mail_outbox
):
    _file(app_ctx.test_client(), reporter)
    report_id = db.session.scalar(db.select(CharterReport.id))
    resp = make_api_client(admin).post(
        f"/api/v1/admin/reports/{report_id}/decision",
        json={"action": "warn", "reason": "Sign your sponsored articles."},
        headers={"Accept-Language": "fr"},
    )
    assert resp.status_code == 200 and resp.json["outcome"] == "warn"
    [mail] = [m for m in mail_outbox if m["to"] == user.email]
    assert mail["subject"] == "Avertissement concernant Acme News : la charte de déontologie"
    assert "Sign your sponsored articles." in mail["text"]
    assert _status() == "approved"
    assert "workspace.warned" in db.session.scalars(db.select(AuditEvent.action)).all()


def test_an_appeal_reinstates_the_account_of_a_closed_report(
    app_ctx, acme, admin, reporter, make_user, make_api_client, mail_outbox
):
    person = make_user("writer@example.ma", name="Youssef Writer")
    token = make_api_client(person)
    filed = make_api_client(reporter).post(
        "/api/v1/reports",
        json={"person_id": person.id, "reason": "privacy", "details": "Published my address."},
    )
    path = f"/api/v1/admin/reports/{filed.json['id']}/decision"
    make_api_client(admin).post(path, json={"action": "suspend", "reason": "Doxxing."})
    assert token.get("/api/v1/me").status_code == 401

    desk = sign_in(app_ctx.test_client(), admin)
    page = desk.get(f"/admin/reports/{filed.json['id']}")
    action = f"/admin/reports/{filed.json['id']}/reinstatement"
    assert action in page.text
    assert desk.post(action, data={"reason": ""}).status_code == 422
    assert desk.post(action, data={"reason": "Apologised and removed it."}).status_code == 303
    assert token.get("/api/v1/me").status_code == 200
    assert action not in desk.get(f"/admin/reports/{filed.json['id']}").text
    assert [m["subject"] for m in mail_outbox if m["to"] == person.email][-1] == (
        "Votre compte est rétabli"
    )
