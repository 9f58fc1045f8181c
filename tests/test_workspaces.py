"""Workspace list, creation and dashboard through HTTP."""

from __future__ import annotations

import io

import pytest

from ent_core.audit import AuditEvent
from ent_core.db import db
from ent_core.testing import SAMPLE_IDENTIFIERS, all_workspaces, in_workspace, sample_pdf, sign_in
from ent_core.workspaces.models import Membership, Workspace

EN = {"Accept-Language": "en"}


def _create(client, **overrides):
    """Apply for a workspace as the form does: identifiers of its kind and a document."""
    data = {"name": "Souss Média", "slug": "souss-media", "kind": "media", "sectors": ["it"]}
    data.update(SAMPLE_IDENTIFIERS["media"])
    data["documents"] = [(io.BytesIO(sample_pdf()), "ice.pdf")]
    data.update(overrides)
    return client.post("/workspaces/new", data=data, headers=EN)


def test_new_workspace_form_lists_translated_kinds_and_sectors(signed_in_client):
    page = signed_in_client.get("/workspaces/new", headers=EN).get_data(as_text=True)
    for text in ("Training centre", "Auto-entrepreneur", "Green economy", "Civil society", "IT"):
        assert text in page
    assert 'type="checkbox"' in page and 'value="civil_society"' in page


def test_creating_a_workspace_makes_the_user_its_owner(signed_in_client, user):
    resp = _create(signed_in_client, sectors=["green", "civil_society"])
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith("/w/souss-media/")
    ws = db.session.scalar(db.select(Workspace).where(Workspace.slug == "souss-media"))
    assert ws.kind == "media"
    assert [s.code for s in ws.sectors] == ["green", "civil_society"]
    with in_workspace(ws):
        membership = db.session.scalar(
            db.select(Membership).where(Membership.workspace_id == ws.id)
        )
    assert (membership.user_id, membership.role) == (user.id, "owner")
    page = signed_in_client.get("/w/souss-media/", headers=EN).get_data(as_text=True)
    assert "Souss Média" in page and "1 member" in page


def test_slug_is_suggested_from_the_name_when_left_empty(signed_in_client):
    resp = _create(signed_in_client, name="Café Société Ürban", slug="")
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith("/w/cafe-societe-urban/")


def test_duplicate_slug_is_refused_inline(signed_in_client, workspace):
    resp = _create(signed_in_client, slug="acme")
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "This address is already taken." in page
    assert 'id="slug-errors"' in page
    assert db.session.scalar(db.select(db.func.count(Workspace.id))) == 1


@pytest.mark.parametrize("slug", ["admin", "new", "api"])
def test_reserved_slug_is_refused_inline(signed_in_client, slug):
    resp = _create(signed_in_client, slug=slug)
    assert resp.status_code == 422
    assert "Use 3 to 63 lower-case letters" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(Workspace).where(Workspace.slug == slug)) is None


def test_missing_kind_and_unknown_sector_are_inline_errors(signed_in_client):
    resp = _create(signed_in_client, kind="", sectors=["astrology"])
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert 'id="kind-errors"' in page and 'id="sectors-errors"' in page


def test_unverified_email_cannot_create_a_workspace(client, make_user):
    sign_in(client, make_user("new@example.ma", verified=False))
    page = client.get("/workspaces/new", headers=EN).get_data(as_text=True)
    assert "Confirm your email address first" in page
    assert 'action="/auth/verify/resend"' in page
    resp = _create(client)
    assert resp.status_code == 403
    assert db.session.scalar(db.select(db.func.count(Workspace.id))) == 0


def test_creation_requires_sign_in(client):
    resp = client.get("/workspaces/new")
    assert resp.status_code == 302
    assert "/auth/sign-in" in resp.headers["Location"]


def test_workspace_creation_is_audited(signed_in_client, user):
    _create(signed_in_client)
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "workspace.created"))
    assert (event.subject, event.actor_id) == ("souss-media", user.id)


