"""Workspace vetting through the pages: apply, wait, get reviewed, correct, resubmit."""

from __future__ import annotations

import io

import pytest

from ent_core.audit import AuditEvent
from ent_core.db import db
from ent_core.testing import (
    SAMPLE_IDENTIFIERS,
    add_member,
    all_workspaces,
    sample_image,
    sample_pdf,
    sign_in,
)
from ent_core.workspaces.models import ApplicationDocument, Workspace, WorkspaceApplication

EN = {"Accept-Language": "en"}


def audit_event(action):
    return db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == action))


def apply(client, kind="auto_entrepreneur", slug="atelier-amina", files=None, **fields):
    data = {"name": "Atelier Amina", "slug": slug, "kind": kind, "sectors": ["it"]}
    data.update(SAMPLE_IDENTIFIERS[kind])
    data["documents"] = (
        files if files is not None else [(io.BytesIO(sample_pdf("Carte AE")), "carte-ae.pdf")]
    )
    data.update(fields)
    return client.post("/workspaces/new", data=data, headers=EN)


def workspace_named(slug):
    db.session.expire_all()
    return db.session.scalar(db.select(Workspace).where(Workspace.slug == slug))


@pytest.fixture
def admin(make_user):
    return make_user("root@example.ma", admin=True)


@pytest.fixture
def admin_client(app_ctx, admin):
    return sign_in(app_ctx.test_client(), admin)


@pytest.fixture
def pending(make_workspace, user):
    """A pending auto-entrepreneur workspace with its application, as the form leaves it."""
    from ent_core.workspaces import vetting

    ws = make_workspace("atelier", kind="auto_entrepreneur", status="pending")
    vetting.submit_application(
        ws,
        identifiers=SAMPLE_IDENTIFIERS["auto_entrepreneur"],
        documents=[sample_pdf("CIN")],
        actor=user,
    )
    return ws


# -- applying -------------------------------------------------------------------------------


def test_applying_creates_a_pending_workspace_with_its_application(signed_in_client, user):
    resp = apply(signed_in_client)

    assert resp.status_code == 303
    ws = workspace_named("atelier-amina")
    assert ws.status == "pending"
    with all_workspaces():
        application = db.session.scalar(db.select(WorkspaceApplication))
    assert application.identifiers == {"ae_number": "2024123456", "cin": "BE123456"}
    assert [d.original_name for d in application.documents] == ["carte-ae.pdf"]
    assert application.documents[0].content_type == "application/pdf"
    page = signed_in_client.get("/w/atelier-amina/", headers=EN).get_data(as_text=True)
    assert "Your application is awaiting approval" in page
    assert "Nothing is missing" in page


def test_identifiers_are_normalised(signed_in_client):
    apply(signed_in_client, ae_number="2024 123 456", cin="be 123456")

    with all_workspaces():
        application = db.session.scalar(db.select(WorkspaceApplication))
    assert application.identifiers == {"ae_number": "2024123456", "cin": "BE123456"}


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        ("media", "ice", "00123456700008", "The ICE has exactly 15 digits."),
        ("media", "ice", "00123456700008A", "The ICE has exactly 15 digits."),
        ("media", "rc_number", "RC-12", "1 to 8 digits"),
        ("auto_entrepreneur", "ae_number", "12", "5 to 20 digits"),
        ("auto_entrepreneur", "cin", "123456", "one or two letters"),
        ("auto_entrepreneur", "cin", "", "This information is required."),
        ("association", "receipt_date", "2999-01-01", "a real date in the past"),
        ("association", "receipt_date", "12/03/2019", "a real date in the past"),
        ("association", "receipt_number", "", "This information is required."),
        ("training_centre", "accreditation_number", "#!", "3 to 40 letters"),
    ],
)
def test_identifiers_are_checked_for_format(signed_in_client, kind, field, value, message):
    resp = apply(signed_in_client, kind=kind, **{field: value})

    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-errors"' in page
    assert db.session.scalar(db.select(db.func.count(Workspace.id))) == 0


