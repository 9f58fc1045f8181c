"""Helpers of the operations part's security tests: one row of every marketplace table with
chosen text in every text field, and the marketplace's routes with their arguments filled."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from ent_core import sdk

ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass
class Shop:
    """What ``open_shop`` made: ids by route argument name (``listing_id``...), all ids."""

    ids: dict[str, Any] = field(default_factory=dict)
    every_id: list[int] = field(default_factory=list)


def open_shop(seller: Any, buyer: Any, text: str = "Texte") -> Shop:
    """A seller's storefront, a published listing (variant, slot, image, translation, report),
    a completed order (line, history, message, attachment), both reviews published (a reply,
    a report), a refund and a payout: every text field holds ``text``."""
    from ent_plugins.marketplace import models as m
    from ent_plugins.marketplace.tests.conftest import make_listing

    listing = make_listing(seller, f"Annonce {text}", location=text, description=f"**{text}**")
    now = sdk.utcnow()
    with sdk.all_workspaces():
        ws = {"workspace_id": seller.id}
        add = sdk.db.session.add
        profile = m.SellerProfile(**ws, tagline=text, about=text, location=text)
        variant = m.ListingVariant(**ws, listing_id=listing.id, name=f"Option {text}")
        slot = m.ListingSlot(
            **ws,
            listing_id=listing.id,
            starts_at=now + timedelta(days=3),
            ends_at=now + timedelta(days=3, hours=1),
        )
        image = m.ListingImage(
            **ws, listing_id=listing.id, file_token="00/" + "0" * 64 + ".png", alt_text=text
        )
        translation = m.ListingTranslation(
            **ws, listing_id=listing.id, language="en", title=text, description=text
        )
        report = m.ListingReport(**ws, listing_id=listing.id, reason="other", text=text)
        payout = m.Payout(**ws, period_start=now.date(), period_end=now.date())
        for row in (profile, variant, slot, image, translation, report, payout):
            add(row)
        sdk.db.session.flush()
        order = m.Order(
            **ws,
            reference=f"MP-2026-{listing.id:06d}",
            process="inquiry",
            status="completed",
            buyer_id=buyer.id,
            request=text,
            quote_note=text,
            closed_reason=text,
            total=Decimal("1800.00"),
            completed_at=now,
            payout_id=payout.id,
        )
        add(order)
        sdk.db.session.flush()
        line = m.OrderLine(
            **ws,
            order_id=order.id,
            listing_id=listing.id,
            variant_id=variant.id,
            label=text,
            unit_price=Decimal("1500.00"),
            vat_rate=Decimal("0.20"),
            net=Decimal("1500.00"),
            vat=Decimal("300.00"),
            total=Decimal("1800.00"),
        )
        event = m.OrderEvent(
            **ws,
            order_id=order.id,
            transition="complete",
            from_status="delivered",
            to_status="completed",
            side="buyer",
            note=text,
        )
        message = m.OrderMessage(**ws, order_id=order.id, side="buyer", body=text)
        add(line), add(event), add(message)
        sdk.db.session.flush()
        attachment = m.OrderAttachment(
            **ws,
            message_id=message.id,
            file_token="00/" + "0" * 64 + ".pdf",
            file_name=f"{text}.pdf",
        )
        reviews = [
            m.Review(
                **ws,
                order_id=order.id,
                listing_id=listing.id,
                side=side,
                rating=4,
                text=text,
                reply=text if side == "buyer" else "",
                published_at=now,
            )
            for side in ("buyer", "seller")
        ]
        refund = m.Refund(**ws, order_id=order.id, amount=Decimal("10.00"), reason=text)
        for row in (attachment, *reviews, refund):
            add(row)
        sdk.db.session.flush()
        review_report = m.ReviewReport(**ws, review_id=reviews[0].id, text=text)
        add(review_report)
        sdk.db.session.commit()
        rows = {
            "listing_id": listing.id,
            "variant_id": variant.id,
            "slot_id": slot.id,
            "image_id": image.id,
            "translation_id": translation.id,
            "report_id": report.id,
            "payout_id": payout.id,
            "order_id": order.id,
            "line_id": line.id,
            "event_id": event.id,
            "message_id": message.id,
            "attachment_id": attachment.id,
            "review_id": reviews[0].id,
            "refund_id": refund.id,
            "review_report_id": review_report.id,
            "profile_id": profile.id,
        }
    return Shop(ids=rows, every_id=sorted(set(rows.values())))


def marketplace_rules(app: Any, prefix: str) -> list[Any]:
    """The marketplace's URL rules whose path starts with ``prefix``."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("marketplace") and rule.rule.startswith(prefix)
    ]


def fill(rule: Any, values: dict[str, Any]) -> str | None:
    """``rule``'s path with its arguments from ``values``; ``None`` when one is unknown."""
    path = rule.rule
    for _converter, name in ARGUMENT.findall(rule.rule):
        if name not in values:
            return None
        path = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]), path)
    return path


def tenant_rows(workspace_id: int) -> dict[str, list[Any]]:
    """Every marketplace row of the workspace, column by column (a probe must change none)."""
    rows = {}
    for table in sdk.db.metadata.sorted_tables:
        if table.name.startswith("marketplace_") and "workspace_id" in table.c:
            statement = sdk.db.select(table).where(table.c.workspace_id == workspace_id)
            rows[table.name] = [tuple(r) for r in sdk.db.session.execute(statement)]
    return rows
