"""Training: metadata and the hooks through which it joins the platform."""

from __future__ import annotations

import logging
import os
from typing import Any

from ent_plugins.training.blueprint import api_bp, members, public_bp
from flask import render_template
from markupsafe import Markup
from sqlalchemy import select

from ent_core import sdk

meta = sdk.PluginMeta(
    name="training",
    version="0.1.0",
    label=sdk._l("Training"),
    description=sdk._l("Courses, cohorts, assessments and verifiable certificates."),
    category="education",
    compatibility=">=0.1,<1",
    plan_feature="training",
)


log = logging.getLogger(__name__)
_warmed = False


def _warm_before_fork() -> None:
    """Before this process forks (``ent worker --fork`` forks a work horse for every job; rq's
    scheduler process too), load the certificate job and the signing stack once, so each
    child inherits them warm instead of importing pyld and parsing the JSON-LD contexts again:
    that cold start cost about 90 ms a job, 35 signatures' worth (docs/performance.md,
    "Training"). Web workers do not fork, so they never pay the memory; a failure here only
    means cold children, never a failed fork."""
    global _warmed
    if _warmed:
        return
    _warmed = True
    try:
        from ent_plugins.training import credentials, jobs  # noqa: F401 - imported to warm

        credentials.warm_up()
    except Exception:  # pragma: no cover - warming is an optimisation only
        log.warning("training: warming the signing stack before fork failed", exc_info=True)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_warm_before_fork)


@sdk.hookimpl
def ent_blueprints() -> list[Any]:
    return [members, public_bp, api_bp]


@sdk.hookimpl
def ent_roles() -> list[Any]:
    return [
        sdk.Role(
            "trainer",
            sdk._l("Trainer"),
            sdk._l("Creates courses, runs their cohorts and grades their learners."),
        )
    ]


@sdk.hookimpl
def ent_permissions() -> list[Any]:
    """Workspace permissions and the row-level ones (who manages which course...)."""
    from ent_plugins.training.permissions import declared

    return declared()


@sdk.hookimpl
def ent_nav_items(workspace: Any, user: Any) -> list[Any]:
    return [
        sdk.NavItem(
            sdk._l("Training"),
            "training.index",
            icon="graduation",
            permission="workspace.view",
            order=300,
        )
    ]


@sdk.hookimpl
def ent_dashboard_widgets(workspace: Any, user: Any) -> list[Any]:
    from ent_plugins.training.models import certificate_status

    statements = _widget_statements()
    values = {"workspace_id": workspace.id, "user_id": user.id}
    teaching, enrolments, certificates = (
        sdk.db.session.execute(statements[name], values).all()
        for name in ("teaching", "enrolments", "certificates")
    )
    now = sdk.utcnow()
    body = render_template(
        "training/_widget.html",
        teaching=teaching,
        enrolments=enrolments,
        certificates=[
            (c.id, c.course_title, certificate_status(c.revoked_at, c.expires_at, now))
            for c in certificates
        ],
    )
    return [sdk.Widget(sdk._l("My training"), Markup(body), order=30)]  # noqa: S704


_statements: dict[str, Any] = {}


def _widget_statements() -> dict[str, Any]:
    """The widget's three statements, built once per process and run with bound values (the
    tenant filter still adds the current workspace to each, as to every statement). They read
    the columns the widget shows, not whole objects: a dashboard runs them on every visit."""
    if not _statements:
        from ent_plugins.training.models import (
            Certificate,
            Cohort,
            Course,
            CourseTrainer,
            Enrolment,
        )
        from sqlalchemy import bindparam

        user_id, workspace_id = bindparam("user_id"), bindparam("workspace_id")
        _statements["teaching"] = (
            select(Course.id, Course.title)
            .join(CourseTrainer, CourseTrainer.course_id == Course.id)
            .where(Course.workspace_id == workspace_id, CourseTrainer.user_id == user_id)
            .order_by(Course.title)
            .limit(5)
        )
        _statements["enrolments"] = (
            select(Enrolment.cohort_id, Enrolment.status, Course.title.label("course_title"))
            .join(Cohort, Cohort.id == Enrolment.cohort_id)
            .join(Course, Course.id == Cohort.course_id)
            .where(
                Enrolment.workspace_id == workspace_id,
                Enrolment.user_id == user_id,
                Enrolment.status != "withdrawn",
            )
            .order_by(Enrolment.id.desc())
            .limit(5)
        )
        _statements["certificates"] = (
            select(
                Certificate.id,
                Certificate.course_title,
                Certificate.revoked_at,
                Certificate.expires_at,
            )
            .where(Certificate.workspace_id == workspace_id, Certificate.user_id == user_id)
            .order_by(Certificate.issued_at.desc())
            .limit(5)
        )
    return _statements