def test_only_the_chosen_kinds_identifiers_are_required(signed_in_client):
    resp = apply(signed_in_client, kind="training_centre", ice="", cin="nonsense")

    assert resp.status_code == 303
    with all_workspaces():
        application = db.session.scalar(db.select(WorkspaceApplication))
    assert application.identifiers == {"accreditation_number": "OFP-2021/114"}


def test_a_document_is_required(signed_in_client):
    resp = apply(signed_in_client, files=[])

    assert resp.status_code == 422
    assert "Add at least one supporting document." in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Workspace.id))) == 0


def test_a_fake_document_is_refused_by_content(signed_in_client):
    fake = (io.BytesIO(b"<html><script>alert(1)</script></html>"), "statuts.pdf")

    resp = apply(signed_in_client, files=[fake])

    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "statuts.pdf: This type of file is not accepted." in page
    assert 'id="documents-errors"' in page
    assert db.session.scalar(db.select(db.func.count(Workspace.id))) == 0


def test_the_form_shows_every_kinds_identifiers_without_javascript(signed_in_client):
    page = signed_in_client.get("/workspaces/new", headers=EN).get_data(as_text=True)

    for group in ("media", "auto_entrepreneur", "association", "training_centre"):
        assert f'data-identifiers-for="{group}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page and "multiple" in page


# -- until approval -------------------------------------------------------------------------


def test_a_pending_workspace_cannot_switch_modules_on(signed_in_client, pending):
    page = signed_in_client.get("/w/atelier/modules", headers=EN).get_data(as_text=True)
    assert "must be approved before modules can be switched on" in page

    resp = signed_in_client.post("/w/atelier/modules/alpha/on", headers=EN, follow_redirects=True)

    assert "must be approved before modules can be switched on" in resp.get_data(as_text=True)
    assert "alpha" not in signed_in_client.application.extensions["ent"].enabled_for(pending)


def test_public_pages_answer_404_until_approval(client, make_workspace):
    ws = make_workspace("acme", plugins=("alpha",))
    assert client.get("/s/acme/alpha/").status_code == 200

    ws.status = "pending"
    db.session.commit()

    assert client.get("/s/acme/alpha/").status_code == 404


def test_the_dashboard_says_what_is_missing(signed_in_client, make_workspace):
    make_workspace("bare", status="pending")

    page = signed_in_client.get("/w/bare/", headers=EN).get_data(as_text=True)

    assert "Give the legal identifiers of your organisation." in page
    assert "Add at least one supporting document." in page
    assert 'href="/w/bare/application"' in page


# -- the admins' review ---------------------------------------------------------------------


def test_the_queue_lists_pending_applications_first(admin_client, pending, make_workspace, user):
    from ent_core.workspaces import vetting

    make_workspace("old-news", status="approved")
    later = make_workspace("later", kind="media", status="pending")
    vetting.submit_application(
        later, identifiers=SAMPLE_IDENTIFIERS["media"], documents=[sample_image()], actor=user
    )

    page = admin_client.get("/admin/workspaces/", headers=EN).get_data(as_text=True)

    assert "2 applications await a decision." in page
    assert page.index('id="application-atelier"') < page.index('id="application-later"')
    assert "2024123456 · BE123456" in page
    assert "old-news" not in page  # approved without an application: nothing to review


def test_the_review_page_shows_identifiers_and_documents(admin_client, pending):
    page = admin_client.get("/admin/workspaces/atelier", headers=EN).get_data(as_text=True)

    assert "Auto-entrepreneur registration number" in page and "2024123456" in page
    with all_workspaces():
        document = db.session.scalar(db.select(ApplicationDocument))
    link = f"/admin/workspaces/atelier/documents/{document.id}"
    assert link in page
    resp = admin_client.get(link)
    assert resp.status_code == 200
    assert resp.mimetype == "application/pdf"
    assert resp.data.startswith(b"%PDF-")
    assert audit_event("admin.application_document_read").subject == f"document:{document.id}"


