"""What the ads benchmarks share: the two parties of every ad run and their rows, in bulk.

``ads_engine.py``, ``ads_counting.py``, ``ads_delivery.py`` and ``ads_reports.py`` all need a
publisher (*Le Matin Tech*) and an advertiser (*Atlas Télécom*) with the module on, an owner
who may sign in to both, placements, and many campaigns with their creatives. Call
:func:`parties` inside an application context whose schema exists, then :func:`placements`
and :func:`campaigns`; the caller commits.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import run as core_bench  # noqa: E402 - bench/ is on the path now

PUBLISHER = "matin-tech"
ADVERTISER = "atlas-telecom"
OWNER_EMAIL = "owner@ads.example"


@dataclass(frozen=True)
class Parties:
    """The owner of both workspaces (password ``run.PASSWORD``, charter signed) and them."""

    owner_id: int
    publisher_id: int
    advertiser_id: int

    def seeded(self, slug: str = ADVERTISER) -> Any:
        """What ``run.session_cookie`` signs the owner in with, landing on ``slug``."""
        return core_bench.Seeded(self.owner_id, OWNER_EMAIL, slug, ["ads"], {}, {})


def parties(app: Any, now: datetime, plugins: Iterable[str] = ("ads",)) -> Parties:
    """The owner, the publisher and the advertiser (approved, IT sector), ``plugins`` on in
    both without a plan (``run.switch_on_unentitled``: the bench prices the module, not the
    subscription)."""
    from ent_core import sdk
    from ent_core.identity.models import User
    from ent_core.identity.passwords import hash_password
    from ent_core.workspaces.service import create_workspace

    with sdk.all_workspaces():
        owner = User(
            email=OWNER_EMAIL, name="Régie", password_hash=hash_password(core_bench.PASSWORD),
            email_verified_at=now,
        )  # fmt: skip
        sdk.db.session.add(owner)
        sdk.db.session.commit()
        core_bench.sign_charter([owner.id], now)
        publisher = create_workspace(
            slug=PUBLISHER, name="Le Matin Tech", kind="media", owner=owner,
            sectors=("it",), status="approved",
        )  # fmt: skip
        advertiser = create_workspace(
            slug=ADVERTISER, name="Atlas Télécom", kind="auto_entrepreneur", owner=owner,
            sectors=("it",), status="approved",
        )  # fmt: skip
        for workspace in (publisher, advertiser):
            for name in plugins:
                core_bench.switch_on_unentitled(app, workspace, name, now)
        return Parties(owner.id, publisher.id, advertiser.id)


def placements(publisher_id: int, rows: Iterable[dict[str, Any]]) -> list[int]:
    """Placements of the publisher (each row's columns over a 300x250 image slot); their ids."""
    from ent_plugins.ads.models import AdPlacement
    from sqlalchemy import insert

    from ent_core import sdk

    defaults = {"kind": "slot", "sizes": ["300x250"], "formats": ["image"]}
    with sdk.all_workspaces():
        return list(
            sdk.db.session.scalars(
                insert(AdPlacement).returning(AdPlacement.id, sort_by_parameter_order=True),
                [{**defaults, **row, "workspace_id": publisher_id} for row in rows],
            )
        )


def externals(publisher_id: int, count: int) -> list[int]:
    """``count`` external placements of the publisher (``pl-0``, ``pl-1``...); their ids."""
    rows = [
        {"code": f"external.{n}", "kind": "external", "name": f"Site {n}", "public_id": f"pl-{n}"}
        for n in range(count)
    ]
    return placements(publisher_id, rows)


def campaigns(
    advertiser_id: int,
    count: int,
    now: datetime,
    *,
    campaign: Callable[[int], dict[str, Any]] = lambda n: {},
    creatives: Callable[[int, int], list[dict[str, Any]]] = lambda n, cid: [{}],
) -> tuple[list[int], list[int]]:
    """``count`` approved campaigns running from yesterday for 30 days (CPM 40 MAD, invoiced
    monthly) with ``campaign(n)``'s columns over those, and ``creatives(n, id)``'s approved
    300x250 images each; the campaigns' ids and the creatives'."""
    from ent_plugins.ads.models import Campaign, Creative
    from sqlalchemy import insert

    from ent_core import sdk

    base = {
        "status": "approved", "starts_at": now - timedelta(days=1),
        "ends_at": now + timedelta(days=30), "pricing": "cpm", "rate": Decimal("40.00"),
        "budget": Decimal("1000000.00"), "billing": "monthly",
    }  # fmt: skip
    made = {"name": "Pavé", "format": "image", "size": "300x250", "status": "approved",
            "click_url": "https://atlas-telecom.ma/"}  # fmt: skip
    with sdk.all_workspaces():
        ids = list(
            sdk.db.session.scalars(
                insert(Campaign).returning(Campaign.id, sort_by_parameter_order=True),
                [
                    {**base, "name": f"Campagne {n}", **campaign(n),
                     "workspace_id": advertiser_id}
                    for n in range(count)
                ],
            )
        )  # fmt: skip
        rows = [
            {**made, **row, "workspace_id": advertiser_id, "campaign_id": cid}
            for n, cid in enumerate(ids)
            for row in creatives(n, cid)
        ]
        creative_ids = list(
            sdk.db.session.scalars(
                insert(Creative).returning(Creative.id, sort_by_parameter_order=True), rows
            )
        )
    return ids, creative_ids
