"""Workspace vetting through the API and the CLI."""

from __future__ import annotations

import io
import json
from urllib.parse import urlsplit

import pytest

from ent_core.audit import AuditEvent
from ent_core.db import db
from ent_core.testing import SAMPLE_IDENTIFIERS, sample_image, sample_pdf
from ent_core.workspaces.models import Workspace

EN = {"Accept-Language": "en"}
AE = SAMPLE_IDENTIFIERS["auto_entrepreneur"]


@pytest.fixture
def admin_api(make_user, make_api_client):
    return make_api_client(make_user("root@example.ma", admin=True))


def audit_event(action):
    return db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == action))


def create(api_client, **extra):
    body = {"slug": "atelier", "name": "Atelier", "kind": "auto_entrepreneur", **extra}
    return api_client.post("/api/v1/workspaces", json=body, headers=EN)


def upload(api_client, data, name="carte.pdf", slug="atelier"):
    return api_client.client.post(
        f"/api/v1/workspaces/{slug}/application/documents",
        data={"file": (io.BytesIO(data), name)},
        headers={"Authorization": f"Bearer {api_client.token}", **EN},
    )


def status_of(slug):
    db.session.expire_all()
    return db.session.scalar(db.select(Workspace.status).where(Workspace.slug == slug))


def test_a_workspace_created_through_the_api_is_pending(api_client):
    resp = create(api_client, identifiers=AE)

    assert resp.status_code == 201
    assert resp.json["status"] == "pending"
    application = api_client.get("/api/v1/workspaces/atelier/application", headers=EN).json
    assert application["identifiers"] == AE
    assert application["missing"] == ["Add at least one supporting document."]


def test_bad_identifiers_refuse_the_creation(api_client):
    resp = create(api_client, identifiers={"ae_number": "12", "cin": "BE123456"})

    assert resp.status_code == 422
    assert resp.json["error"]["code"] == "validation_error"
    assert list(resp.json["error"]["details"]["fields"]) == ["ae_number"]
    assert status_of("atelier") is None


def test_documents_are_uploaded_and_checked_by_content(api_client):
    create(api_client, identifiers=AE)

    resp = upload(api_client, sample_pdf(), "carte.pdf")
    assert resp.status_code == 201
    assert resp.json["content_type"] == "application/pdf"
    assert resp.json["url"].endswith(f"/application/documents/{resp.json['id']}")

    refused = upload(api_client, sample_image() + b"<script>x</script>", "photo.png")
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "upload_rejected"
    assert refused.json["error"]["details"]["reason"] == "polyglot"

    download = api_client.get(urlsplit(resp.json["url"]).path)
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert api_client.get("/api/v1/workspaces/atelier/application").json["missing"] == []


def test_a_document_is_removed_through_the_api(api_client, make_user, make_api_client):
    create(api_client, identifiers=AE)
    document_id = upload(api_client, sample_pdf()).json["id"]
    url = f"/api/v1/workspaces/atelier/application/documents/{document_id}"
    stranger = make_api_client(make_user("stranger@example.ma"))

    assert stranger.delete(url).status_code == 404
    assert api_client.delete(url).status_code == 204
    assert api_client.get(url).status_code == 404
    assert api_client.get("/api/v1/workspaces/atelier/application").json["documents"] == []


def test_a_pending_workspace_cannot_switch_plugins_on(api_client, make_workspace):
    make_workspace("waiting", status="pending")

    resp = api_client.put("/api/v1/workspaces/waiting/plugins/alpha")

    assert resp.status_code == 403
    assert resp.json["error"]["code"] == "workspace_not_approved"


def test_the_workspace_object_carries_its_status(api_client, make_workspace):
    make_workspace("waiting", status="pending")
    make_workspace("vetted")

    items = {w["slug"]: w["status"] for w in api_client.get("/api/v1/workspaces").json["items"]}

    assert items == {"waiting": "pending", "vetted": "approved"}


def test_admins_list_the_queue_and_approve(api_client, admin_api, mail_outbox, user):
    create(api_client, identifiers=AE)
    upload(api_client, sample_pdf())

    queue = admin_api.get("/api/v1/admin/workspaces").json["items"]
    assert [(a["workspace"], a["identifiers"]) for a in queue] == [("atelier", AE)]

    resp = admin_api.post("/api/v1/admin/workspaces/atelier/approval", json={"decision": "approve"})

    assert resp.status_code == 200
    assert resp.json["status"] == "approved"
    assert admin_api.get("/api/v1/admin/workspaces").json["items"] == []
    assert any(m["to"] == user.email for m in mail_outbox)
    assert api_client.put("/api/v1/workspaces/atelier/plugins/alpha").status_code == 200