def test_only_platform_admins_reach_the_queue(signed_in_client, pending):
    assert signed_in_client.get("/admin/workspaces/").status_code == 403
    assert signed_in_client.get("/admin/workspaces/atelier").status_code == 403
    assert signed_in_client.post("/admin/workspaces/atelier/approve").status_code == 403


def test_approving_lets_the_workspace_in_and_tells_the_owner(
    admin_client, signed_in_client, pending, user, admin, mail_outbox
):
    user.locale = "ar"
    db.session.commit()

    resp = admin_client.post("/admin/workspaces/atelier/approve", headers=EN)

    assert resp.status_code == 303
    assert workspace_named("atelier").status == "approved"
    event = audit_event("workspace.approved")
    assert (event.subject, event.actor_id) == ("atelier", admin.id)
    [mail] = [m for m in mail_outbox if m["to"] == user.email]
    assert "Atelier" in mail["subject"] and "تمت الموافقة" in mail["subject"]
    signed_in_client.post("/w/atelier/modules/alpha/on")
    assert "alpha" in signed_in_client.application.extensions["ent"].enabled_for(pending)


def test_the_mail_speaks_the_language_the_application_was_written_in(
    signed_in_client, admin_client, user, mail_outbox
):
    assert user.locale is None
    data = {"name": "Atelier", "slug": "atelier-ar", "kind": "auto_entrepreneur"}
    data.update(SAMPLE_IDENTIFIERS["auto_entrepreneur"])
    data["documents"] = [(io.BytesIO(sample_pdf()), "carte.pdf")]
    signed_in_client.post("/workspaces/new?lang=ar", data=data)

    admin_client.post("/admin/workspaces/atelier-ar/reject", data={"reason": "Carte illisible."})

    [mail] = [m for m in mail_outbox if m["to"] == user.email]
    assert mail["subject"] == "لم تتم الموافقة على فضاء عملك Atelier"
    assert "Carte illisible." in mail["text"]


def test_rejecting_needs_a_reason(admin_client, pending, mail_outbox):
    resp = admin_client.post("/admin/workspaces/atelier/reject", data={"reason": "  "}, headers=EN)

    assert resp.status_code == 422
    assert "Say why the application is rejected." in resp.get_data(as_text=True)
    assert workspace_named("atelier").status == "pending"
    assert mail_outbox == []


def test_a_rejected_applicant_reads_the_reason_corrects_and_resubmits(
    admin_client, signed_in_client, pending, user, mail_outbox
):
    reason = "La CIN ne correspond pas à la carte d'auto-entrepreneur."
    resp = admin_client.post("/admin/workspaces/atelier/reject", data={"reason": reason})
    assert resp.status_code == 303
    assert workspace_named("atelier").status == "rejected"
    [mail] = [m for m in mail_outbox if m["to"] == user.email]
    assert reason in mail["text"] and "/w/atelier/application" in mail["text"]
    event = audit_event("workspace.rejected")
    assert event.details["reason"] == reason

    page = signed_in_client.get("/w/atelier/", headers=EN).get_data(as_text=True)
    assert "Your application was not approved" in page and "La CIN ne correspond pas" in page

    resp = signed_in_client.post(
        "/w/atelier/application",
        data={
            "ae_number": "2024123456",
            "cin": "BE654321",
            "documents": [(io.BytesIO(sample_image("JPEG")), "cin.jpg")],
        },
        headers=EN,
    )
    assert resp.status_code == 303
    ws = workspace_named("atelier")
    assert ws.status == "pending"
    with all_workspaces():
        application = db.session.scalar(db.select(WorkspaceApplication))
    assert application.identifiers["cin"] == "BE654321"
    assert application.submission_count == 2
    assert application.decision_reason == ""
    assert len(application.documents) == 2
    assert db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "workspace.application_resubmitted")
    )


