"""``ent demo``: the demo accounts and workspaces, loaded twice without duplicates."""

from __future__ import annotations

from ent_core.audit import AuditEvent
from ent_core.billing.subscriptions import entitled, get_subscription
from ent_core.db import db
from ent_core.demo import DEMO_PASSWORD, load_demo
from ent_core.identity.models import User
from ent_core.identity.passwords import verify_password
from ent_core.testing import all_workspaces
from ent_core.workspaces.models import Membership, PluginActivation, Workspace

TABLES = (User, Workspace, Membership, PluginActivation, AuditEvent)


def _counts():
    with all_workspaces():
        return {m.__name__: db.session.scalar(db.select(db.func.count(m.id))) for m in TABLES}


def test_demo_creates_accounts_workspaces_and_modules(app_ctx):
    lines = list(load_demo())
    assert any(DEMO_PASSWORD in line for line in lines)
    users = {u.email: u for u in db.session.scalars(db.select(User))}
    assert set(users) == {
        "admin@demo.ent.ma",
        "journaliste@demo.ent.ma",
        "cime@demo.ent.ma",
        "association@demo.ent.ma",
        "annonceur@demo.ent.ma",
        "factcheck@demo.ent.ma",
        "studio@demo.ent.ma",
    }
    assert users["admin@demo.ent.ma"].is_admin
    assert not users["journaliste@demo.ent.ma"].is_admin
    assert all(u.email_verified for u in users.values())
    assert verify_password(users["cime@demo.ent.ma"].password_hash, DEMO_PASSWORD)

    workspaces = {w.slug: w for w in db.session.scalars(db.select(Workspace))}
    assert {s: (w.kind, [x.code for x in w.sectors]) for s, w in workspaces.items()} == {
        "lematin-tech": ("media", ["it"]),
        "souss-green": ("association", ["green", "civil_society"]),
        "cime": ("training_centre", []),
        "atlas-digital": ("auto_entrepreneur", ["it"]),
        "factcheck-lab": ("auto_entrepreneur", ["it"]),
        "studio-atlas": ("auto_entrepreneur", ["it", "culture"]),
    }
    registry = app_ctx.extensions["ent"]
    tech = workspaces["lematin-tech"]
    wanted = {
        p.name for p in registry.ordered() if not p.meta.restricted and entitled(tech, p.name)
    }
    assert "gated" in wanted  # a plan-gated plugin, entitled by the basic plan
    assert {"publishing", "training"} <= wanted  # the bundled modules, sold by Basic too
    assert {"publishing", "training"} <= registry.enabled_for(workspaces["cime"])
    assert registry.enabled_for(tech) == wanted
    assert get_subscription(tech).state == "active"  # the SME programme pays all of it
    # trialing the Association plan: the modules it sells are on during the trial
    assert {"governance", "publishing"} <= registry.enabled_for(workspaces["souss-green"])
    # the marketplace's sellers take its add-on on top of Basic, and it is on
    assert "marketplace" in registry.enabled_for(workspaces["factcheck-lab"])
    assert "marketplace" in get_subscription(workspaces["studio-atlas"]).addons
    assert "marketplace" not in registry.enabled_for(tech)


def test_demo_twice_changes_nothing(app_ctx):
    list(load_demo())
    before = _counts()
    lines = list(load_demo())
    assert _counts() == before
    assert any(line.startswith("kept workspace lematin-tech") for line in lines)


def test_demo_memberships(app_ctx):
    list(load_demo())
    with all_workspaces():
        rows = db.session.execute(
            db.select(User.email, Workspace.slug, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .join(Workspace, Workspace.id == Membership.workspace_id)
        ).all()
    assert sorted(rows) == [
        ("annonceur@demo.ent.ma", "atlas-digital", "owner"),
        ("association@demo.ent.ma", "souss-green", "owner"),
        ("cime@demo.ent.ma", "cime", "owner"),
        ("cime@demo.ent.ma", "lematin-tech", "member"),
        ("factcheck@demo.ent.ma", "factcheck-lab", "owner"),
        ("journaliste@demo.ent.ma", "cime", "member"),
        ("journaliste@demo.ent.ma", "lematin-tech", "owner"),
        ("journaliste@demo.ent.ma", "souss-green", "editor"),
        ("studio@demo.ent.ma", "studio-atlas", "owner"),
    ]
