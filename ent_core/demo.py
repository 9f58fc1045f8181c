"""Demo data for ``ent demo``: idempotent, so running it twice changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flask import current_app

from ent_core.billing import subscriptions
from ent_core.billing.errors import BillingError
from ent_core.charter import service as charter
from ent_core.db import all_workspaces, db, utcnow
from ent_core.identity.models import User
from ent_core.identity.passwords import hash_password
from ent_core.reference_data import ensure_reference_data
from ent_core.workspaces import service
from ent_core.workspaces.models import Membership, Workspace
from ent_core.workspaces.service import WorkspaceError

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published on purpose: demo accounts only


@dataclass(frozen=True, slots=True)
class DemoUser:
    email: str
    name: str
    admin: bool = False


@dataclass(frozen=True, slots=True)
class DemoWorkspace:
    slug: str
    name: str
    kind: str
    owner: str
    sectors: tuple[str, ...]
    members: tuple[tuple[str, str], ...] = ()
    all_modules: bool = False
    plan: str | None = None
    #: Add-ons taken on top of ``plan`` (the marketplace is sold as one).
    addons: tuple[str, ...] = ()


USERS = (
    DemoUser("admin@demo.ent.ma", "Admin Plateforme", admin=True),
    DemoUser("journaliste@demo.ent.ma", "Salma Journaliste"),
    DemoUser("cime@demo.ent.ma", "Centre CIME"),
    DemoUser("association@demo.ent.ma", "Youssef Association"),
    DemoUser("annonceur@demo.ent.ma", "Nadia Annonceur"),
    DemoUser("factcheck@demo.ent.ma", "Nadia Alaoui"),
    DemoUser("studio@demo.ent.ma", "Omar Benjelloun"),
)

WORKSPACES = (
    DemoWorkspace(
        "lematin-tech",
        "Le Matin Tech",
        "media",
        "journaliste@demo.ent.ma",
        ("it",),
        members=(("cime@demo.ent.ma", "member"),),
        plan="basic",  # paid by the state SME programme: active at once
        all_modules=True,
    ),
    DemoWorkspace(
        "souss-green",
        "Souss Green",
        "association",
        "association@demo.ent.ma",
        ("green", "civil_society"),
        members=(("journaliste@demo.ent.ma", "editor"),),
        plan="association",  # half paid by the associations' programme: an invoice to pay
        all_modules=True,  # governance and publishing, the modules its plan entitles
    ),
    DemoWorkspace(
        "cime",
        "CIME — Centre de formation",
        "training_centre",
        "cime@demo.ent.ma",
        (),
        members=(("journaliste@demo.ent.ma", "member"),),  # the demo certificate's learner
        plan="basic",
        all_modules=True,
    ),
    DemoWorkspace(
        "atlas-digital",
        "Atlas Digital",
        "auto_entrepreneur",  # a communication start-up: it advertises on the network
        "annonceur@demo.ent.ma",
        ("it",),
        plan="basic",
        all_modules=True,
    ),
    DemoWorkspace(
        "factcheck-lab",
        "FactCheck Lab",
        "auto_entrepreneur",  # a fact-checking start-up: it sells on the marketplace
        "factcheck@demo.ent.ma",
        ("it",),
        plan="basic",
        addons=("marketplace",),
        all_modules=True,
    ),
    DemoWorkspace(
        "studio-atlas",
        "Studio Atlas Podcast",
        "auto_entrepreneur",  # a podcast studio: hours to book and gear, on the marketplace
        "studio@demo.ent.ma",
        ("it", "culture"),
        plan="basic",
        addons=("marketplace",),
        all_modules=True,
    ),
)


def _user(spec: DemoUser) -> tuple[User, bool]:
    user = db.session.scalar(db.select(User).where(User.email == spec.email))
    if user is not None:
        return user, False
    user = User(
        email=spec.email,
        name=spec.name,
        password_hash=hash_password(DEMO_PASSWORD),
        is_admin=spec.admin,
        email_verified_at=utcnow(),
    )
    db.session.add(user)
    db.session.commit()
    return user, True


def _sign_charter(user: User) -> None:
    """Demo accounts have signed the current charter, so the tour starts in the workspaces."""
    current = charter.current_version()
    if current is not None:
        charter.sign(user, current.version, language="fr", ip_address=None, user_agent="ent demo")


def _workspace(spec: DemoWorkspace, users: dict[str, User]) -> tuple[Workspace, bool]:
    workspace = db.session.scalar(db.select(Workspace).where(Workspace.slug == spec.slug))
    if workspace is not None:
        return workspace, False
    workspace = service.create_workspace(
        slug=spec.slug,
        name=spec.name,
        kind=spec.kind,
        owner=users[spec.owner],
        sectors=spec.sectors,
        status="approved",  # the demo's organisations have been vetted already
    )
    return workspace, True


def _add_members(workspace: Workspace, spec: DemoWorkspace, users: dict[str, User]) -> int:
    added = 0
    for email, role in spec.members:
        user = users[email]
        exists = db.session.scalar(
            db.select(Membership.id).where(
                Membership.workspace_id == workspace.id, Membership.user_id == user.id
            )
        )
        if exists is None:
            db.session.add(Membership(workspace_id=workspace.id, user_id=user.id, role=role))
            added += 1
    db.session.commit()
    return added


def _subscribe(workspace: Workspace, plan: str, owner: User) -> Iterator[str]:
    """Subscribe through the normal path, so subsidy programmes apply as for a real member."""
    if subscriptions.get_subscription(workspace) is not None:
        return
    subscription, invoice = subscriptions.subscribe(workspace, plan, "year", actor=owner)
    owed = f", invoice {invoice.number}" if invoice is not None else ""
    yield f"  subscribed {workspace.slug} to {plan} ({subscription.state}{owed})"


def _add_addons(workspace: Workspace, codes: tuple[str, ...], owner: User) -> Iterator[str]:
    """The add-ons the workspace does not have yet, as its owner would add them."""
    subscription = subscriptions.get_subscription(workspace)
    taken = set(subscription.addons or []) if subscription is not None else set()
    for code in codes:
        if code in taken:
            continue
        try:
            subscriptions.set_addon(workspace, code, enabled=True, actor=owner)
        except BillingError as exc:  # not installed here, or no live plan to add it to
            db.session.rollback()
            yield f"  could not add the {code} add-on to {workspace.slug}: {exc.message}"
            continue
        db.session.commit()
        yield f"  added the {code} add-on to {workspace.slug}"


def _switch_on_everything(workspace: Workspace, actor: User) -> Iterator[str]:
    """Every unrestricted plugin its plan entitles, dependencies first."""
    registry = current_app.extensions["ent"]
    wanted = [
        p
        for p in registry.ordered()
        if not p.meta.restricted and subscriptions.entitled(workspace, p.name)
    ]
    while wanted:
        enabled = registry.enabled_for(workspace)
        ready = [p for p in wanted if all(r in enabled for r in p.meta.requires)]
        if not ready:
            names = ", ".join(p.name for p in wanted)
            yield f"  could not switch on {names}: a required plugin is restricted or missing"
            return
        for plugin in ready:
            wanted.remove(plugin)
            if plugin.name in enabled:
                continue
            try:
                service.enable_plugin(workspace, plugin.name, actor=actor)
            except WorkspaceError as exc:
                db.session.rollback()
                yield f"  could not switch on {plugin.name}: {exc.message}"
            else:
                yield f"  switched on {plugin.name} for {workspace.slug}"


def load_demo() -> Iterator[str]:
    """Create the demo accounts and workspaces that are missing; yield what happened.

    Demo data spans workspaces (and plugins' ``ent_demo_data`` run inside): it says so.
    """
    with all_workspaces():
        yield from _load_demo()


def _load_demo() -> Iterator[str]:
    ensure_reference_data()
    users: dict[str, User] = {}
    for spec in USERS:
        user, created = _user(spec)
        users[spec.email] = user
        _sign_charter(user)
        role = " (platform administrator)" if spec.admin else ""
        yield f"{'created' if created else 'kept'} account {spec.email}{role}"
    for ws_spec in WORKSPACES:
        workspace, created = _workspace(ws_spec, users)
        yield f"{'created' if created else 'kept'} workspace {ws_spec.slug} ({ws_spec.name})"
        added = _add_members(workspace, ws_spec, users)
        if added:
            yield f"  added {added} member(s) to {ws_spec.slug}"
        if ws_spec.plan:
            yield from _subscribe(workspace, ws_spec.plan, users[ws_spec.owner])
        yield from _add_addons(workspace, ws_spec.addons, users[ws_spec.owner])
        if ws_spec.all_modules:
            yield from _switch_on_everything(workspace, users[ws_spec.owner])
    workspaces = {
        spec.slug: db.session.scalars(db.select(Workspace).filter_by(slug=spec.slug)).one()
        for spec in WORKSPACES
    }
    for lines in current_app.extensions["ent"].hook.ent_demo_data(
        workspaces=workspaces, users=users
    ):
        yield from lines or ()
    yield f"Demo data loaded. Every demo account signs in with the password {DEMO_PASSWORD}"