def test_a_rejection_needs_a_reason_and_allows_a_resubmission(api_client, admin_api):
    create(api_client, identifiers=AE)
    url = "/api/v1/admin/workspaces/atelier/approval"

    resp = admin_api.post(url, json={"decision": "reject"}, headers=EN)
    assert resp.status_code == 422
    assert resp.json["error"]["details"]["fields"] == {
        "reason": ["Say why the application is rejected."]
    }

    resp = admin_api.post(url, json={"decision": "reject", "reason": "Carte illisible."})
    assert resp.json["status"] == "rejected"
    again = admin_api.post(url, json={"decision": "reject", "reason": "Encore."})
    assert again.status_code == 409
    assert again.json["error"]["code"] == "invalid_transition"

    resp = api_client.put(
        "/api/v1/workspaces/atelier/application", json={"identifiers": {**AE, "cin": "BK1234"}}
    )
    assert resp.status_code == 200
    assert (resp.json["status"], resp.json["submission_count"]) == ("pending", 2)
    assert resp.json["identifiers"]["cin"] == "BK1234"


def test_only_admins_decide(api_client, make_workspace):
    make_workspace("waiting", status="pending")

    resp = api_client.post(
        "/api/v1/admin/workspaces/waiting/approval", json={"decision": "approve"}
    )

    assert resp.status_code == 403
    assert api_client.get("/api/v1/admin/workspaces").status_code == 403
    assert status_of("waiting") == "pending"


def test_an_approved_application_is_closed(api_client, make_workspace):
    make_workspace("vetted")

    resp = api_client.put("/api/v1/workspaces/vetted/application", json={"identifiers": {}})

    assert resp.status_code == 409
    assert resp.json["error"]["code"] == "invalid_transition"


# -- CLI -------------------------------------------------------------------------------------


@pytest.fixture
def cli(app_ctx, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "BABEL_DEFAULT_LOCALE", "en")
    runner = app_ctx.test_cli_runner()

    def invoke(*args):
        db.session.commit()
        result = runner.invoke(args=list(args))
        db.session.expire_all()
        return result

    return invoke


def test_cli_approve(cli, make_workspace, mail_outbox, user):
    make_workspace("waiting", status="pending")

    result = cli("workspace", "approve", "waiting")

    assert result.exit_code == 0, result.output
    assert status_of("waiting") == "approved"
    event = audit_event("workspace.approved")
    assert event.actor_id is None
    assert [m["to"] for m in mail_outbox] == [user.email]


def test_cli_reject_with_a_reason(cli, make_workspace):
    make_workspace("waiting", status="pending")

    result = cli("workspace", "reject", "waiting", "--reason", "Documents manquants.")

    assert result.exit_code == 0, result.output
    assert status_of("waiting") == "rejected"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("approve", "nowhere"), "No workspace"),
        (("approve", "vetted"), "already approved"),
        (("reject", "waiting", "--reason", " "), "Say why"),
        (("reject", "waiting"), "--reason"),
    ],
)
def test_cli_refusals_exit_non_zero(cli, make_workspace, args, message):
    make_workspace("vetted")
    make_workspace("waiting", status="pending")

    result = cli("workspace", *args)

    assert result.exit_code != 0
    assert message in result.output
    assert status_of("waiting") == "pending"


def test_cli_create_is_pending_unless_approved(cli, user):
    cli("workspace", "create", "one", "--name", "One", "--kind", "media", "--owner", user.email)
    cli(
        "workspace", "create", "two", "--name", "Two", "--kind", "media",
        "--owner", user.email, "--approved",
    )  # fmt: skip

    assert (status_of("one"), status_of("two")) == ("pending", "approved")


def test_cli_lists_the_pending_workspaces(cli, make_workspace):
    make_workspace("vetted")
    make_workspace("waiting", status="pending")

    result = cli("workspace", "list", "--status", "pending", "--json")

    assert result.exit_code == 0, result.output
    assert [row["slug"] for row in json.loads(result.output)] == ["waiting"]
