"""Demo classified ads (``ent demo``): a few ads on the IT board, so the portal's box, the
boards and the feeds have something to show. Idempotent: a workspace that has classified ads
already gets none."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ent_plugins.ads.classifieds import AdFields, create_classified
from ent_plugins.ads.models import ClassifiedAd

from ent_core import sdk

DEMO_ADS: dict[str, tuple[tuple[str, str, str, Decimal | None, str], ...]] = {
    "atlas-digital": (
        (
            "service",
            "Création de sites pour les TPE",
            "Sites vitrines et boutiques en ligne, livrés en deux semaines, en français et en "
            "arabe.\n\n- hébergement au Maroc\n- formation incluse",
            Decimal("4500.00"),
            "Casablanca",
        ),
        (
            "event",
            "Atelier : réussir sa première campagne",
            "Un atelier gratuit de deux heures pour les annonceurs débutants, le 20 du mois.",
            None,
            "Rabat",
        ),
    ),
    "lematin-tech": (
        (
            "job",
            "Journaliste tech (CDI)",
            "Le Matin Tech recrute un ou une journaliste spécialisé(e) en numérique. "
            "Candidature par e-mail avec trois articles publiés.",
            None,
            "Casablanca",
        ),
        (
            "equipment",
            "Vends trois caméras HD",
            "Trois caméras HD en très bon état, avec trépieds, cause renouvellement du studio.",
            Decimal("2500.00"),
            "Casablanca",
        ),
    ),
}


def load_demo(workspaces: dict[str, Any], users: dict[str, Any]) -> list[str]:
    lines = []
    posted = 0
    for slug, ads in DEMO_ADS.items():
        workspace = workspaces.get(slug)
        if workspace is None or not workspace.sectors:
            continue
        with sdk.in_workspace(workspace):
            mine = sdk.db.select(ClassifiedAd.id).where(ClassifiedAd.workspace_id == workspace.id)
            if sdk.db.session.scalar(mine.limit(1)) is not None:
                continue
            posted = 0
            owner = next(iter(sdk.workspace_members(workspace)), None)
            posted = 0
            for kind, title, body, price, location in ads:
                if sdk.quota_remaining(workspace, "classified_ads_per_month") < 1:
                    break
                fields = AdFields(
                    sector=workspace.sectors[0].code,
                    kind=kind,
                    title=title,
                    body=body,
                    body_format="markdown",
                    price=price,
                    location=location,
                    contact_email=getattr(owner, "email", "") or f"contact@{slug}.ma",
                )
                create_classified(workspace, owner, fields)
                posted += 1
            sdk.db.session.commit()
        if posted:
            lines.append(f"  {posted} classified ad(s) posted by {slug}")
    return lines
