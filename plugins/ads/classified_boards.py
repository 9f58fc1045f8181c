"""The sector boards: which classified ads the public sees, in which order, and their feeds.

Shown: published ads whose date has not passed (the expiry schedule may not have run yet),
of approved workspaces where the ads module is on (``sdk.public_workspace_ids("ads")``).
Order: boosted ads first, then the newest (a renewal counts as new).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ent_plugins.ads.catalogues import CLASSIFIED_KINDS
from ent_plugins.ads.models import ClassifiedAd
from sqlalchemy import case
from sqlalchemy.orm import selectinload

from ent_core import sdk

PAGE_SIZE = 20
FEED_SIZE = 50
SUMMARY_MAX = 300


def sector_model() -> Any:
    """The core's sector class, reached through a relationship (plugins import no core)."""
    workspace = ClassifiedAd.workspace.property.mapper.class_
    return workspace.sectors.property.mapper.class_


def sectors() -> list[Any]:
    model = sector_model()
    return list(sdk.db.session.scalars(sdk.db.select(model).order_by(model.position, model.code)))


def sector_exists(code: str) -> bool:
    model = sector_model()
    return sdk.db.session.scalar(sdk.db.select(model.code).where(model.code == code)) is not None


def public_ads(
    sector: str | None = None, kind: str | None = None, now: datetime | None = None
) -> Any:
    """``select(ClassifiedAd)`` of what the boards may show (no order): call it inside
    ``sdk.all_workspaces()``."""
    now = now or sdk.utcnow()
    statement = (
        sdk.db.select(ClassifiedAd)
        .options(selectinload(ClassifiedAd.images), selectinload(ClassifiedAd.workspace))
        .where(
            ClassifiedAd.status == "published",
            ClassifiedAd.expires_at > now,
            ClassifiedAd.workspace_id.in_(sdk.public_workspace_ids("ads")),
        )
    )
    if sector:
        statement = statement.where(ClassifiedAd.sector == sector)
    if kind:
        statement = statement.where(ClassifiedAd.kind == kind)
    return statement


def board_order(statement: Any, now: datetime | None = None) -> Any:
    """Boosted ones on top, then newest first."""
    now = now or sdk.utcnow()
    on_top = case((ClassifiedAd.boosted_until > now, 0), else_=1)
    return statement.order_by(on_top, ClassifiedAd.published_at.desc(), ClassifiedAd.id.desc())


@sdk.all_workspaces()
def board_page(
    sector: str | None, kind: str | None, page: int = 1, size: int = PAGE_SIZE
) -> tuple[list[ClassifiedAd], bool]:
    """One page of a board and whether there is another."""
    now = sdk.utcnow()
    statement = board_order(public_ads(sector, kind, now), now)
    rows = list(sdk.db.session.scalars(statement.offset((page - 1) * size).limit(size + 1)))
    return rows[:size], len(rows) > size


@sdk.all_workspaces()
def latest(sector: str | None, limit: int = 5) -> list[ClassifiedAd]:
    """The newest ads of a board (boosted first) for the portal's and sites' boxes."""
    now = sdk.utcnow()
    return list(
        sdk.db.session.scalars(board_order(public_ads(sector, None, now), now).limit(limit))
    )


@sdk.all_workspaces()
def public_ad(sector: str, classified_id: int) -> ClassifiedAd | None:
    statement = public_ads(sector).where(ClassifiedAd.id == classified_id)
    return sdk.db.session.scalar(statement)  # type: ignore[no-any-return]


def body_html(ad: ClassifiedAd) -> Any:
    """Markdown through ``sdk.render_markdown``; plain text escaped, paragraphs kept."""
    if ad.body_format == "markdown":
        return sdk.render_markdown(ad.body)
    from markupsafe import Markup, escape

    paragraphs = [p.strip() for p in ad.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = "".join(f"<p>{escape(p)}</p>".replace("\n", "<br>") for p in paragraphs)
    return Markup(html)  # noqa: S704 - every paragraph escaped just above


def summary(ad: ClassifiedAd) -> str:
    """Plain text, cut at a word, for feeds and the API."""
    text = " ".join(ad.body.split())
    if len(text) <= SUMMARY_MAX:
        return text
    return text[:SUMMARY_MAX].rsplit(" ", 1)[0] + "…"


def ad_url(ad: ClassifiedAd) -> str:
    return sdk.external_url("ads_boards.ad", sector=ad.sector, classified_id=ad.id)


def image_url(image: Any) -> str:
    return sdk.external_url("ads_boards.image", image_id=image.id)


def kind_label(code: str) -> str:
    return str(CLASSIFIED_KINDS.get(code, code))


def atom(ads: list[ClassifiedAd], *, title: str, self_url: str, html_url: str) -> bytes:
    """The Atom document of a board (newest first, as the board lists them)."""
    from feedgen.feed import FeedGenerator  # here: feedgen and lxml (~5 MB) load with a feed

    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=html_url, rel="alternate", type="text/html")
    feed.author({"name": str(sdk._("Smart Médias ENT"))})
    moments = [_aware(ad.published_at) for ad in ads if ad.published_at is not None]
    feed.updated(max(moments, default=sdk.utcnow()))
    for ad in reversed(ads):  # feedgen prepends: oldest first keeps the newest on top
        entry = feed.add_entry()
        entry.id(f"urn:ent:ads:classified:{ad.id}:{ad.renewals}")
        entry.title(ad.title)
        entry.link(href=ad_url(ad), rel="alternate")
        published = _aware(ad.published_at or sdk.utcnow())
        entry.published(published)
        entry.updated(max(published, _aware(ad.updated_at)))
        entry.author({"name": ad.workspace.name})
        entry.summary(summary(ad))
        entry.category(term=ad.kind, label=kind_label(ad.kind))
    return feed.atom_str(pretty=True)  # type: ignore[no-any-return]


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
