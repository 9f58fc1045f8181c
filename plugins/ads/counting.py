"""Counting delivery: requests, impressions, viewable impressions, clicks and spend.

Every event is one ``HINCRBY`` of the platform counter ``delivery`` (a capped campaign's
impression inside the caps' script: the decision's only Redis round trip), added to the
hourly statistics by the core's flush (``sdk.Counter``: sealed batches, one transaction
each with its ``counter_batch`` row, so no event is lost or added twice when a flush dies or
Redis restarts; docs/ads.md, "Counting").

One event concerns two workspaces: the advertiser's (``CampaignStat``) and the publisher's
(``PlacementStat``). The counter is therefore the platform's (``workspace=None``) and each key
names both workspaces: one key per event, added to both sides by the flush, so an event
costs one ``HINCRBY``. The price of the event is
part of the key, so spend is exact (count times price, in micro-dirhams) without a second field::

    c:<advertiser>:<campaign>:<creative>:<placement>:<publisher>:<hour>:i<µMAD>  served
    c:<advertiser>:<campaign>:<creative>:<placement>:<publisher>:<hour>:v        viewable
    c:<advertiser>:<campaign>:<creative>:<placement>:<publisher>:<hour>:k<µMAD>  clicked
    p:<publisher>:<placement>:<hour>:r                                    asked, none served

(hour: hours since the epoch, UTC). A served impression is a request too, on the
publisher's side: the fill rate is impressions / requests.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ent_plugins.ads.models import Campaign, CampaignStat, PlacementStat

from ent_core import sdk

CAMPAIGN_FIELDS = ("impressions", "viewable", "clicks", "spend_micros")
PLACEMENT_FIELDS = ("requests", *CAMPAIGN_FIELDS)
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
    campaigns: dict[tuple[int, ...], dict[str, int]] = defaultdict(_row)
    placements: dict[tuple[int, ...], dict[str, int]] = defaultdict(_row)
    for key, by in counts.items():
        side, *ids, event = key.split(":")
        if side == "p" and event == "r":
            placements[tuple(int(i) for i in ids)]["requests"] += by
            continue
        if side != "c" or len(ids) != 6 or not event:
            continue
        adv, campaign, creative, placement, pub, hour = (int(i) for i in ids)
        c = campaigns[(adv, campaign, creative, placement, hour)]
        p = placements[(pub, placement, hour)]
        kind, price = event[0], int(event[1:] or 0)
        if kind == "i":
            c["impressions"] += by
            p["impressions"] += by
            p["requests"] += by
        elif kind == "v":
            c["viewable"] += by
            p["viewable"] += by
        elif kind == "k":
            c["clicks"] += by
            p["clicks"] += by
        else:
            continue
        c["spend_micros"] += by * price
        p["spend_micros"] += by * price
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
                **{name: values[name] for name in CAMPAIGN_FIELDS},
            }
            for (adv, campaign, creative, placement, hour), values in sorted(campaigns.items())
        ],
        CAMPAIGN_FIELDS,
    )
    _upsert(
        PlacementStat,
        ("placement_id", "hour"),
        [
            {
                "workspace_id": pub,
                "placement_id": placement,
                "hour": _hour_start(hour),
                **{name: values[name] for name in PLACEMENT_FIELDS},
            }
            for (pub, placement, hour), values in sorted(placements.items())
        ],
        PLACEMENT_FIELDS,
    )
    spending = sorted({key[1] for key, values in campaigns.items() if values["spend_micros"]})
    if spending:
        _update_spent(spending)


def _row() -> dict[str, int]:
    return dict.fromkeys(PLACEMENT_FIELDS, 0)


def _upsert(
    model: Any, unique: tuple[str, ...], rows: list[dict[str, Any]], added: tuple[str, ...]
) -> None:
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
    # One executemany (pipelined by psycopg), not a statement per campaign.
    session.execute(
        sdk.db.update(Campaign),
        [
            {
                "id": campaign_id,
                "spent": (Decimal(int(total or 0)) / MICROS).quantize(CENT, rounding=ROUND_HALF_UP),
            }
            for campaign_id, total in sums
        ],
    )


#: Summed in each process and sent to Redis four times a second (``send_every``): thousands
#: of decisions a second make one round trip per quarter second instead of one each. A
#: process killed without warning loses its last quarter second of counts (docs/ads.md).
delivery = sdk.Counter("delivery", flush=add_to_statistics, send_every=timedelta(milliseconds=250))


def requested(placement_id: int, publisher_id: int, hour: int) -> None:
    """A decision asked for and none served: the fill rate's denominator only."""
    delivery.add(f"p:{publisher_id}:{placement_id}:{hour}:r", workspace=None)


def _ids(
    advertiser_id: int,
    campaign_id: int,
    creative_id: int,
    placement_id: int,
    publisher_id: int,
    hour: int,
) -> str:
    return f"c:{advertiser_id}:{campaign_id}:{creative_id}:{placement_id}:{publisher_id}:{hour}:"


def served_key(*ids: int, impression_micros: int = 0) -> str:
    """The key of an ad served (``ids``: advertiser, campaign, creative, placement,
    publisher, hour): request, impression and its price on both sides. A capped campaign's
    impression is counted under it by the caps' script (``caps.reserve``)."""
    return f"{_ids(*ids)}i{impression_micros or ''}"


def served(*ids: int, impression_micros: int = 0) -> None:
    """An ad served with no caps to reserve it against: one ``HINCRBY``."""
    delivery.add(served_key(*ids, impression_micros=impression_micros), workspace=None)


def viewed(*ids: int) -> None:
    """An impression seen by the MRC's rule (half its pixels, one continuous second)."""
    delivery.add(f"{_ids(*ids)}v", workspace=None)


def clicked(*ids: int, click_micros: int = 0) -> None:
    """A click, and what it costs (0 unless the campaign is priced per click and its caps
    let it be billed)."""
    delivery.add(f"{_ids(*ids)}k{click_micros or ''}", workspace=None)
