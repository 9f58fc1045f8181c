"""Test-kit helper: entitle a workspace to plugins without invoices, payments or audit noise.

``ent_core.testing`` calls it before switching plugins on (``make_workspace(plugins=...)``,
``enable``, ``enable_all``), so plugin authors' tests need not know about billing. Tests of
entitlements themselves call ``enable_plugin`` directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask import current_app

from ent_core.billing.models import Plan, Subscription
from ent_core.billing.subscriptions import entitled, get_subscription
from ent_core.db import db, utcnow

TEST_PLAN = "test_everything"


def entitle(workspace: Any, names: Iterable[str]) -> None:
    """Make sure ``workspace`` may switch on the plugins ``names`` (a live test subscription)."""
    registry = current_app.extensions["ent"]
    features = {
        plugin.meta.plan_feature
        for plugin in (registry.get(n) for n in names)
        if plugin is not None and plugin.meta.plan_feature is not None
    }
    if not features or all(entitled(workspace, n) for n in names):
        return
    plan = db.session.scalar(db.select(Plan).where(Plan.code == TEST_PLAN))
    if plan is None:
        plan = Plan(
            code=TEST_PLAN,
            name_fr="Test",
            name_en="Test",
            name_ar="Test",
            price_month=Decimal("0"),
            price_year=Decimal("0"),
            plugins=[],
            quotas={},
            active=False,
        )
        db.session.add(plan)
    plan.plugins = sorted(set(plan.plugins or []) | features)
    db.session.flush()
    now = utcnow()
    subscription = get_subscription(workspace)
    if subscription is None:
        subscription = Subscription(workspace_id=workspace.id, addons=[], started_at=now)
        db.session.add(subscription)
    subscription.plan_id = plan.id
    subscription.period = "year"
    subscription.state = "active"
    subscription.current_period_start = now
    subscription.current_period_end = now + timedelta(days=3650)
    db.session.commit()