def test_my_workspaces_lists_role_kind_and_status(signed_in_client, make_workspace, make_user):
    make_workspace("acme", name="Acme Press")
    make_workspace("elsewhere", owner=make_user("other@example.ma"), name="Elsewhere Org")
    page = signed_in_client.get("/workspaces", headers=EN).get_data(as_text=True)
    assert "Acme Press" in page and 'href="/w/acme/"' in page
    assert "Owner" in page and "Media" in page and "Approved" in page
    assert "Elsewhere Org" not in page
    assert "All workspaces on the platform" not in page


def test_platform_admins_also_see_every_workspace(client, make_workspace, make_user):
    admin = make_user("root@example.ma", admin=True)
    make_workspace("acme", name="Acme Press")
    sign_in(client, admin)
    page = client.get("/workspaces", headers=EN).get_data(as_text=True)
    assert "All workspaces on the platform" in page
    assert "Acme Press" in page
    assert "You do not belong to any workspace yet." in page


def test_dashboard_summarises_members_and_modules(signed_in_client, workspace, user):
    from ent_core.workspaces.service import enable_plugin

    enable_plugin(workspace, "alpha", actor=user)
    page = signed_in_client.get("/w/acme/", headers=EN).get_data(as_text=True)
    assert "1 module on" in page and "Alpha" in page
    assert 'href="/w/acme/members"' in page and 'href="/w/acme/modules"' in page


def test_dashboard_names_the_workspaces_sectors_in_the_platforms_order(
    client, user, make_workspace
):
    make_workspace("acme", sectors=("green", "it"))
    make_workspace("globex", sectors=("civil_society",))
    sign_in(client, user)
    acme = client.get("/w/acme/").get_data(as_text=True)
    assert "Numérique, Économie verte" in acme  # the platform's order, not the chosen one
    assert "Société civile" not in acme
    globex = client.get("/w/globex/", headers=EN).get_data(as_text=True)
    assert "Civil society" in globex and "Green economy" not in globex


WORKSPACE_PAGES = [
    ("GET", "/w/acme/"),
    ("GET", "/w/acme/members"),
    ("POST", "/w/acme/members/invite"),
    ("POST", "/w/acme/members/1/role"),
    ("POST", "/w/acme/members/1/remove"),
    ("POST", "/w/acme/members/1/roles"),
    ("POST", "/w/acme/members/1/roles/trainer/remove"),
    ("POST", "/w/acme/members/invitations/1/revoke"),
    ("GET", "/w/acme/modules"),
    ("GET", "/w/acme/modules/alpha"),
    ("POST", "/w/acme/modules/alpha"),
    ("POST", "/w/acme/modules/alpha/on"),
    ("POST", "/w/acme/modules/alpha/off"),
    ("GET", "/w/acme/application"),
    ("POST", "/w/acme/application"),
    ("GET", "/w/acme/application/documents/1"),
    ("POST", "/w/acme/application/documents/1/remove"),
    ("GET", "/w/acme/settings"),
    ("POST", "/w/acme/settings"),
]


def test_every_core_workspace_page_is_registered(app):
    rules = {
        (m, r.rule)
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("workspace.")
        for m in r.methods - {"HEAD", "OPTIONS"}
    }
    probed = {(m, p.replace("/w/acme", "/w/<workspace>")) for m, p in WORKSPACE_PAGES}
    normalised = {
        (
            m,
            r.replace("<int:membership_id>", "1")
            .replace("<int:invitation_id>", "1")
            .replace("<int:document_id>", "1")
            .replace("<role>", "trainer")
            .replace("<name>", "alpha"),
        )
        for m, r in rules
    }
    assert normalised == probed


def test_non_members_get_404_on_every_workspace_page(client, workspace, make_user):
    sign_in(client, make_user("stranger@example.ma"))
    for method, path in WORKSPACE_PAGES:
        resp = client.open(path, method=method, data={"role": "owner", "email": "x@y.ma"})
        assert resp.status_code == 404, (method, path)
    with all_workspaces():
        assert db.session.scalar(db.select(db.func.count(Membership.id))) == 1
