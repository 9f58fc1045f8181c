"""Test-kit helper: entitle a workspace to plugins the way a real workspace is entitled.

``ent_core.testing`` calls it before switching plugins on (``make_workspace(plugins=...)``,
``enable``, ``enable_all``): the workspace subscribes, through the billing service, to the plan
on sale that sells the most of the features needed (a trial, which entitles at once), then
adds the add-ons that sell the rest. The invoice mails this sends are dropped from the test
outbox (they run inline, even in a test using Redis): they belong to the arrangement, not to
what the test checks. Plugin authors' tests need not know about billing; tests of
entitlements themselves call ``enable_plugin`` directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app

from ent_core.billing import subscriptions
from ent_core.billing.plans import plans_on_sale


def entitle(workspace: Any, names: Iterable[str], *, any_plan: bool = False) -> None:
    """Subscribe ``workspace`` to what sells the plugins ``names``; nothing if already entitled.

    Raises ``RuntimeError`` naming the features no plan on sale sells (a fixture plugin's
    invented feature needs a plan: create one in the test, as an operator would). With
    ``any_plan`` (``enable_all``: every installed plugin, which no real plan sells at once),
    the rest is sold by an add-on created for the test, as an operator would create it.
    """
    registry = current_app.extensions["ent"]
    needed = {
        plugin.meta.plan_feature
        for plugin in (registry.get(n) for n in names)
        if plugin is not None and plugin.meta.plan_feature is not None
    }
    missing = needed - subscriptions.entitled_features(workspace)
    if not missing:
        return
    outbox = current_app.extensions.get("ent.mail_outbox")
    sent_before = len(outbox) if outbox is not None else 0
    with _jobs_inline():
        _subscribe(workspace, missing, any_plan=any_plan)
    if outbox is not None:  # the invoice mails are the arrangement's, not the test's
        del outbox[sent_before:]


@contextmanager
def _jobs_inline() -> Iterator[None]:
    """Run the arrangement's jobs (the invoice mail) at once, even in a test using Redis, so
    they neither wait in the test's queue nor reach its outbox later."""
    config = current_app.config
    saved = config.pop("REDIS_URL", None)
    try:
        yield
    finally:
        if saved is not None:
            config["REDIS_URL"] = saved


def _subscribe(workspace: Any, missing: set[str], *, any_plan: bool = False) -> None:
    plans = plans_on_sale()
    if not subscriptions.is_live(subscriptions.get_subscription(workspace)):
        # The base plan selling most of what is missing; when only an add-on sells it (the
        # marketplace), the cheapest base plan, as a real subscriber must take one first.
        base = max(
            (p for p in plans if not p.addon),
            key=lambda p: (len(missing & set(p.plugins or [])), -p.price_month),
            default=None,
        )
        sold_as_addon = any(missing & set(p.plugins or []) for p in plans if p.addon)
        if base is not None and (missing & set(base.plugins or []) or sold_as_addon):
            subscriptions.subscribe(workspace, base.code, actor=None)
            missing -= set(base.plugins or [])
    for addon in (p for p in plans if p.addon):
        if missing & set(addon.plugins or []):
            subscriptions.set_addon(workspace, addon.code, enabled=True, actor=None)
            missing -= set(addon.plugins or [])
    if missing and any_plan:
        subscriptions.set_addon(workspace, _addon_selling(missing).code, enabled=True, actor=None)
        missing = set()
    if missing:
        raise RuntimeError(
            f"no plan on sale entitles {workspace.slug!r} to {', '.join(sorted(missing))}: "
            "add the feature to a plan (ent plan ...) or subscribe the workspace in the test"
        )


def _addon_selling(features: set[str]) -> Any:
    """An add-on (free, on sale) selling ``features``: what ``enable_all`` adds when the base
    plans on sale each sell only part of the installed modules."""
    from ent_core.billing.models import Plan
    from ent_core.db import db

    code = "test_" + "_".join(sorted(features))[:30]
    plan = db.session.scalar(db.select(Plan).where(Plan.code == code))
    if plan is None:
        plan = Plan(
            code=code,
            name_fr=code,
            name_en=code,
            name_ar=code,
            price_month=0,
            price_year=0,
            plugins=sorted(features),
            addon=True,
            position=99,
        )
        db.session.add(plan)
        db.session.flush()
    return plan
