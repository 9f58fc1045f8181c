"""``ent demo``: Le Matin Tech's places join the network and Atlas Digital's two campaigns
run there, paid and approved; classified ads fill the IT board; a second run adds nothing."""

from __future__ import annotations

from typing import Any

from ent_plugins.ads.decide import AdRequest, decide
from ent_plugins.ads.models import AdPlacement, Campaign, ClassifiedAd

from ent_core import sdk
from ent_core.demo import load_demo


def _counts() -> tuple[int, int, int]:
    with sdk.all_workspaces():
        return tuple(  # type: ignore[return-value]
            sdk.db.session.scalar(sdk.db.select(sdk.db.func.count()).select_from(model))
            for model in (AdPlacement, Campaign, ClassifiedAd)
        )


def test_the_demo_runs_two_campaigns_on_le_matin_tech_once(app_ctx: Any) -> None:
    lines = list(load_demo())
    assert "  ads: atlas-digital runs 'Sites web pour TPE' (CPM, paid, approved)" in lines
    with sdk.all_workspaces():
        aside = sdk.db.session.scalar(
            sdk.db.select(AdPlacement).where(AdPlacement.code == "publishing.article.aside")
        )
        names = {
            c.id: c.name
            for c in sdk.db.session.scalars(sdk.db.select(Campaign))
            if c.status == "approved" and c.paid_at is not None
        }
    assert set(names.values()) == {"Sites web pour TPE", "Atelier SEO"}
    shown = {
        decision.campaign_id
        for _ in range(40)
        if (decision := decide(AdRequest(placement=aside.public_id, now=sdk.utcnow())))
    }
    assert shown and shown <= set(names)
    before = _counts()
    assert before[2] >= 4  # classified ads of atlas-digital and lematin-tech
    again = list(load_demo())
    assert not [line for line in again if line.startswith("  ads:")]
    assert _counts() == before
