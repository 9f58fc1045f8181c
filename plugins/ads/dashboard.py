"""The ads card of the workspace dashboard: live campaigns and yesterday's figures for an
advertiser, the placements' earnings for a publisher (four small queries, no report built)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ent_plugins.ads import reports
from ent_plugins.ads.models import AdPlacement, Campaign, CampaignStat, PlacementStat
from ent_plugins.ads.permissions import SEE_REPORTS
from ent_plugins.ads.views.reports import number, percent
from flask import render_template
from markupsafe import Markup
from sqlalchemy import func

from ent_core import sdk


def _totals(model: Any, since: Any, until: Any, requests: bool = False) -> reports.Figures:
    row = sdk.db.session.execute(
        sdk.db.select(*reports.sum_columns(model, requests)).where(
            model.hour >= since, model.hour < until
        )
    ).one()
    return reports.figures_of(row, requests)


def widgets(workspace: Any, user: Any) -> list[Any]:
    """The card, for people who may read the reports."""
    if not sdk.has_permission(SEE_REPORTS):
        return []
    now = sdk.utcnow()
    today = sdk.local_today(workspace)
    since = sdk.start_of_day(today - timedelta(days=1), workspace)
    until = sdk.start_of_day(today, workspace)
    live = sdk.db.session.scalar(
        sdk.db.select(func.count(Campaign.id)).where(
            Campaign.status == "approved", Campaign.starts_at <= now, Campaign.ends_at > now
        )
    )
    bought = _totals(CampaignStat, since, until)
    placements = sdk.db.session.scalar(
        sdk.db.select(func.count(AdPlacement.id)).where(AdPlacement.active.is_(True))
    )
    sold = _totals(PlacementStat, since, until, requests=True) if placements else None
    body = render_template(
        "ads/reports/_widget.html",
        live=live or 0,
        bought=bought,
        placements=placements or 0,
        sold=sold,
        yesterday=today - timedelta(days=1),
        number=number,
        percent=percent,
    )
    return [sdk.Widget(sdk._l("Advertising"), Markup(body), order=60)]  # noqa: S704
