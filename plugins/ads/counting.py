"""Counting delivery: requests, impressions, viewable impressions, clicks and spend.

Every event is one ``HINCRBY`` of the platform counter ``delivery`` (a decision's four or five
in one Redis round trip), added to the hourly statistics by the core's flush
(``sdk.Counter``: sealed batches, one transaction each with its ``counter_batch`` row, so no
event is lost or added twice when a flush dies or Redis restarts; docs/ads.md, "Counting").

One event concerns two workspaces: the advertiser's (``CampaignStat``) and the publisher's
(``PlacementStat``). The counter is therefore the platform's (``workspace=None``) and each key
names its workspace: a decision costs one round trip instead of two, and the flush writes
each row in the workspace the key names. Keys::

    c:<advertiser>:<campaign>:<creative>:<placement>:<hour>:<i|v|k|s>
    p:<publisher>:<placement>:<hour>:<r|i|v|k|s>

(r requests, i impressions, v viewable, k clicks, s spend in micro-dirhams; hour: hours since
the epoch, UTC.)
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ent_plugins.ads.models import Campaign, CampaignStat, PlacementStat

from ent_core import sdk

CAMPAIGN_FIELDS = {"i": "impressions", "v": "viewable", "k": "clicks", "s": "spend_micros"}
PLACEMENT_FIELDS = {"r": "requests", **CAMPAIGN_FIELDS}
MICROS = Decimal(1_000_000)
CENT = Decimal("0.01")


def hour_of(now: datetime) -> int:
    """Hours since the epoch: the statistics' hour, as a short key."""
    return int(now.timestamp()) // 3600


def _hour_start(hour: int) -> datetime:
    return datetime.fromtimestamp(hour * 3600, tz=UTC)


def add_to_statistics(counts: dict[str, int]) -> None:
    """The counter's flush: upsert the hours counted, then bring ``Campaign.spent`` to the
    sum of its statistics (exact in micro-dirhams, rounded to the centime once)."""
    campaigns: dict[tuple[int, ...], dict[str, int]] = defaultdict(dict)
    placements: dict[tuple[int, ...], dict[str, int]] = defaultdict(dict)
    for key, by in counts.items():
        side, *ids, field = key.split(":")
        if side == "c" and field in CAMPAIGN_FIELDS:
            row = campaigns[tuple(int(i) for i in ids)]
            row[CAMPAIGN_FIELDS[field]] = row.get(CAMPAIGN_FIELDS[field], 0) + by
        elif side == "p" and field in PLACEMENT_FIELDS:
            row = placements[tuple(int(i) for i in ids)]
            row[PLACEMENT_FIELDS[field]] = row.get(PLACEMENT_FIELDS[field], 0) + by
    # Rows in key order, campaigns' locks in id order: two flushes never wait on each other
    # in opposite orders.
    _upsert(
        CampaignStat,
        ("creative_id", "placement_id", "hour"),
        [
            {
                "workspace_id": adv,
                "campaign_id": campaign,
                "creative_id": creative,
                "placement_id": placement,
                "hour": _hour_start(hour),
                **_zeros(CAMPAIGN_FIELDS),
                **values,
            }
            for (adv, campaign, creative, placement, hour), values in sorted(campaigns.items())
        ],
        tuple(CAMPAIGN_FIELDS.values()),
    )
    _upsert(
        PlacementStat,
        ("placement_id", "hour"),
        [
            {
                "workspace_id": pub,
                "placement_id": placement,
                "hour": _hour_start(hour),
                **_zeros(PLACEMENT_FIELDS),
                **values,
            }
            for (pub, placement, hour), values in sorted(placements.items())
        ],
        tuple(PLACEMENT_FIELDS.values()),
    )
    spending = sorted({key[1] for key, values in campaigns.items() if values.get("spend_micros")})
    if spending:
        _update_spent(spending)


def _zeros(fields: dict[str, str]) -> dict[str, int]:
    return dict.fromkeys(fields.values(), 0)


def _upsert(model: Any, unique: tuple[str, ...], rows: list[dict[str, Any]], added: tuple) -> None:
    """INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n (PostgreSQL and SQLite)."""
    if not rows:
        return
    session = sdk.db.session
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = model.__table__
    for start in range(0, len(rows), 500):
        statement = insert(table).values(rows[start : start + 500])
        statement = statement.on_conflict_do_update(
            index_elements=list(unique),
            set_={name: table.c[name] + statement.excluded[name] for name in added},
        )
        session.execute(statement)


def _update_spent(campaign_ids: list[int]) -> None:
    """Lock the campaigns (id order), then read the sums: a flush committing meanwhile is
    waited for, so the last writer writes the whole sum, never a stale one."""
    session = sdk.db.session
    session.execute(
        sdk.db.select(Campaign.id)
        .where(Campaign.id.in_(campaign_ids))
        .order_by(Campaign.id)
        .with_for_update()
    ).all()
    sums = session.execute(
        sdk.db.select(CampaignStat.campaign_id, sdk.db.func.sum(CampaignStat.spend_micros))
        .where(CampaignStat.campaign_id.in_(campaign_ids))
        .group_by(CampaignStat.campaign_id)
    ).all()
    for campaign_id, total in sums:
        spent = (Decimal(int(total or 0)) / MICROS).quantize(CENT, rounding=ROUND_HALF_UP)
        session.execute(
            sdk.db.update(Campaign).where(Campaign.id == campaign_id).values(spent=spent)
        )


delivery = sdk.Counter("delivery", flush=add_to_statistics)


def requested(placement_id: int, publisher_id: int, hour: int) -> None:
    """A decision asked for and none served: the fill rate's denominator only."""
    delivery.add(f"p:{publisher_id}:{placement_id}:{hour}:r", workspace=None)


def served(
    advertiser_id: int,
    campaign_id: int,
    creative_id: int,
    placement_id: int,
    publisher_id: int,
    hour: int,
    impression_micros: int,
) -> None:
    """An ad served: request, impression and its price, on both sides, one round trip."""
    c = f"c:{advertiser_id}:{campaign_id}:{creative_id}:{placement_id}:{hour}:"
    p = f"p:{publisher_id}:{placement_id}:{hour}:"
    counts = {p + "r": 1, p + "i": 1, c + "i": 1}
    if impression_micros:
        counts[c + "s"] = counts[p + "s"] = impression_micros
    delivery.add_many(counts, workspace=None)


def viewed(
    advertiser_id: int,
    campaign_id: int,
    creative_id: int,
    placement_id: int,
    publisher_id: int,
    hour: int,
) -> None:
    """An impression seen by the MRC's rule (half its pixels, one continuous second)."""
    delivery.add_many(
        {
            f"c:{advertiser_id}:{campaign_id}:{creative_id}:{placement_id}:{hour}:v": 1,
            f"p:{publisher_id}:{placement_id}:{hour}:v": 1,
        },
        workspace=None,
    )


def clicked(
    advertiser_id: int,
    campaign_id: int,
    creative_id: int,
    placement_id: int,
    publisher_id: int,
    hour: int,
    click_micros: int,
) -> None:
    """A click, and what it costs (0 unless the campaign is priced per click and its caps
    let it be billed)."""
    c = f"c:{advertiser_id}:{campaign_id}:{creative_id}:{placement_id}:{hour}:"
    p = f"p:{publisher_id}:{placement_id}:{hour}:"
    counts = {c + "k": 1, p + "k": 1}
    if click_micros:
        counts[c + "s"] = counts[p + "s"] = click_micros
    delivery.add_many(counts, workspace=None)