def test_a_pending_application_can_be_completed_but_not_a_closed_one(
    signed_in_client, admin_client, pending
):
    resp = signed_in_client.post(
        "/w/atelier/application", data={"ae_number": "123", "cin": "BE123456"}, headers=EN
    )
    assert resp.status_code == 422
    assert "5 to 20 digits" in resp.get_data(as_text=True)

    admin_client.post("/admin/workspaces/atelier/approve")
    page = signed_in_client.get("/w/atelier/application", headers=EN).get_data(as_text=True)
    assert "its application is closed" in page
    assert 'type="file"' not in page


# -- who sees the documents -----------------------------------------------------------------


def _document_url(workspace_slug="atelier"):
    with all_workspaces():
        document = db.session.scalar(db.select(ApplicationDocument))
    return f"/w/{workspace_slug}/application/documents/{document.id}"


def test_owners_open_their_documents(signed_in_client, pending):
    resp = signed_in_client.get(_document_url())

    assert resp.status_code == 200
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_has_no_page_policy_so_the_browser_viewer_works(signed_in_client, pending):
    """Chromium's PDF viewer draws with inline styles: the page policy on a PDF blanks it."""
    resp = signed_in_client.get(_document_url())

    assert resp.mimetype == "application/pdf"
    assert "Content-Security-Policy" not in resp.headers
    assert resp.headers["X-Frame-Options"] == "DENY"


def test_plain_members_and_strangers_cannot_open_documents(client, pending, make_user):
    member = make_user("member@example.ma")
    add_member(pending, member, "member")
    url = _document_url()

    assert sign_in(client, member).get(url).status_code == 403
    stranger = make_user("stranger@example.ma")
    assert sign_in(client, stranger).get(url).status_code == 404


def test_another_workspaces_document_id_is_not_found(signed_in_client, pending, make_workspace):
    make_workspace("mine", status="pending")

    assert signed_in_client.get(_document_url("mine")).status_code == 404


def test_a_wrong_document_is_removed_while_the_application_is_open(
    signed_in_client, admin_client, pending
):
    url = _document_url()
    document_id = int(url.rsplit("/", 1)[1])

    resp = signed_in_client.post(f"{url}/remove", headers=EN)

    assert resp.status_code == 303
    with all_workspaces():
        assert db.session.scalar(db.select(db.func.count(ApplicationDocument.id))) == 0
    assert audit_event("workspace.application_document_removed").subject == (
        f"document:{document_id}"
    )
    page = signed_in_client.get("/w/atelier/", headers=EN).get_data(as_text=True)
    assert "Add at least one supporting document." in page


def test_documents_of_an_approved_application_stay(signed_in_client, admin_client, pending):
    admin_client.post("/admin/workspaces/atelier/approve")

    signed_in_client.post(f"{_document_url()}/remove", headers=EN)

    with all_workspaces():
        assert db.session.scalar(db.select(db.func.count(ApplicationDocument.id))) == 1


# -- the test kit ---------------------------------------------------------------------------


def test_make_workspace_gives_approved_workspaces_unless_asked(make_workspace):
    assert make_workspace("vetted").status == "approved"
    assert make_workspace("waiting", status="pending").status == "pending"


def test_of_two_decisions_taken_at_once_only_the_first_counts(pending, admin, mail_outbox):
    from ent_core.workspaces import vetting
    from ent_core.workspaces.service import WorkspaceError

    with db.engine.begin() as other_admin:  # decided in another request meanwhile
        other_admin.execute(
            db.update(Workspace).where(Workspace.id == pending.id).values(status="rejected")
        )
    assert pending.status == "pending"  # this request still sees the old state

    with pytest.raises(WorkspaceError) as refused:
        vetting.approve(pending, actor=admin)

    assert refused.value.code == "invalid_transition"
    assert workspace_named("atelier").status == "rejected"
    assert audit_event("workspace.approved") is None
    assert mail_outbox == []
