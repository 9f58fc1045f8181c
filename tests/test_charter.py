"""The ethics charter: reading, signing, the gate, new versions, export, API and CLI."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from flask import request_started

from ent_core.charter import service
from ent_core.charter.models import CharterSignature, SignatureIsPermanent
from ent_core.db import db
from ent_core.testing import sign_in


@pytest.fixture
def newcomer(make_user):
    """A verified user who has not signed the charter yet."""
    return make_user("newcomer@example.ma", sign_charter=False)


def test_default_charter_is_published_in_three_languages(client):
    current = service.current_version()
    assert current.version == service.DEFAULT_VERSION
    assert {t.language for t in current.texts} == {"fr", "en", "ar"}
    page = client.get("/charter/?lang=ar").get_data(as_text=True)
    assert "ميثاق" in page and 'dir="rtl"' in page


def test_unsigned_user_is_sent_to_the_charter_from_every_members_page(
    app, client, newcomer, workspace
):
    from ent_core.workspaces.models import Membership

    db.session.add(Membership(workspace_id=workspace.id, user_id=newcomer.id, role="member"))
    db.session.commit()
    sign_in(client, newcomer)
    gated, reached, checked = [], [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments - {"workspace"}:
            continue
        if (
            rule.rule.startswith(
                ("/api/", "/s/", "/auth/", "/charter", "/static", "/healthz", "/readyz", "/portal/")
            )
            or rule.rule == "/"
        ):
            continue
        owner = app.blueprints.get(rule.endpoint.rpartition(".")[0])
        if getattr(owner, "public_pages", False):  # a plugin's public pages and feeds
            continue
        url = rule.rule.replace("<workspace>", "acme")
        with request_started.connected_to(lambda sender, **_: reached.append(sender), app):
            resp = client.get(url)
        if not reached:  # answered before Flask by a plugin's ``ent_wsgi_middleware``
            continue
        reached.clear()
        if resp.status_code == 404:  # a switched-off plugin's page
            continue
        checked.append(url)
        if resp.status_code != 302 or "/charter/" not in resp.headers["Location"]:
            gated.append(f"{url} -> {resp.status_code}")
    assert not gated, gated
    assert len(checked) > 20, checked  # the walk still reaches the members' pages


def test_open_pages_stay_open_before_signing(client, newcomer):
    sign_in(client, newcomer)
    for url in ("/", "/charter/", "/healthz", "/api/v1/openapi.json", "/portal/"):
        assert client.get(url).status_code == 200, url
    assert client.post("/auth/sign-out").status_code in (302, 303)


def test_api_answers_charter_required_with_the_link(make_api_client, newcomer):
    api = make_api_client(newcomer)
    resp = api.get("/api/v1/workspaces")
    assert resp.status_code == 403
    error = resp.json["error"]
    assert error["code"] == "charter_required"
    assert error["details"]["charter_url"].endswith("/charter/")
    assert api.get("/api/v1/me").status_code == 200


def test_signing_through_the_page_records_the_exact_text(client, newcomer):
    sign_in(client, newcomer)
    refused = client.post("/charter/sign", data={"version": service.DEFAULT_VERSION})
    assert refused.status_code == 422  # the box was not ticked
    resp = client.post(
        "/charter/sign?lang=fr",
        data={"accept": "y", "version": service.DEFAULT_VERSION, "next": "/workspaces"},
    )
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/workspaces")
    signature = db.session.scalar(db.select(CharterSignature))
    fr_text = service.text_for(service.current_version(), "fr").body
    assert signature.text_sha256 == hashlib.sha256(fr_text.encode("utf-8")).hexdigest()
    assert signature.user_agent.startswith("Werkzeug/")  # the test client's browser
    assert signature.ip_address == "127.0.0.1"
    assert client.get("/workspaces").status_code == 200


def test_api_read_and_sign(make_api_client, newcomer):
    api = make_api_client(newcomer)
    charter = api.get("/api/v1/charter").json
    assert charter["signed"] is False and charter["signed_at"] is None
    assert charter["sha256"] == hashlib.sha256(charter["text"].encode("utf-8")).hexdigest()
    wrong = api.post("/api/v1/charter/signatures", json={"version": "1999.1"})
    assert wrong.status_code == 409
    assert wrong.json["error"]["code"] == "charter_version_mismatch"
    created = api.post("/api/v1/charter/signatures", json={"version": charter["version"]})
    assert created.status_code == 201
    assert created.json["sha256"] == charter["sha256"]
    again = api.post("/api/v1/charter/signatures", json={"version": charter["version"]})
    assert again.status_code == 200
    assert api.get("/api/v1/charter").json["signed"] is True
    assert api.get("/api/v1/workspaces").status_code == 200


def test_a_new_version_asks_everyone_again_and_shows_the_differences(client, user, make_user):
    admin = make_user("admin@example.ma", admin=True)
    current = service.current_version()
    texts = {t.language: t.body for t in current.texts}
    texts["fr"] = texts["fr"].replace(
        "## 9. Vie de la plateforme", "## 9. Vie de la plateforme et signalements"
    )
    service.publish("2027.1", texts, summary="Signalements", actor=admin)
    sign_in(client, user)
    resp = client.get("/workspaces")
    assert resp.status_code == 302 and "/charter/" in resp.headers["Location"]
    page = client.get("/charter/?lang=fr").get_data(as_text=True)
    assert "<ins>+ ## 9. Vie de la plateforme et signalements</ins>" in page
    assert "<del>- ## 9. Vie de la plateforme</del>" in page
    assert "Signalements" in page


def test_admin_publishes_and_exports_signatories(client, user, make_user):
    admin = make_user("admin@example.ma", admin=True)
    sign_in(client, user)
    assert client.get("/admin/charter/").status_code == 403
    sign_in(client, admin)
    export = client.get(f"/admin/charter/{service.DEFAULT_VERSION}/signatories.csv")
    assert export.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert {r["email"] for r in rows} == {"owner@example.ma", "admin@example.ma"}
    assert all(len(r["sha256"]) == 64 for r in rows)
    bad = client.post("/admin/charter/", data={"version": "2027.1", "summary": "x", "text_fr": ""})
    assert bad.status_code == 422
    ok = client.post(
        "/admin/charter/",
        data={"version": "2027.1", "summary": "Clarifications", "text_fr": "# Charte\n\nTexte."},
    )
    assert ok.status_code == 302
    assert service.current_version().version == "2027.1"
    # the administrator, too, must sign the new version before going on
    assert "/charter/" in client.get("/admin/charter/").headers["Location"]


def test_signatures_can_never_be_changed_or_deleted(user):
    signature = db.session.scalar(
        db.select(CharterSignature).where(CharterSignature.user_id == user.id)
    )
    signature.language = "en"
    with pytest.raises(SignatureIsPermanent):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(CharterSignature, signature.id))
    with pytest.raises(SignatureIsPermanent):
        db.session.commit()
    db.session.rollback()


def test_markdown_is_rendered_safely(client, make_user):
    admin = make_user("admin@example.ma", admin=True)
    service.publish(
        "2027.2",
        {"fr": "# T\n\n<script>alert(1)</script> [x](javascript:alert(1))"},
        summary="x",
        actor=admin,
    )
    page = client.get("/charter/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert 'href="javascript:' not in page


def test_cli_publish_list_and_signatories(app, tmp_path, user):
    source = tmp_path / "charte.md"
    source.write_text("# Charte 2027\n\nArticle unique.", encoding="utf-8")
    arabic = tmp_path / "ar.md"
    arabic.write_text("# الميثاق", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "charter",
            "publish",
            str(source),
            "--version",
            "2027.1",
            "--summary",
            "Refonte",
            "--translation",
            f"ar={arabic}",
        ]
    )
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["charter", "publish", str(source), "--version", "2027.1"])
    assert again.exit_code != 0 and again.output.startswith("Error:")
    listing = runner.invoke(args=["charter", "list", "--json"])
    versions = [v["version"] for v in json.loads(listing.output)]
    assert versions[:2] == ["2027.1", service.DEFAULT_VERSION]
    export = runner.invoke(args=["charter", "signatories", service.DEFAULT_VERSION])
    assert "owner@example.ma" in export.output
