"""Demo campaigns (``ent demo``): Le Matin Tech offers its article and home places to the
network, and Atlas Digital runs two campaigns there, approved and paid: a CPM banner and a
text ad paid per click. Idempotent: an advertiser with campaigns already gets none."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

from ent_plugins.ads import billing, campaigns, creatives, inventory
from ent_plugins.ads.models import AdPlacement, Campaign

from ent_core import sdk

PUBLISHER, ADVERTISER = "lematin-tech", "atlas-digital"
PLACES = {
    "publishing.article.aside": ("300x250", "300x600"),
    "publishing.home.top": ("728x90", "970x250", "320x50"),
}


def banner(size: tuple[int, int] = (300, 250)) -> bytes:
    """A plain banner drawn with Pillow: the demo ships no picture files."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", size, (14, 92, 99))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((8, 8, size[0] - 9, size[1] - 9), outline=(255, 209, 102), width=4)
    draw.text((24, size[1] // 2 - 20), "Atlas Digital", fill=(255, 255, 255))
    draw.text((24, size[1] // 2 + 4), "Sites web pour TPE", fill=(255, 209, 102))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def load_demo(workspaces: dict[str, Any], users: dict[str, Any]) -> list[str]:
    publisher, advertiser = workspaces.get(PUBLISHER), workspaces.get(ADVERTISER)
    admin = users.get("admin@demo.ent.ma")
    if publisher is None or advertiser is None or admin is None:
        return []
    lines = [*_places(publisher)]
    with sdk.working_in(advertiser.slug, plugin="ads"):
        if sdk.db.session.scalar(sdk.scoped(Campaign).limit(1)) is not None:
            return lines
        owner = users.get("annonceur@demo.ent.ma", admin)
        lines += [_banner_campaign(owner, admin), _text_campaign(owner, admin)]
    return lines


def _places(publisher: Any) -> list[str]:
    with sdk.working_in(publisher.slug, plugin="ads"):
        joined = {
            row.code
            for row in sdk.db.session.scalars(
                sdk.scoped(AdPlacement).where(AdPlacement.active.is_(True))
            )
        }
        codes = [c for c in PLACES if c not in joined and c in sdk.ad_slots()]
        for code in codes:
            inventory.save_place(code, active=True, sizes=PLACES[code], formats=sdk.AD_FORMATS)
    return [f"  ads: {publisher.slug} joined the network with {code}" for code in codes]


def _dates() -> dict[str, Any]:
    hour = sdk.utcnow().replace(minute=0, second=0, microsecond=0)
    return {"starts_at": hour, "ends_at": hour + timedelta(days=60)}


def _banner_campaign(owner: Any, admin: Any) -> str:
    campaign = campaigns.create(
        {
            "name": "Sites web pour TPE",
            "landing_url": "https://example.ma/atlas-digital",
            "category": "technology",
            "pricing": "cpm",
            "budget": Decimal("2000.00"),
            "target_sectors": ["it"],
            "target_languages": ["fr", "ar"],
            **_dates(),
        },
        actor=owner,
    )
    creatives.create(
        campaign,
        name="Bannière 300x250",
        fmt="image",
        size="300x250",
        alt_text="Atlas Digital : des sites web pour les TPE",
        upload=banner(),
        upload_name="atlas-300x250.png",
        actor=owner,
    )
    sdk.db.session.commit()
    campaigns.transition(campaign, "submit", actor=owner)
    invoice = billing.pay(campaign, actor=owner)
    sdk.confirm_payment(invoice.number, "bank_transfer", "VIR-DEMO-ATLAS", actor=None)
    campaigns.transition(campaign, "approve", actor=admin, moderator=True, advertiser=False)
    return f"  ads: {ADVERTISER} runs {campaign.name!r} (CPM, paid, approved)"


def _text_campaign(owner: Any, admin: Any) -> str:
    campaign = campaigns.create(
        {
            "name": "Atelier SEO",
            "landing_url": "https://example.ma/atlas-digital/atelier",
            "category": "education",
            "pricing": "cpc",
            "priority": "remnant",
            "budget": Decimal("500.00"),
            **_dates(),
        },
        actor=owner,
    )
    creatives.create(
        campaign,
        name="Annonce texte",
        fmt="native",
        size=None,
        headline="Atelier : référencement pour les médias",
        body="Deux heures pour apprendre à être trouvé sur les moteurs de recherche.",
        actor=owner,
    )
    sdk.db.session.commit()
    campaigns.transition(campaign, "submit", actor=owner)
    invoice = billing.pay(campaign, actor=owner)
    sdk.confirm_payment(invoice.number, "bank_transfer", "VIR-DEMO-SEO", actor=None)
    campaigns.transition(campaign, "approve", actor=admin, moderator=True, advertiser=False)
    return f"  ads: {ADVERTISER} runs {campaign.name!r} (CPC, paid, approved)"