@sdk.hookimpl
def ent_profile_badges(user: Any) -> list[Any]:
    """Valid certificates of a learner who chose to show them (any workspace's)."""
    from ent_plugins.training import certificates as certs
    from ent_plugins.training.models import Certificate, LearnerPreference

    shown = sdk.db.session.scalar(
        select(LearnerPreference.show_badges).where(LearnerPreference.user_id == user.id)
    )
    if not shown:
        return []
    rows = sdk.db.session.scalars(
        select(Certificate)
        .where(Certificate.user_id == user.id, Certificate.revoked_at.is_(None))
        .order_by(Certificate.issued_at.desc())
        .execution_options(ent_all_workspaces=True)
    ).all()
    return [
        sdk.ProfileBadge(
            label=c.course_title,
            url=certs.verify_url(c),
            issuer=c.issuer_name,
            kind="certificate",
            expires_at=c.expires_at,
        )
        for c in rows
        if c.status == "valid"
    ]


@sdk.hookimpl
def ent_trust_signals(workspace: Any) -> list[Any]:
    """Valid certificates the workspace's active members hold and chose to show (any training
    centre's): how many, and the newest one's public verification page."""
    from ent_plugins.training import certificates as certs
    from ent_plugins.training.models import Certificate, LearnerPreference

    members = [person.id for person in sdk.workspace_members(workspace)]
    if not members:
        return []
    rows = sdk.db.session.scalars(
        select(Certificate)
        .join(LearnerPreference, LearnerPreference.user_id == Certificate.user_id)
        .where(
            Certificate.user_id.in_(members),
            Certificate.revoked_at.is_(None),
            LearnerPreference.show_badges.is_(True),
        )
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        .execution_options(ent_all_workspaces=True)
    ).all()
    valid = [c for c in rows if c.status == "valid"]
    if not valid:
        return []
    return [
        sdk.TrustSignal(
            "certificates",
            sdk.ngettext(
                "%(num)d verifiable certificate", "%(num)d verifiable certificates", len(valid)
            ),
            ", ".join(sorted({c.course_title for c in valid})),
            url=certs.verify_url(valid[0]),
            since=valid[-1].issued_at,
        )
    ]


@sdk.hookimpl
def ent_demo_data(workspaces: dict[str, Any], users: dict[str, Any]) -> list[str]:
    from ent_plugins.training.demo import load_demo

    return load_demo(workspaces, users)


@sdk.hookimpl
def ent_cli_commands(cli: Any) -> None:
    """``ent training keys list|rotate`` (the key commands live with the credentials)."""
    from ent_plugins.training.credentials import register_cli

    register_cli(cli)


@sdk.hookimpl
def ent_event_types() -> list[Any]:
    from ent_plugins.training.certificates import CERTIFICATE_ISSUED

    return [CERTIFICATE_ISSUED]


@sdk.hookimpl
def ent_schedules() -> list[Any]:
    """Every minute, queue again the certificate work a lost job left behind."""
    from datetime import timedelta

    from ent_plugins.training.jobs import sweep

    return [sdk.Schedule("training.sweep", sweep, timedelta(minutes=1))]
