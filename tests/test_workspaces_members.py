"""Members page: invitations by email, accepting them, roles and removal."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from ent_core.audit import AuditEvent
from ent_core.db import db, utcnow
from ent_core.permissions import Role
from ent_core.testing import all_workspaces, in_workspace, sign_in
from ent_core.workspaces.models import Invitation, Membership, MembershipRole

EN = {"Accept-Language": "en"}
LINK = re.compile(r"http://localhost/invitations/([\w-]+)")


def _invite(client, email="nadia@example.ma", role="editor"):
    return client.post("/w/acme/members/invite", data={"email": email, "role": role}, headers=EN)


def _token_from(mail):
    match = LINK.search(mail["text"])
    assert match, mail["text"]
    return match.group(1)


def _membership(workspace, user):
    with in_workspace(workspace):
        return db.session.scalar(
            db.select(Membership).where(
                Membership.workspace_id == workspace.id, Membership.user_id == user.id
            )
        )


def _join(workspace, user, role):
    membership = Membership(workspace_id=workspace.id, user_id=user.id, role=role)
    db.session.add(membership)
    db.session.commit()
    return membership


def _actions(workspace):
    return list(
        db.session.scalars(
            db.select(AuditEvent.action)
            .where(AuditEvent.workspace_id == workspace.id)
            .order_by(AuditEvent.id)
        )
    )


def test_members_page_lists_members_with_roles(signed_in_client, workspace, make_user):
    _join(workspace, make_user("karim@example.ma", name="Karim Editor"), "editor")
    page = signed_in_client.get("/w/acme/members", headers=EN).get_data(as_text=True)
    assert "Amina Owner" in page and "Karim Editor" in page
    assert "karim@example.ma" in page
    assert '<option value="editor" selected>' in page


def test_invitation_is_mailed_and_accepted_by_the_invited_account(
    signed_in_client, client, workspace, make_user, mail_outbox
):
    resp = _invite(signed_in_client)
    assert resp.status_code == 303
    assert [m["to"] for m in mail_outbox] == ["nadia@example.ma"]
    token = _token_from(mail_outbox[0])
    with all_workspaces():
        invitation = db.session.scalar(db.select(Invitation))
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    assert invitation.expires_at - utcnow() > timedelta(days=13, hours=23)
    page = signed_in_client.get("/w/acme/members", headers=EN).get_data(as_text=True)
    assert "Pending invitations" in page and "nadia@example.ma" in page

    nadia = make_user("Nadia@Example.ma")
    other = sign_in(signed_in_client.application.test_client(), nadia)
    page = other.get(f"/invitations/{token}", headers=EN)
    assert page.status_code == 200 and "Accept the invitation" in page.get_data(as_text=True)
    resp = other.post(f"/invitations/{token}", headers=EN)
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/w/acme/")
    assert _membership(workspace, nadia).role == "editor"
    assert other.get("/w/acme/", headers=EN).status_code == 200
    assert _actions(workspace)[-2:] == ["member.invited", "member.joined"]

    used = other.get(f"/invitations/{token}", headers=EN)
    assert used.status_code == 410
    assert "already used" in used.get_data(as_text=True)


def test_invitation_refused_for_another_account(
    signed_in_client, workspace, make_user, mail_outbox
):
    _invite(signed_in_client)
    token = _token_from(mail_outbox[0])
    intruder = make_user("intruder@example.ma")
    other = sign_in(signed_in_client.application.test_client(), intruder)
    resp = other.post(f"/invitations/{token}", headers=EN)
    assert resp.status_code == 403
    page = resp.get_data(as_text=True)
    assert "This invitation was sent to nadia@example.ma" in page
    assert _membership(workspace, intruder) is None
    with all_workspaces():
        assert db.session.scalar(db.select(Invitation.accepted_at)) is None


def test_invitation_link_sends_strangers_to_sign_in(signed_in_client, workspace, mail_outbox):
    _invite(signed_in_client)
    token = _token_from(mail_outbox[0])
    anonymous = signed_in_client.application.test_client()
    resp = anonymous.get(f"/invitations/{token}")
    assert resp.status_code == 302
    location = resp.headers["Location"]
    assert "/auth/sign-in" in location and f"invitations%2F{token}" in location


def test_expired_and_unknown_invitations_explain_themselves(
    signed_in_client, workspace, mail_outbox
):
    _invite(signed_in_client, email="owner@example.ma")
    assert _invite(signed_in_client, email="late@example.ma").status_code == 303
    token = _token_from(mail_outbox[-1])
    with all_workspaces():
        invitation = db.session.scalar(
            db.select(Invitation).where(Invitation.email == "late@example.ma")
        )
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    resp = signed_in_client.get(f"/invitations/{token}", headers=EN)
    assert resp.status_code == 410 and "has expired" in resp.get_data(as_text=True)
    resp = signed_in_client.get("/invitations/not-a-real-token", headers=EN)
    assert resp.status_code == 404 and "not valid" in resp.get_data(as_text=True)


def test_inviting_an_existing_member_is_an_inline_error(signed_in_client, workspace, mail_outbox):
    resp = _invite(signed_in_client, email="OWNER@example.ma")
    assert resp.status_code == 422
    assert "already a member" in resp.get_data(as_text=True)
    assert mail_outbox == []


def test_invalid_email_is_an_inline_error(signed_in_client, workspace, mail_outbox):
    resp = _invite(signed_in_client, email="not-an-email")
    assert resp.status_code == 422
    assert 'id="email-errors"' in resp.get_data(as_text=True)
    assert mail_outbox == []


def test_reinviting_replaces_the_pending_invitation(signed_in_client, workspace, mail_outbox):
    _invite(signed_in_client)
    _invite(signed_in_client, role="admin")
    with all_workspaces():
        assert db.session.scalars(db.select(Invitation.role)).all() == ["admin"]
    stale = _token_from(mail_outbox[0])
    assert signed_in_client.get(f"/invitations/{stale}").status_code == 404


def test_revoked_invitation_stops_working(signed_in_client, workspace, mail_outbox):
    _invite(signed_in_client)
    token = _token_from(mail_outbox[0])
    with all_workspaces():
        invitation_id = db.session.scalar(db.select(Invitation.id))
    resp = signed_in_client.post(f"/w/acme/members/invitations/{invitation_id}/revoke")
    assert resp.status_code == 303
    assert signed_in_client.get(f"/invitations/{token}").status_code == 404
    with all_workspaces():
        assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0


def test_owner_changes_a_role_and_it_is_audited(signed_in_client, workspace, make_user):
    karim = make_user("karim@example.ma")
    membership = _join(workspace, karim, "member")
    resp = signed_in_client.post(f"/w/acme/members/{membership.id}/role", data={"role": "admin"})
    assert resp.status_code == 303
    assert _membership(workspace, karim).role == "admin"
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "member.role_changed")
    )
    assert event.details == {"from": "member", "to": "admin"}


def test_last_owner_cannot_step_down(signed_in_client, workspace, user):
    own = _membership(workspace, user)
    resp = signed_in_client.post(
        f"/w/acme/members/{own.id}/role",
        data={"role": "admin"},
        follow_redirects=True,
        headers=EN,
    )
    assert "keeps at least one owner" in resp.get_data(as_text=True)
    assert _membership(workspace, user).role == "owner"
    resp = signed_in_client.post(
        f"/w/acme/members/{own.id}/remove", follow_redirects=True, headers=EN
    )
    assert "keeps at least one owner" in resp.get_data(as_text=True)
    assert _membership(workspace, user) is not None


def test_second_owner_lets_the_first_step_down(signed_in_client, workspace, user, make_user):
    _join(workspace, make_user("second@example.ma"), "owner")
    own = _membership(workspace, user)
    signed_in_client.post(f"/w/acme/members/{own.id}/role", data={"role": "editor"})
    assert _membership(workspace, user).role == "editor"


@pytest.fixture
def admin_client(client, workspace, make_user):
    """Signed in as a workspace administrator (not an owner) of ``acme``."""
    admin = make_user("admin@example.ma")
    _join(workspace, admin, "admin")
    return sign_in(client, admin)


def test_non_owner_cannot_grant_or_remove_owner(admin_client, workspace, user, make_user):
    karim = _join(workspace, make_user("karim@example.ma"), "member")
    page = admin_client.get("/w/acme/members", headers=EN).get_data(as_text=True)
    assert '<option value="owner"' not in page
    resp = admin_client.post(
        f"/w/acme/members/{karim.id}/role",
        data={"role": "owner"},
        follow_redirects=True,
        headers=EN,
    )
    assert "Only owners may grant or remove the owner role." in resp.get_data(as_text=True)
    assert _membership(workspace, karim.user).role == "member"
    owner = _membership(workspace, user)
    admin_client.post(f"/w/acme/members/{owner.id}/role", data={"role": "member"})
    admin_client.post(f"/w/acme/members/{owner.id}/remove")
    assert _membership(workspace, user).role == "owner"
    resp = _invite(admin_client, role="owner")
    assert resp.status_code == 422
    with all_workspaces():
        assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0


def test_admin_may_promote_to_editor_and_remove_members(admin_client, workspace, make_user):
    karim = make_user("karim@example.ma")
    membership = _join(workspace, karim, "member")
    admin_client.post(f"/w/acme/members/{membership.id}/role", data={"role": "editor"})
    assert _membership(workspace, karim).role == "editor"
    resp = admin_client.post(f"/w/acme/members/{membership.id}/remove")
    assert resp.status_code == 303
    assert _membership(workspace, karim) is None
    assert _actions(workspace)[-1] == "member.removed"


@pytest.mark.parametrize("path", ["/w/acme/members", "/w/acme/modules", "/w/acme/modules/alpha"])
def test_members_without_permission_get_403(client, workspace, make_user, path):
    editor = make_user("editor@example.ma")
    _join(workspace, editor, "editor")
    sign_in(client, editor)
    assert client.get(path).status_code == 403
    assert client.get("/w/acme/").status_code == 200


def test_member_cannot_post_member_actions(client, workspace, user, make_user):
    member = make_user("member@example.ma")
    _join(workspace, member, "member")
    sign_in(client, member)
    own = _membership(workspace, user)
    assert client.post(f"/w/acme/members/{own.id}/remove").status_code == 403
    assert _invite(client).status_code == 403
    assert client.post("/w/acme/modules/alpha/on").status_code == 403


@pytest.fixture
def trainer_role(app, monkeypatch):
    """A role as a plugin would declare it through ``ent_roles``."""
    roles = app.extensions["ent.permissions"].roles
    monkeypatch.setitem(roles, "trainer", Role("trainer", "Trainer"))
    return "trainer"


def test_plugin_roles_are_granted_and_removed_as_extra_roles(
    signed_in_client, workspace, make_user, trainer_role
):
    karim = make_user("karim@example.ma")
    membership = _join(workspace, karim, "member")
    page = signed_in_client.get("/w/acme/members", headers=EN).get_data(as_text=True)
    assert "Additional roles" in page and '<option value="trainer">Trainer</option>' in page
    signed_in_client.post(f"/w/acme/members/{membership.id}/roles", data={"role": "trainer"})
    assert _membership(workspace, karim).roles == {"member", "trainer"}
    signed_in_client.post(f"/w/acme/members/{membership.id}/roles/trainer/remove")
    assert _membership(workspace, karim).roles == {"member"}
    assert db.session.scalar(db.select(db.func.count(MembershipRole.id))) == 0
    assert _actions(workspace)[-2:] == ["member.role_changed", "member.role_changed"]


def test_core_roles_cannot_be_granted_as_extra_roles(signed_in_client, workspace, make_user):
    membership = _join(workspace, make_user("karim@example.ma"), "member")
    signed_in_client.post(f"/w/acme/members/{membership.id}/roles", data={"role": "owner"})
    assert db.session.scalar(db.select(db.func.count(MembershipRole.id))) == 0


def test_member_ids_of_another_workspace_answer_404(
    signed_in_client, workspace, make_workspace, make_user
):
    stranger = make_user("stranger@example.ma")
    make_workspace("other", owner=stranger)
    with all_workspaces():
        theirs = db.session.scalar(db.select(Membership).where(Membership.user_id == stranger.id))
    assert (
        signed_in_client.post(
            f"/w/acme/members/{theirs.id}/role", data={"role": "member"}
        ).status_code
        == 404
    )
    assert signed_in_client.post(f"/w/acme/members/{theirs.id}/remove").status_code == 404
    assert _membership(theirs.workspace, stranger).role == "owner"
